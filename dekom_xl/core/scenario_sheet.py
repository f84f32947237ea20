"""The tool sheet ``Modellrammer``: every network's frame under each model of ``Modeller`` and
its difference from the frame in use, with exact sums and a chart (pure content)."""

from __future__ import annotations

from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome
from dekom_xl.core.money import format_kr
from dekom_xl.core.render import FMT_DIFF, FMT_KR, Block, Chart, Row, SheetContent


def model_frames_sheet(o: Outcome) -> SheetContent | None:
    """``None`` when the workbook has no ``Modeller`` table (workbooks from before it)."""
    sc = o.scenarios
    if sc is None:
        return None
    setup = o.data.setup
    title = f"Modeller side om side – {setup.scheme} {setup.year}".strip(" –")
    notes = [f"Rammene under hver modell i tabellen Modeller (arket {T.S_SCENARIOS}), fordelt med "
             "største-rest-metoden:",
             f"hver kolonne summerer nøyaktig til potten kr {format_kr(sc.pool)}. «Mot nå» er "
             "modellens ramme minus rammen som brukes nå (arket Rammer).",
             "Arket lages på nytt av verktøyet – endre modellene på arket "
             f"{T.S_SCENARIOS}."]
    blocks = [Block(1, 1, [[title]], style="title"), Block(2, 1, [[n] for n in notes],
                                                            style="note")]
    # The models as computed.
    mh = ["Modell", "Grunntilskudd", "Nøkkel", "Gulv", "Sum rammer", "Merknad"]
    mrows = [[m.name, m.base_grant, m.describe(), m.floor,
              sum(sc.frames[m.name].values()), m.note or None] for m in sc.models]
    if not mrows:
        mrows = [["(ingen modeller å regne ut – fyll inn tabellen Modeller)", None, None, None,
                  None, None]]
    blocks.append(Block(6, 1, [mh] + mrows, table="ModellOversikt",
                        formats={1: FMT_KR, 3: FMT_KR, 4: FMT_KR}, header=True))
    # Frames per network: the current frame, then each model; differences to the right.
    row = 6 + len(mrows) + 3
    names = [m.name for m in sc.models]
    fh = ["Nettverk", "Ramme nå"] + names + [f"{n} mot nå" for n in names]
    frows: list[Row] = []
    for net in sc.networks:
        now = sc.current.get(net, 0)
        got = [sc.frames[n][net] for n in names]
        frows.append([net, now, *got, *(g - now for g in got)])
    total = ["Sum"] + [sum(r[k] for r in frows) for k in range(1, len(fh))]
    k = len(names)
    fmts = {j: FMT_KR for j in range(1, 2 + k)} | {j: FMT_DIFF for j in range(2 + k, 2 + 2 * k)}
    blocks.append(Block(row - 1, 1, [["Rammer per nettverk og modell"]], style="subtitle"))
    blocks.append(Block(row, 1, [fh] + frows, table="Modellrammer", formats=fmts, header=True))
    last = row + len(frows)
    blocks.append(Block(last + 1, 1, [total], formats=fmts, style="sum"))
    charts = []
    if frows:
        charts.append(Chart("bar", "Rammer per nettverk: nå og under hver modell", row + 1, last,
                            1, 2, f"A{last + 4}", last_val_col=2 + k))
    widths = {j: 18.0 for j in range(2, 3 + 2 * k)} | {1: 40.0, 3: 24.0}
    return SheetContent(T.S_MODEL_FRAMES, blocks, charts, widths, freeze=None)
