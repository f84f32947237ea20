"""Reductions for unspent money in the tool sheets: a block at the foot of ``Sammendrag`` and
the paragraph the decision text (core/decision.py) states (pure content)."""

from __future__ import annotations

from dekom_xl.core.balances import PART_UH
from dekom_xl.core.decision import kr  # amounts in prose: non-breaking spaces
from dekom_xl.core.engine import Outcome
from dekom_xl.core.money import format_kr
from dekom_xl.core.render import FMT_KR, Block, SheetContent


def _bottom(content: SheetContent) -> int:
    return max((b.last_row for b in content.blocks), default=0)


def add_to_summary(content: SheetContent, o: Outcome) -> None:
    if not o.reductions:
        return
    row = _bottom(content) + 3
    head = ["Mottaker", "Del", "Ubrukt (Saldo)", "Tildelt før avkorting", "Avkortet",
            "Tildeling etter avkorting"]
    rows = [[r.recipient, r.part, r.unspent, r.allocated, r.reduced, r.after]
            for r in o.reductions]
    fm = {2: FMT_KR, 3: FMT_KR, 4: FMT_KR, 5: FMT_KR}
    content.blocks.append(Block(row - 1, 1, [["Avkorting for ubrukte midler (regelen på "
                                              "Oppsett, tallene på arket Saldo)"]],
                                style="subtitle"))
    content.blocks.append(Block(row, 1, [head] + rows, table="SammendragAvkorting", formats=fm,
                                header=True))
    total = ["Sum", None] + [sum(r[j] for r in rows) for j in range(2, 6)]
    content.blocks.append(Block(row + len(rows) + 1, 1, [total], formats=fm, style="sum"))
    if o.rest is not None:
        content.blocks.append(Block(row + len(rows) + 2, 1, [[
            f"Det avkortede beløpet blir stående som udisponerte midler: kr "
            f"{format_kr(o.rest.after)} etter innstillingen, avkortingen medregnet."]],
            style="note"))


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def paragraph(o: Outcome) -> str | None:
    """The decision text for the reductions (None when there are none)."""
    if not o.reductions:
        return None
    y = o.data.setup.year
    parts = []
    networks = {n.network for n in o.settlement.networks}
    for r in o.reductions:
        who = (f"UH-delen til {r.recipient}" if r.part == PART_UH and r.recipient in networks
               else r.recipient)
        sources = _and([f"kroner {kr(a)} av «{src}»" if src not in networks
                        else f"kroner {kr(a)} av beløpet gjennom {src}"
                        for src, a in r.taken])
        parts.append(f"{who} avkortes med kroner {kr(r.reduced)} ({sources}), fra kroner "
                     f"{kr(r.allocated)} til kroner {kr(r.after)}")
    total = sum(r.reduced for r in o.reductions)
    return (f"På bakgrunn av rapportering på tidligere tildelinger avkortes {y}-midlene opp mot "
            f"gjenstående midler: {'; '.join(parts)}. Til sammen avkortes kroner "
            f"{kr(total)}, som blir stående som udisponerte midler.")
