"""What the tool sheets hold, as pure data: blocks of values, formats and charts.

Both doors write the same :class:`SheetContent`: the file adapter with openpyxl or
XlsxWriter, the live-Excel adapter with xlwings (one round trip per block). So the button
and the command line cannot drift apart: only the writing differs, never the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dekom_xl.core import tables as T
from dekom_xl.core.cells import a1
from dekom_xl.core.decision import decision_paragraphs
from dekom_xl.core.engine import Outcome, frame_errors
from dekom_xl.core.layout import CHART_COL
from dekom_xl.core.model import Severity
from dekom_xl.core.money import format_kr
from dekom_xl.core.settlement import NETWORK
from dekom_xl.core.summary import OWN_USE

OWN_SHARE = "Nettverkene selv (egne tiltak og koordinering)"

# Number formats. "#,##0" is Norwegian Excel's "# ##0": the separator is the PC's own (a space
# with Norwegian regional settings, as the LibreOffice renders in docs/ show). Formats with
# literal spaces need conditional sections, and those drop or misplace the minus sign
# (LibreOffice shows -5 as "5"), so plain sections it is: negative amounts stay negative.
FMT_INT = '#,##0'
FMT_KR = '"kr "#,##0;"kr "-#,##0'
FMT_DIFF = '+#,##0;-#,##0;0'
FMT_KEY = '#,##0.0#'  # key figures with decimals (teacher FTEs); whole counts use FMT_INT
FMT_PCT = '0.0 %'
FMT_THOUSANDS = '#,##0,'  # chart axes: thousands of kroner (the axis title says so)
AXIS_THOUSANDS = "Tusen kroner"


Row = list[Any]  # one row of cell values: str, int, float, or None for an empty cell


@dataclass
class Block:
    """A rectangle of values with its top-left cell (1-based ``row``/``col``).

    ``table``: the block is an Excel Table of that name (first row = headers).
    ``formats``: column offset in the block → number format for the rows below the header
    (or every row when ``table`` is None and ``header`` is False).
    ``style``: ``title``, ``subtitle``, ``note``, ``text`` (wrapped paragraphs) or ``sum``.
    """

    row: int
    col: int
    values: list[Row]
    table: str | None = None
    formats: dict[int, str] = field(default_factory=dict)
    style: str | None = None
    header: bool = False
    alerts: dict[int, str] = field(default_factory=dict)  # column offset → "nonzero" | "over"
    wrap: tuple[int, ...] = ()  # column offsets whose text wraps (long remarks)

    @property
    def height(self) -> int:
        return len(self.values)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.values), default=0)

    @property
    def last_row(self) -> int:
        return self.row + self.height - 1

    @property
    def last_col(self) -> int:
        return self.col + self.width - 1


@dataclass
class Chart:
    """A native chart over a block: categories in column ``cat_col``, values in ``val_col``
    (1-based sheet columns), rows ``first_row``..``last_row``, placed at ``anchor``."""

    kind: str  # "pie" or "bar"
    title: str
    first_row: int
    last_row: int
    cat_col: int
    val_col: int
    anchor: str
    last_val_col: int | None = None  # several series: columns val_col..last_val_col, each
    # named by its header (the row above first_row), with a legend

    @property
    def value_cols(self) -> list[int]:
        return list(range(self.val_col, (self.last_val_col or self.val_col) + 1))

    @property
    def height_px(self) -> int:
        """How tall the chart is drawn: a pie 250 px; a bar chart gives each category room
        for its label (20 px), and each bar of a clustered group 12 px."""
        if self.kind == "pie":
            return 250
        series = len(self.value_cols)
        per = 20 if series == 1 else 12 * series
        return max(250, (self.last_row - self.first_row + 1) * per + 70)


@dataclass
class Page:
    """Print setup every writer applies: A4, orientation, fit to the page width, rows repeated
    on every page, and header/footer sections (Excel codes: &A sheet, &P page, &N pages,
    &D date)."""

    landscape: bool = True
    fit_width: bool = True
    repeat_rows: tuple[int, int] | None = None  # 1-based first and last row
    header_left: str = "&A"
    header_center: str = ""
    header_right: str = "Side &P av &N"
    footer_left: str = "Skrevet ut &D"
    footer_right: str = "dekom-xl"


@dataclass
class SheetContent:
    """Everything a tool sheet holds."""

    name: str
    blocks: list[Block] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column → width
    freeze: tuple[int, int] | None = None  # (row, col) of the first unfrozen cell
    heights: dict[int, float] = field(default_factory=dict)  # 1-based row → height (points)
    page: Page = field(default_factory=Page)

    def grid(self) -> dict[tuple[int, int], object]:
        """Every non-empty cell as ``{(row, col): value}`` (for tests and comparisons)."""
        out = {}
        for b in self.blocks:
            for i, r in enumerate(b.values):
                for j, v in enumerate(r):
                    if v is not None and v != "":
                        out[(b.row + i, b.col + j)] = v
        return out


def _title(text: str, sub: str | None = None) -> list[Block]:
    blocks = [Block(1, 1, [[text]], style="title")]
    if sub:
        blocks.append(Block(2, 1, [[sub]], style="note"))
    return blocks


def frames_sheet(o: Outcome) -> SheetContent:
    s = o.summary
    setup = o.data.setup
    header = ["Nettverk", "Nøkkeltall", "Grunntilskudd", "Andel etter nøkkel",
              "Ramme etter nøkkel", "Vedtatt ramme", "Avvik vedtatt mot nøkkel",
              "Ramme som brukes", "Koordinering (maks)", "Ramme inkl. koordinering",
              "Andel udisponert (likt)"]
    rows: list[Row] = []
    for n in s.networks:
        f = o.frames[n.network]
        key = float(f_key) if (f_key := _key(o, n.network)) is not None else None
        rows.append([n.network, key, f.base, f.share, f.frame, f.decided, f.deviation, f.used,
                     f.coordination, f.incl_coordination, n.rest_share])
    total = ["Sum", sum(r[1] or 0 for r in rows)] + [
        sum((r[k] or 0) for r in rows) for k in range(2, len(header))]
    if not any(r[5] is not None for r in rows):
        total[5] = total[6] = None
    sub = (f"Grunntilskudd kr {format_kr(setup.base_grant)} per nettverk, resten av potten "
           f"(kr {format_kr(s.pool - setup.base_grant * len(rows))}) fordelt etter {setup.key_label} "
           "med største-rest-metoden. Rammene summerer nøyaktig til potten "
           f"kr {format_kr(s.pool)}. Arket lages på nytt av verktøyet – skriv ikke her.")
    wrong = frame_errors(o.problems)
    whole = all(r[1] is None or float(r[1]).is_integer() for r in rows)
    fmts = {i: FMT_KR for i in range(2, len(header))} | {1: FMT_INT if whole else FMT_KEY,
                                                         6: FMT_DIFF}
    blocks = _title(f"Rammer {setup.year} – {setup.scheme}".strip(" –"), sub)
    if wrong:  # e.g. the key figures still «skal oppdateres» after new-year; short, on row 3
        blocks.append(Block(3, 1, [[f"IKKE RIKTIGE ENNÅ: {len(wrong)} feil i nøkkeltall, pott "
                                    "eller grunntilskudd – se arket Kontroll."]], style="note"))
    blocks.append(Block(4, 1, [header] + rows, table="Rammer", formats=fmts, header=True,
                        alerts={6: "nonzero"}))
    blocks.append(Block(4 + len(rows) + 1, 1, [total], formats=fmts, style="sum"))
    widths = {1: 34.0, 2: 10.0} | {c: 13.0 for c in range(3, len(header) + 1)}
    return SheetContent(T.S_FRAMES, blocks, widths=widths, freeze=(5, 2), heights={4: 45.0})


def _key(o: Outcome, name: str):
    n = next((n for n in o.data.networks if n.name == name), None)
    return n.key if n is not None else None


def lines_sheet(o: Outcome) -> SheetContent:
    header = list(T.LINE_COLUMNS)
    rows = []
    for sub in o.submissions:
        for c in sub.lines:
            rows.append([c.network, c.measure, c.network_cost, c.uh_cost, c.uh, c.remark,
                         c.where.file, c.where.sheet, c.where.cell])
    if not rows:
        rows = [[None] * len(header)]
    subs_header = list(T.SUBMISSION_COLUMNS)
    subs = [[s.network, s.coordination, s.unspent_network, s.unspent_uh, s.requested,
             s.where.file, s.where.sheet, s.where.cell, s.frame_sent, s.coordination_sent]
            for s in o.submissions] or [[None] * len(subs_header)]
    blocks = _title("Beslutningsgrunnlag – alle tiltakslinjer",
                    "Samlet fra nettverkenes beslutningsgrunnlag med «Hent beslutningsgrunnlag» "
                    "(dekom-xl collect). Arket lages på nytt av verktøyet – rett i kildefilen.")
    blocks.append(Block(4, 1, [header] + rows, table=T.LINES, formats={2: FMT_KR, 3: FMT_KR},
                        header=True, wrap=(0, 1, 5, 6)))
    below = 4 + len(rows) + 3  # the submissions under the lines: one table wide, not two
    blocks.append(Block(below - 1, 1, [["Innmeldinger (én rad per beslutningsgrunnlag)"]],
                        style="subtitle"))
    blocks.append(Block(below, 1, [subs_header] + subs, table=T.SUBMISSIONS,
                        formats={1: FMT_KR, 2: FMT_KR, 3: FMT_KR, 4: FMT_KR, 8: FMT_KR,
                                 9: FMT_KR}, header=True, wrap=(0, 5)))
    # 9 and 10: Celle above, and the frame and coordination the template was made with below
    widths = {1: 26.0, 2: 40.0, 3: 14.0, 4: 14.0, 5: 16.0, 6: 24.0, 7: 26.0, 8: 13.0, 9: 13.0,
              10: 13.0}
    heights = {5 + i: 15.0 * max(_lines(r[0], 26), _lines(r[1], 40), _lines(r[5], 24),
                                 _lines(r[6], 26)) for i, r in enumerate(rows)}
    heights[4] = 30.0
    heights |= {below + 1 + i: 15.0 * max(_lines(r[0], 26), _lines(r[5], 24))
                for i, r in enumerate(subs)}
    heights[below] = 30.0
    return SheetContent(T.S_LINES, blocks, widths=widths, freeze=(5, 1), heights=heights)


def summary_sheet(o: Outcome) -> SheetContent:
    s = o.summary
    setup = o.data.setup
    blocks = _title(f"Sammendrag {setup.year} – {setup.scheme}".strip(" –"),
                    f"Kontroll: {o.errors} feil og {_warnings(o.warnings)} – se arket Kontroll. "
                    "Arket lages på nytt av verktøyet.")
    # Per network
    nh = ["Nettverk", "Ramme", "Koordinering", "Ramme inkl. koordinering", "Meldt behov",
          "Innstilt", "Meldt behov mot ramme", "Vedtak", "Merknad"]
    # Innstilt as settled: «innstilles» without an amount is the frame incl. coordination.
    settled = {ns.network: ns.recommended for ns in o.settlement.networks
               if ns.decision is not None}
    nrows: list[Row] = [[n.network, n.frame, n.coordination, n.frame_incl, n.requested,
                         settled.get(n.network, n.recommended), n.difference, n.decision,
                         _join(n.remark, n.condition)] for n in s.networks]
    ntotal: Row = ["Sum"] + [sum(r[k] or 0 for r in nrows) for k in range(1, 7)] + [None, None]
    row = 4
    blocks.append(Block(row - 1, 1, [["Per nettverk"]], style="subtitle"))
    nfmt = {1: FMT_KR, 2: FMT_KR, 3: FMT_KR, 4: FMT_KR, 5: FMT_KR, 6: FMT_DIFF}
    blocks.append(Block(row, 1, [nh] + nrows, table="SammendragNettverk", formats=nfmt,
                        header=True, alerts={6: "nonzero"}, wrap=(8,)))
    net_first, net_last = row + 1, row + len(nrows)
    blocks.append(Block(net_last + 1, 1, [ntotal], formats=nfmt, style="sum"))
    # Per recipient: the settlement once the forum has recommended, else the requests.
    row = net_last + 4
    st = o.settlement
    decided = any(ns.decision is not None for ns in st.networks)
    rh = ["Mottaker", "Beløp", "Andel"]
    if decided:
        title = "Per mottaker (innstilte beløp, fordelt på UH og nettverkene selv)"
        pairs = [(r.recipient, r.amount) for r in st.recipients if r.kind != NETWORK]
        pairs.append((OWN_SHARE, st.own_total))
        extra_rows = [["  herav holdt tilbake (vilkår)", st.held_total, None]]
    else:
        title = "Per mottaker (meldt behov fordelt på UH og nettverkene)"
        pairs = [(r.recipient, r.amount) for r in s.recipients]
        own = next((r for r in s.recipients if r.recipient == OWN_USE), None)
        extra_rows = [] if own is None else [["  herav egne tiltak", own.own_costs, None],
                                             ["  herav koordinering", own.coordination, None]]
    total_req = sum(a for _, a in pairs)
    rrows = [[name, a, round(a / total_req, 6) if total_req else 0] for name, a in pairs]
    blocks.append(Block(row - 1, 1, [[title]], style="subtitle"))
    blocks.append(Block(row, 1, [rh] + rrows, table="SammendragMottakere",
                        formats={1: FMT_KR, 2: FMT_PCT}, header=True))
    rec_first, rec_last = row + 1, row + len(rrows)
    extra = [["Sum", total_req, 1 if total_req else 0]] + extra_rows
    blocks.append(Block(rec_last + 1, 1, extra, formats={1: FMT_KR, 2: FMT_PCT}, style="sum"))
    # Budget against grant
    row = rec_last + len(extra) + 4
    b = s.budget
    bh = ["Post", "Beløp", "Status"]
    brows = [[line.label, line.amount, line.status.value] for line in b.lines]
    blocks.append(Block(row - 1, 1, [["Budsjett mot tildelt beløp"]], style="subtitle"))
    blocks.append(Block(row, 1, [bh] + brows, table="SammendragBudsjett", formats={1: FMT_KR},
                        header=True, wrap=(0,)))
    after = row + len(brows) + 1
    recon = [
        ["Tildelt beløp", b.grant, None],
        ["Sum faste poster", b.allocated, "fast"],
        ["Sum usikre poster", b.uncertain, "usikker"],
        ["Udisponert (tildelt minus faste poster)", b.unallocated, None],
        ["Udisponert hvis de usikre postene brukes", b.unallocated_if_uncertain, None],
    ]
    blocks.append(Block(after, 1, recon, formats={1: FMT_KR}, style="sum"))
    # Charts beside the narrow recipient and budget tables (columns E–I), below the wide one.
    charts = [
        Chart("pie", "Fordeling per mottaker", rec_first, rec_last, 1, 2,
              a1(rec_first - 1, CHART_COL)),
        Chart("bar", "Rammer per nettverk", net_first, net_last, 1, 2, a1(row - 1, CHART_COL)),
    ]
    widths = {1: 48.0, 2: 16.0, 3: 16.0, 4: 16.0, 5: 16.0, 6: 16.0, 7: 16.0, 8: 12.0, 9: 55.0}
    heights = {4: 30.0} | {net_first + i: _height(r[8], widths[9]) for i, r in enumerate(nrows)}
    heights |= {row + 1 + i: _height(r[0], widths[1]) for i, r in enumerate(brows)}
    return SheetContent(T.S_SUMMARY, blocks, charts, widths, freeze=None, heights=heights)


def check_sheet(o: Outcome) -> SheetContent:
    header = ["Alvorlighet", "Kode", "Melding", "Nettverk", "Fil", "Ark", "Celle"]
    rows = [[p.severity.value, p.code, p.message, p.network, p.file, p.sheet, p.cell]
            for p in o.problems]
    if not rows:
        rows = [[Severity.INFO.value, "ok", "Ingen problemer funnet.", None, None, None, None]]
    infos = sum(p.severity is Severity.INFO for p in o.problems)
    notes = "merknad" if infos == 1 else "merknader"
    blocks = _title("Kontroll", f"{o.errors} feil, {_warnings(o.warnings)} og {infos} {notes}. "
                    "Feil må rettes før vedtak; rett i kildefilen eller på arket som er nevnt, "
                    "og kjør «Oppdater sammendrag» på nytt.")
    blocks.append(Block(4, 1, [header] + rows, table="Kontroll", header=True, wrap=(1, 2, 3, 4)))
    widths = {1: 11.0, 2: 22.0, 3: 70.0, 4: 22.0, 5: 22.0, 6: 14.0, 7: 8.0}
    heights = {5 + i: 15.0 * max(_lines(r[2], 70), _lines(r[3], 22), _lines(r[4], 22),
                                 _lines(r[1], 22)) for i, r in enumerate(rows)}
    return SheetContent(T.S_CHECK, blocks, widths=widths, freeze=(5, 1), heights=heights)


def decision_sheet(o: Outcome) -> SheetContent:
    setup = o.data.setup
    paras = decision_paragraphs(o)
    blocks = _title(f"Forslag til vedtak – {setup.scheme} {setup.year}".strip(" –"),
                    "Generert fra tallene i arbeidsboken. Kopier teksten til protokollen.")
    blocks.append(Block(4, 1, [[p] for p in paras], style="text"))
    heights = {4 + i: _height(p, 84.0) for i, p in enumerate(paras)}
    return SheetContent(T.S_DECISION, blocks, widths={1: 78.0}, heights=heights,
                        page=Page(landscape=False))


def payments_sheet(o: Outcome) -> SheetContent:
    from dekom_xl.core.payments import HEADER, payments

    setup = o.data.setup
    pays = payments(o)
    rows = [p.row() for p in pays] or [[None] * len(HEADER)]
    total = sum(p.amount for p in pays)
    st = o.settlement
    blocks = _title(f"Utbetaling – {setup.scheme} {setup.year}".strip(" –"),
                    f"Én rad per mottaker og status, fra innstillingen. Summen kr {format_kr(total)} "
                    f"stemmer med fordelingen per mottaker (kr {format_kr(st.total)}). Arket lages på "
                    "nytt av verktøyet.")
    blocks.append(Block(4, 1, [HEADER] + rows, table="Utbetaling", formats={3: FMT_KR},
                        header=True, wrap=(0, 4, 5, 9)))
    blocks.append(Block(4 + len(rows) + 1, 1, [["Sum", None, None, total]],
                        formats={3: FMT_KR}, style="sum"))
    widths = {1: 28.0, 2: 8.0, 3: 22.0, 4: 13.0, 5: 18.0, 6: 30.0, 7: 6.0, 8: 17.0, 9: 11.0,
              10: 35.0}  # 3: «Organisasjonsnummer» on one line
    heights = {5 + i: max(_height(r[0], 28.0), _height(r[4], 18.0), _height(r[5], 30.0),
                          _height(r[9], 35.0)) for i, r in enumerate(rows)}
    heights[4] = 30.0
    return SheetContent(T.S_PAYMENTS, blocks, widths=widths, freeze=(5, 2), heights=heights)


def tool_sheets(o: Outcome) -> list[SheetContent]:
    """All tool sheets, in workbook order, with their print setup."""
    from dekom_xl.core.reduction_view import add_to_summary
    from dekom_xl.core.scenario_sheet import model_frames_sheet

    summary, decision = summary_sheet(o), decision_sheet(o)
    add_to_summary(summary, o)  # unspent money taken off the new allocation (Saldo)
    sheets = [frames_sheet(o), lines_sheet(o), summary, check_sheet(o), decision,
              payments_sheet(o)]
    models = model_frames_sheet(o)
    sheets += [models] if models is not None else []
    setup = o.data.setup
    center = f"{setup.scheme} {setup.year}".strip().replace("&", "&&")
    for sheet in sheets:
        sheet.page.header_center = center
        header = next((b for b in sheet.blocks if b.header), None)
        if header is not None and sheet.page.repeat_rows is None:
            sheet.page.repeat_rows = (header.row, header.row)
    return sheets


def _warnings(n: int) -> str:
    """``1 advarsel``, ``2 advarsler``."""
    return f"{n} advarsel" if n == 1 else f"{n} advarsler"


def _height(text: object, width: float) -> float:
    """Row height (points) that shows ``text`` wrapped in a column ``width`` characters wide."""
    return 15.0 * _lines(text, width)


def _lines(text: object, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide (word wrap slack)."""
    words = str(text or "").split()
    lines, used = 1, 0.0
    for w in words:
        if used and used + 1 + len(w) > width * 0.95:
            lines, used = lines + 1, 0.0
        used += len(w) + (1 if used else 0)
        while used > width:  # a word wider than the column breaks (a file name)
            lines, used = lines + 1, used - width
    return lines


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _widths(rows: list[Row], lo: float = 8.0, hi: float = 50.0) -> dict[int, float]:
    out: dict[int, float] = {}
    for r in rows:
        for j, v in enumerate(r):
            if v is None:
                continue
            n = len(f"{v:,}") if isinstance(v, int) else len(str(v))
            out[j + 1] = max(out.get(j + 1, lo), min(hi, n * 1.1 + 2))
    return out
