"""Building new workbooks with XlsxWriter: the allocation workbook and the decision-base template.

XlsxWriter writes only new files, so it builds; :mod:`dekom_xl.io.files` (openpyxl) updates.
Both write the tool sheets from the same :mod:`dekom_xl.render` blocks.

``python -m dekom_xl.io.build`` regenerates the committed files in ``xlsx_templates/``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from dekom_xl import tables as T
from dekom_xl.engine import Outcome, evaluate
from dekom_xl.io.files import FileWorkbook, _find_table, atomic_save
from dekom_xl.model import CostLine, Network, YearData
from dekom_xl.names import fold
from dekom_xl.render import FMT_DIFF, FMT_INT, FMT_KEY, FMT_KR, Block, SheetContent, tool_sheets

AMBER = "#FFD966"
RED = "#F4B6B6"
HEAD = "#DDEBF7"
MAX_AMOUNT = 1_000_000_000

INSTRUCTIONS = [
    "Slik bruker du arbeidsboken:",
    "1. Fyll inn år, ordning, tildelt beløp, grunntilskudd og nøkkel her, og budsjettpostene i "
    "tabellen Budsjett (status «fast» eller «usikker»).",
    "2. Fyll inn nettverkene (nøkkeltall, koordinering, eventuelt vedtatt ramme og alias) og "
    "UH-institusjonene på arket Nettverk.",
    "3. Trykk «Beregn rammer» (eller kjør «dekom-xl frames»). Send hvert nettverk sin ferdig "
    "utfylte mal («dekom-xl templates»).",
    "4. Legg de utfylte beslutningsgrunnlagene i mappen under, og trykk «Hent "
    "beslutningsgrunnlag» («dekom-xl collect»).",
    "5. Fyll inn innstillingen på arket Innstilling og trykk «Oppdater sammendrag».",
    "Arkene Rammer, Beslutningsgrunnlag, Sammendrag, Kontroll og Vedtak lages på nytt av "
    "verktøyet hver gang – skriv ikke der. Oppsett, Nettverk og Innstilling er deres og endres "
    "aldri av verktøyet.",
]

CRITERIA_QUESTIONS = {
    "a": "a) Hvem prioriteres i tiltakene?",
    "b": "b) Hvordan bygger tiltakene på lokale behov?",
    "c": "c) Hvordan er tiltakene prioritert etter størst behov?",
    "d": "d) Hvordan henger tiltakene sammen med nettverkets langsiktige plan?",
    "e": "e) Hvilken metode brukes for kollektiv læring og endret praksis?",
    "f": "f) Hvilke tegn brukes for å vurdere effekt?",
    "g": "g) Hvordan er tiltakene planlagt og gjennomført sammen med UH?",
    "h": "h) Hvordan er fordelingen mellom UH og nettverket begrunnet?",
    "i": "i) Ubrukte midler fra tidligere år (nettverk og UH): hvor mye? (beløp over)",
    "j": "j) Hva er planen for de ubrukte midlene?",
}


class _Formats:
    """The XlsxWriter formats used across a workbook."""

    def __init__(self, wb: xlsxwriter.Workbook):
        f = wb.add_format
        self.title = f({"bold": True, "font_size": 14})
        self.subtitle = f({"bold": True, "font_size": 12})
        self.note = f({"italic": True, "font_color": "#555555"})
        self.text = f({"text_wrap": True, "valign": "top"})
        self.wrap = f({"text_wrap": True})
        self.top = f({"valign": "top"})
        self.bold = f({"bold": True})
        # Table headers: an explicit light fill so they read the same in LibreOffice, which
        # ignores Excel's table styles, and in Excel, where cell formats win over the style.
        self.head = f({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": HEAD,
                       "bottom": 1})
        self.head_num = f({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": HEAD,
                           "bottom": 1, "align": "right"})
        self.label = f({"bold": True, "locked": True})
        self.kr = f({"num_format": FMT_KR})
        self.kr_input = f({"num_format": FMT_KR, "locked": False, "bg_color": "#FFF9E6"})
        self.kr_locked = f({"num_format": FMT_KR, "locked": True, "bg_color": "#EEEEEE"})
        self.kr_bold = f({"num_format": FMT_KR, "bold": True, "bg_color": "#EEEEEE"})
        self.diff = f({"num_format": FMT_DIFF})
        self.input = f({"locked": False, "bg_color": "#FFF9E6"})
        self.input_wrap = f({"locked": False, "bg_color": "#FFF9E6", "text_wrap": True,
                             "valign": "top"})
        self.locked = f({"locked": True, "bg_color": "#EEEEEE"})
        self.open = f({"locked": False})
        self.open_kr = f({"locked": False, "num_format": FMT_KR})
        self.sum = f({"bold": True, "bg_color": "#EEEEEE"})
        self.amber = f({"bg_color": AMBER})
        self.red = f({"bg_color": RED, "font_color": "#9C0006"})
        self.small = f({"font_color": "#999999", "font_size": 8})
        self.small_left = f({"font_color": "#999999", "font_size": 8, "align": "left"})
        self.warning = f({"bold": True, "font_color": "#9C0006"})
        self.cache: dict[tuple[str, str | None, bool], object] = {}

        self._wb = wb

    def number(self, fmt: str, style: str | None = None, *, top: bool = False):
        """A number format (bold and grey on sum rows; top-aligned beside wrapped text)."""
        key = (fmt, style, top)
        if key not in self.cache:
            props = {"num_format": fmt}
            if style == "sum":
                props |= {"bold": True, "bg_color": "#EEEEEE"}
            if top:
                props["valign"] = "top"
            self.cache[key] = self._wb.add_format(props)
        return self.cache[key]


def _new_workbook(path: Path) -> tuple[xlsxwriter.Workbook, _Formats]:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    return wb, _Formats(wb)


def _write(ws, row: int, col: int, value, fmt=None) -> None:
    """Write one value 0-based; strings are always strings (never formulas)."""
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _page(ws, landscape: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)


def write_content(wb, fm: _Formats, content: SheetContent) -> None:
    """Write a tool sheet's :class:`SheetContent` with XlsxWriter (mirror of files.write_content)."""
    ws = wb.add_worksheet(content.name)
    for block in content.blocks:
        _write_block(ws, fm, block)
    for col, width in content.widths.items():
        ws.set_column(col - 1, col - 1, width)
    for row, height in content.heights.items():
        ws.set_row(row - 1, height)
    if content.freeze:
        ws.freeze_panes(content.freeze[0] - 1, content.freeze[1] - 1)
    for ch in content.charts:
        if ch.last_row < ch.first_row:
            continue
        chart = wb.add_chart({"type": "pie" if ch.kind == "pie" else "bar"})
        chart.add_series({
            "categories": [content.name, ch.first_row - 1, ch.cat_col - 1, ch.last_row - 1,
                           ch.cat_col - 1],
            "values": [content.name, ch.first_row - 1, ch.val_col - 1, ch.last_row - 1,
                       ch.val_col - 1],
            "data_labels": {"percentage": True} if ch.kind == "pie" else {},
        })
        chart.set_title({"name": ch.title})
        if ch.kind == "bar":
            chart.set_legend({"none": True})
            chart.set_x_axis({"num_format": FMT_INT, "major_gridlines": {"visible": True}})
            chart.set_y_axis({"reverse": True, "interval_unit": 1})
        # A bar per network needs room for every label (about 20 px a bar).
        n = ch.last_row - ch.first_row + 1
        height = 250 if ch.kind == "pie" else max(250, 20 * n + 70)
        chart.set_size({"width": 560, "height": height})
        ws.insert_chart(ch.anchor, chart)
    _page(ws)
    if content.name == T.S_SUMMARY and _pages_tall(content) <= 1.5:
        ws.fit_to_pages(1, 1)  # a summary for a meeting: one page when it nearly fits anyway


def _pages_tall(content: SheetContent) -> float:
    """About how many A4 landscape pages ``content`` takes when fitted to the page width."""
    rows = max((b.last_row for b in content.blocks), default=1)
    height = sum(content.heights.get(r, 15.0) for r in range(1, rows + 1))
    width = sum(content.widths.get(c, 8.43) for c in range(1, max(content.widths, default=1) + 1))
    scale = min(1.0, 770 / (width * 5.6))  # A4 landscape inside the margins, in points
    return height * scale / 520


def _cell_format(fm: _Formats, block: Block, i: int, j: int, v):
    """The format of value ``v`` at row ``i``, column ``j`` of ``block``.

    In a block with wrapped columns every cell is top-aligned, so a row reads as one line.
    """
    top = bool(block.wrap)
    if block.header and i == 0:
        return fm.head_num if j in block.formats else fm.head
    if block.formats.get(j) and isinstance(v, (int, float)):
        return fm.number(block.formats[j], block.style, top=top)
    if j in block.wrap:
        return fm.text
    style = {"title": fm.title, "subtitle": fm.subtitle, "note": fm.note, "text": fm.text,
             "sum": fm.sum}.get(block.style or "")
    return style if style is not None or not top else fm.top


def _write_block(ws, fm: _Formats, block: Block) -> None:
    r0, c0 = block.row - 1, block.col - 1
    for i, row in enumerate(block.values):
        for j, v in enumerate(row):
            _write(ws, r0 + i, c0 + j, v, _cell_format(fm, block, i, j, v))
    first = r0 + (1 if block.header else 0)
    for j, rule in block.alerts.items():
        if block.height - (1 if block.header else 0) <= 0:
            continue
        top = xl_rowcol_to_cell(first, c0 + j)
        formula = f"=AND(ISNUMBER({top}),{top}<>0)" if rule == "nonzero" else f"={top}>0"
        ws.conditional_format(first, c0 + j, r0 + block.height - 1, c0 + j,
                              {"type": "formula", "criteria": formula, "format": fm.amber})
    if block.table and block.height >= 2:
        ws.add_table(r0, c0, r0 + block.height - 1, c0 + block.width - 1, {
            "name": block.table, "style": "Table Style Medium 2",
            "columns": [{"header": str(h), "header_format": _cell_format(fm, block, 0, j, h)}
                        for j, h in enumerate(block.values[0])]})
        # add_table writes headers itself; re-write the data cells it may have blanked
        for i, row in enumerate(block.values[1:], start=1):
            for j, v in enumerate(row):
                _write(ws, r0 + i, c0 + j, v, _cell_format(fm, block, i, j, v))


# -- the allocation workbook ---------------------------------------------------------------
SETUP_FIELDS = [  # (label, defined name)
    ("År", T.N_YEAR),
    ("Ordning", T.N_SCHEME),
    ("Tildelt beløp", T.N_GRANT),
    ("Grunntilskudd per nettverk", T.N_BASE),
    ("Fordelingsnøkkel", T.N_KEY),
    ("Mappe med beslutningsgrunnlag (ved siden av arbeidsboken)", T.N_FOLDER),
    ("Type arbeidsbok (ikke endre)", T.N_KIND),
]
SETUP_FIRST_ROW = 11  # 1-based row of the first field
BUDGET_HEADER_ROW = 25  # 1-based row of the Budsjett table header


def build_allocation(data: YearData, path: Path, *, outcome: Outcome | None = None,
                     vba_project: Path | None = None,
                     buttons: dict[str, list[tuple[str, str, str]]] | None = None) -> Path:
    """Write a new allocation workbook for ``data`` (all eight sheets) atomically.

    ``vba_project`` and ``buttons`` (``{sheet: [(cell, caption, macro)]}``) make an .xlsm.
    """
    path = Path(path)
    outcome = outcome or evaluate(data)

    def write(tmp: str) -> None:
        wb, fm = _new_workbook(Path(tmp))
        if vba_project is not None:
            wb.add_vba_project(str(vba_project))
            wb.set_vba_name("ThisWorkbook")
        _setup_sheet(wb, fm, data)
        _networks_sheet(wb, fm, data)
        _recommendations_sheet(wb, fm, data)
        for content in tool_sheets(outcome):
            write_content(wb, fm, content)
        for sheet, items in (buttons or {}).items():
            ws = wb.get_worksheet_by_name(sheet)
            for cell, caption, macro in items:
                ws.insert_button(cell, {"macro": macro, "caption": caption, "width": 190,
                                        "height": 32})
        wb.close()

    if vba_project is not None and path.suffix.lower() != ".xlsm":
        raise ValueError("a workbook with macros must be named .xlsm")
    return atomic_save(write, path)


def _setup_sheet(wb, fm: _Formats, data: YearData) -> None:
    s = data.setup
    ws = wb.add_worksheet(T.S_SETUP)
    for col, width in enumerate([52, 50, 16, 12, 60]):
        ws.set_column(col, col, width)
    _write(ws, 0, 0, f"Fordeling av {s.scheme} {s.year}".strip(), fm.title)
    for i, line in enumerate(INSTRUCTIONS):
        _write(ws, 1 + i, 0, line, fm.note if i else fm.bold)
    values = [s.year, s.scheme, s.grant, s.base_grant, s.key_label, s.folder, T.KIND_ALLOCATION]
    for i, ((label, name), value) in enumerate(zip(SETUP_FIELDS, values, strict=True)):
        r = SETUP_FIRST_ROW - 1 + i
        _write(ws, r, 0, label, fm.bold)
        fmt = fm.kr_input if name in (T.N_GRANT, T.N_BASE) else fm.input
        if name == T.N_KIND:
            fmt = fm.small
        _write(ws, r, 1, value, fmt)
        wb.define_name(name, f"={_q(T.S_SETUP)}!${_c(1)}${r + 1}")
        if name in (T.N_GRANT, T.N_BASE):
            ws.data_validation(r, 1, r, 1, _whole_number())
    grant = f"$B${SETUP_FIRST_ROW + 2}"
    # Live checks of the budget (recalculate in Excel and LibreOffice). Structured references
    # follow the table when the user adds a line; LibreOffice evaluates Table[Column] refs.
    amt, st = f"{T.BUDGET}[{T.BUDGET_COLUMNS[2]}]", f"{T.BUDGET}[{T.BUDGET_COLUMNS[3]}]"
    checks = [
        ("Sum faste poster", f'=SUMIF({st},"fast",{amt})'),
        ("Sum usikre poster", f'=SUMIF({st},"usikker",{amt})'),
        ("Udisponert (tildelt minus faste poster)", f"={grant}-B19"),
        ("Udisponert hvis de usikre postene brukes", f"={grant}-B19-B20"),
    ]
    _write(ws, 17, 0, "Kontroll av budsjettet (regnes ut mens du skriver)", fm.subtitle)
    ws.set_row(17, 27)  # air between the fields and the checks
    for i, (label, formula) in enumerate(checks):
        _write(ws, 18 + i, 0, label, fm.bold)
        ws.write_formula(18 + i, 1, formula, fm.kr_locked)
    _write(ws, 18, 2, None)
    ws.write_formula(18, 2, f'=IF(B19>{grant},"Over tildelt beløp!","")', fm.bold)
    ws.write_formula(19, 2, f'=IF(B19+B20>{grant},"Over med usikre poster","")', fm.bold)
    ws.conditional_format("B19", {"type": "formula", "criteria": f"=B19>{grant}",
                                  "format": fm.red})
    ws.conditional_format("B21", {"type": "formula", "criteria": "=B21<0", "format": fm.red})
    ws.conditional_format("B22", {"type": "formula", "criteria": "=B22<0", "format": fm.amber})
    _write(ws, BUDGET_HEADER_ROW - 2, 0, "Budsjett", fm.subtitle)
    rows = [[b.line_id, b.label, b.amount, b.status.value, b.note] for b in data.budget]
    if not rows:
        rows = [[None] * 5]
    r0 = BUDGET_HEADER_ROW - 1
    _user_table(ws, fm, r0, 0, T.BUDGET, T.BUDGET_COLUMNS, rows,
                lambda j: fm.kr if j == 2 else (fm.wrap if j in (1, 4) else None))
    for i, row in enumerate(rows, start=1):
        # LibreOffice does not fit row heights to wrapped text: set them (Excel keeps them too).
        ws.set_row(r0 + i, 15 * max(_lines(row[1], 50), _lines(row[4], 60)))
    ws.data_validation(r0 + 1, 3, r0 + len(rows) + 200, 3, {
        "validate": "list", "source": ["fast", "usikker"],
        "error_title": "Status", "error_message": "Velg «fast» eller «usikker»."})
    ws.data_validation(r0 + 1, 2, r0 + len(rows) + 200, 2, _whole_number())
    ws.conditional_format(r0 + 1, 2, r0 + len(rows) + 200, 2, {
        "type": "formula", "criteria": f"=$B$19>{grant}", "format": fm.red})
    ws.conditional_format(r0 + 1, 0, r0 + len(rows) + 200, 4, {
        "type": "formula", "criteria": f'=$D{r0 + 2}="usikker"',
        "format": wb.add_format({"font_color": "#C00000"})})
    ws.freeze_panes(1, 0)
    _page(ws, landscape=True)


def _lines(text: object, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    return max(1, -(-len(str(text or "")) // max(int(width * 1.1), 1)))


def _whole_number() -> dict:
    return {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": MAX_AMOUNT,
            "error_title": "Beløp", "error_message": "Skriv et beløp i hele kroner (0 eller "
            "mer), uten øre og uten tekst."}


def _user_table(ws, fm: _Formats, r0: int, c0: int, name: str, columns: list[str],
                rows: list[list[object]], fmt_of=lambda j: None) -> None:
    """A user table: header at 0-based row ``r0``/col ``c0``, rows formatted by ``fmt_of(j)``."""
    ws.add_table(r0, c0, r0 + len(rows), c0 + len(columns) - 1, {
        "name": name, "style": "Table Style Medium 2",
        "columns": [{"header": h, "header_format": fm.head} for h in columns]})
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _write(ws, r0 + i, c0 + j, v, fmt_of(j))


def _networks_sheet(wb, fm: _Formats, data: YearData) -> None:
    ws = wb.add_worksheet(T.S_NETWORKS)
    _write(ws, 0, 0, "Nettverk og UH-institusjoner", fm.title)
    _write(ws, 1, 0, "Nøkkeltall: " + data.setup.key_label + ". Alias skilles med semikolon. "
           "Vedtatt ramme er valgfri; verktøyet viser avviket fra nøkkelen på arket Rammer.",
           fm.note)
    rows = [[n.name, n.short_name, float(n.key) if n.key.denominator != 1 else int(n.key),
             n.coordination_max, n.frame_decided, "; ".join(n.aliases)] for n in data.networks]
    rows = rows or [[None] * 6]
    r0 = 3
    key_fmt = fm.number(FMT_INT if all(n.key.denominator == 1 for n in data.networks)
                        else FMT_KEY)
    _user_table(ws, fm, r0, 0, T.NETWORKS, T.NETWORK_COLUMNS, rows,
                lambda j: fm.kr if j in (3, 4) else (key_fmt if j == 2 else None))
    ws.data_validation(r0 + 1, 3, r0 + len(rows) + 100, 4, _whole_number())
    unis = [[u.name, "; ".join(u.aliases)] for u in data.universities] or [[None, None]]
    _user_table(ws, fm, r0, 7, T.UNIVERSITIES, T.UNIVERSITY_COLUMNS, unis)
    for col, width in enumerate([40, 20, 12, 14, 14, 50, 3, 22, 50]):
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)


def _recommendations_sheet(wb, fm: _Formats, data: YearData) -> None:
    ws = wb.add_worksheet(T.S_RECOMMENDATIONS)
    _write(ws, 0, 0, "Innstilling fra samarbeidsforum", fm.title)
    _write(ws, 1, 0, "Beløp inkluderer koordinering. Et beløp over rammen inkl. koordinering "
           "trenger en merknad.", fm.note)
    rows = [[r.network, r.decision.value if r.decision else None, r.amount, r.remark,
             r.condition] for r in data.recommendations]
    rows = rows or [[n.name, None, None, None, None] for n in data.networks] or [[None] * 5]
    r0 = 3
    _user_table(ws, fm, r0, 0, T.RECOMMENDATIONS, T.RECOMMENDATION_COLUMNS, rows,
                lambda j: fm.kr if j == 2 else (fm.text if j in (3, 4) else None))
    ws.data_validation(r0 + 1, 1, r0 + len(rows) + 100, 1, {
        "validate": "list", "source": ["innstilles", "delvis", "avslås"],
        "error_title": "Vedtak", "error_message": "Velg innstilles, delvis eller avslås."})
    ws.data_validation(r0 + 1, 2, r0 + len(rows) + 100, 2, _whole_number())
    for col, width in enumerate([40, 14, 14, 70, 50]):
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _c(col0: int) -> str:
    from dekom_xl.cells import col_letter

    return col_letter(col0 + 1)


# -- the decision-base template ------------------------------------------------------------
OUTSIDE_TABLE = ("Noe står under tabellen Tiltak og blir ikke med. Gjør tabellen større: "
                 "opphev arkbeskyttelsen (det er ikke passord) og dra i tabellens nedre hjørne.")
TEMPLATE_ROWS = 25  # empty rows in the Tiltak table (Excel cannot grow a table on a
# protected sheet: a network that needs more lifts the protection, which has no password)
TABLE_HEADER_ROW = 31  # 1-based; the table is last on the sheet so it can grow downwards
UH_LIST_COL = 7  # 0-based: the hidden column H holds the UH list behind the drop-down
MAX_LINES = 2000  # rows below the header covered by the live total and the validation


def template_filename(year: int, network: Network) -> str:
    """``beslutningsgrunnlag_2025_fosen.xlsx``: an ASCII slug of the short name (or name)."""
    slug = re.sub(r"[^a-z0-9]+", "_", fold(network.short_name or network.name)).strip("_")
    return f"beslutningsgrunnlag_{year}_{slug or 'nettverk'}.xlsx"


def build_template(data: YearData, network: str, path: Path, *,
                   outcome: Outcome | None = None) -> Path:
    """Write the prefilled decision-base template for ``network`` (its canonical name)."""
    outcome = outcome or evaluate(data)
    frame = outcome.frames[network]
    s = data.setup
    unis = [u.name for u in data.universities]

    def write(tmp: str) -> None:
        wb, fm = _new_workbook(Path(tmp))
        ws = wb.add_worksheet(T.TEMPLATE_SHEET)
        ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True,
                        "delete_rows": True, "sort": True, "autofilter": True})
        _write(ws, 0, 0, f"Beslutningsgrunnlag – {s.scheme} {s.year}".strip(), fm.title)
        _write(ws, 1, 0, "Fyll inn de gule cellene: ett tiltak per rad (et tiltak med to "
               "UH-partnere tar to rader), planlagt koordinering, ubrukte midler og svar på "
               "kriteriene. Meldt behov og avstand til rammen regnes ut mens du skriver.", fm.note)
        head = [
            ("Nettverk", network, T.N_NETWORK, fm.locked),
            ("År", s.year, T.N_YEAR, fm.locked),
            ("Ordning", s.scheme, T.N_SCHEME, fm.locked),
            ("Ramme", frame.used, T.N_FRAME, fm.kr_locked),
            ("Koordinering (maksimum)", frame.coordination, None, fm.kr_locked),
        ]
        for i, (label, value, name, fmt) in enumerate(head):
            _write(ws, 3 + i, 0, label, fm.label)
            _write(ws, 3 + i, 1, value, fmt)
            if name:
                wb.define_name(name, f"={_q(T.TEMPLATE_SHEET)}!$B${4 + i}")
        _write(ws, 8, 0, "Ramme inkl. koordinering", fm.label)
        ws.write_formula(8, 1, "=B7+B8", fm.kr_locked, frame.incl_coordination)
        _write(ws, 9, 0, "Planlagt koordinering (høyst maksimum)", fm.label)
        _write(ws, 9, 1, frame.coordination, fm.kr_input)
        wb.define_name(T.N_COORDINATION, f"={_q(T.TEMPLATE_SHEET)}!$B$10")
        ws.data_validation(9, 1, 9, 1, {"validate": "integer", "criteria": "between",
                                        "minimum": 0, "maximum": frame.coordination,
                                        "error_title": "Koordinering",
                                        "error_message": "Koordineringen kan ikke være over "
                                        "maksimum for nettverket."})
        first, last = TABLE_HEADER_ROW + 1, TABLE_HEADER_ROW + MAX_LINES
        _write(ws, 10, 0, "Meldt behov (tiltak + planlagt koordinering)", fm.label)
        # Only what is inside the table counts (that is what collect reads); the structured
        # reference follows the table when it grows, in Excel and in LibreOffice.
        costs = ",".join(f"{T.MEASURES}[{h}]" for h in T.MEASURE_COLUMNS[1:3])
        ws.write_formula(10, 1, f"=SUM({costs})+{T.N_COORDINATION}", fm.kr_bold,
                         frame.coordination)
        _write(ws, 11, 0, "Avstand til rammen inkl. koordinering", fm.label)
        ws.write_formula(11, 1, "=B11-B9", fm.number(FMT_DIFF, "sum"),
                         frame.coordination - frame.incl_coordination)
        ws.write_formula(11, 2, '=IF(B12>0,"Over rammen",IF(B12<0,"Under rammen","På rammen"))',
                         fm.bold, "Under rammen")
        ws.conditional_format("B12:C12", {"type": "formula", "criteria": "=$B$12>0",
                                          "format": fm.red})
        # Text typed under the table is not part of it (on a protected sheet Excel does not
        # grow tables; LibreOffice never does): say so while the network types.
        whole = f"{T.MEASURES}[[{T.MEASURE_COLUMNS[0]}]:[{T.MEASURE_COLUMNS[-1]}]]"
        ws.write_formula(12, 0, f'=IF(COUNTA(A{first}:E{last})>COUNTA({whole}),'
                         f'"{OUTSIDE_TABLE}","")', fm.warning, "")
        # Markers for the tool: what kind of file this is, and the template version.
        _write(ws, 3, 3, "Filtype (ikke endre)", fm.small)
        _write(ws, 4, 3, "Malversjon", fm.small)
        _write(ws, 3, 4, T.KIND_TEMPLATE, fm.small)
        _write(ws, 4, 4, T.TEMPLATE_VERSION, fm.small_left)
        wb.define_name(T.N_KIND, f"={_q(T.TEMPLATE_SHEET)}!$E$4")
        wb.define_name(T.N_VERSION, f"={_q(T.TEMPLATE_SHEET)}!$E$5")
        row = 13  # 0-based: unspent money, then the criteria, then the table (it can grow)
        _write(ws, row, 0, "Ubrukte midler fra tidligere år", fm.subtitle)
        for k, (label, name) in enumerate([("I nettverket", T.N_UNSPENT_NETWORK),
                                           ("Hos UH", T.N_UNSPENT_UH)]):
            _write(ws, row + 1 + k, 0, label, fm.label)
            ws.write_blank(row + 1 + k, 1, None, fm.kr_input)
            ws.data_validation(row + 1 + k, 1, row + 1 + k, 1, _whole_number())
            wb.define_name(name, f"={_q(T.TEMPLATE_SHEET)}!$B${row + 2 + k}")
        row += 4
        _write(ws, row, 0, "Kriterier (svar kort)", fm.subtitle)
        for k, c in enumerate(T.CRITERIA):
            r = row + 1 + k
            _write(ws, r, 0, CRITERIA_QUESTIONS[c], fm.text)
            ws.merge_range(r, 1, r, 4, "", fm.input_wrap)
            ws.set_row(r, 45)
            wb.define_name(T.N_ANSWER.format(c), f"={_q(T.TEMPLATE_SHEET)}!$B${r + 1}")
        _write(ws, TABLE_HEADER_ROW - 2, 0, "Tiltak – én rad per kostnadslinje (et tiltak med to "
               "UH-partnere tar to rader)", fm.subtitle)
        r0 = TABLE_HEADER_ROW - 1
        ws.add_table(r0, 0, r0 + TEMPLATE_ROWS, 4, {
            "name": T.MEASURES, "style": "Table Style Light 9",
            "columns": [{"header": h,
                         "header_format": fm.head_num if h.startswith("Kostnad") else fm.head,
                         "format": fm.kr_input if h.startswith("Kostnad")
                         else fm.input} for h in T.MEASURE_COLUMNS]})
        for i in range(1, TEMPLATE_ROWS + 1):
            for j in range(5):
                ws.write_blank(r0 + i, j, None, fm.kr_input if j in (1, 2) else fm.input)
        grow = r0 + MAX_LINES
        # Rows the table grows into stay editable on the protected sheet.
        for col, (width, fmt) in enumerate([(46, fm.open), (18, fm.open_kr), (18, fm.open_kr),
                                            (24, fm.open), (32, fm.open)]):
            ws.set_column(col, col, width, fmt)
        ws.data_validation(r0 + 1, 1, grow, 2, _whole_number())
        # The known UH names in a hidden column feed the drop-down: a range has no 255-character
        # limit (a literal list has, and XlsxWriter drops a longer one).
        for i, name in enumerate(unis):
            ws.write_string(3 + i, UH_LIST_COL, name)
        ws.set_column(UH_LIST_COL, UH_LIST_COL, 30, None, {"hidden": True})
        if unis:
            col = _c(UH_LIST_COL)
            ws.data_validation(r0 + 1, 3, grow, 3, {
                "validate": "list", "source": f"=${col}$4:${col}${3 + len(unis)}",
                "error_type": "information", "error_title": "UH-institusjon",
                "error_message": "Ikke i listen over kjente UH-institusjoner. Det er lov, men "
                "sekretariatet får en advarsel."})
        ws.freeze_panes(3, 0)
        _page(ws, landscape=False)
        wb.close()

    return atomic_save(write, Path(path))


def fill_template(path: Path, lines: list[CostLine], *, coordination: int | None = None,
                  answers: dict[str, str] | None = None,
                  unspent: tuple[int | None, int | None] | None = None) -> None:
    """Fill a built template like a coordinator would (used by the demo and the tests)."""
    from openpyxl.utils.cell import range_boundaries

    fw = FileWorkbook(path, for_update=True)
    book = fw.writable()
    ws, table = _find_table(book, T.MEASURES)
    c1, r1, c2, r2 = range_boundaries(table.ref)
    for i, line in enumerate(lines):
        r = r1 + 1 + i
        for j, v in enumerate([line.measure, line.network_cost, line.uh_cost, line.uh or None,
                               line.remark or None]):
            cell = ws.cell(r, c1 + j)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"
    if len(lines) > r2 - r1:
        # Grow the table as a coordinator would after lifting the protection: the new rows
        # look like the last one (input colour, number format, unlocked). The live total is a
        # structured reference and the validations cover rows far below, so both follow.
        from copy import copy

        from dekom_xl.cells import range_a1

        for r in range(r2 + 1, r1 + len(lines) + 1):
            for c in range(c1, c2 + 1):
                ws.cell(r, c)._style = copy(ws.cell(r2, c)._style)
        table.ref = range_a1(r1, c1, r1 + len(lines), c2)
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref

    def put(name: str, value) -> None:
        f = fw.read_field(name)
        if f is not None and value is not None:
            book[f.where.sheet][f.where.cell].value = value

    put(T.N_COORDINATION, coordination)
    for c, text in (answers or {}).items():
        put(T.N_ANSWER.format(c), text)
    if unspent:
        put(T.N_UNSPENT_NETWORK, unspent[0])
        put(T.N_UNSPENT_UH, unspent[1])
    fw.save()
    # A filled template is the network's own file: no backup beside it.
    from dekom_xl.io.files import backup_path

    backup_path(Path(path)).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Regenerate the committed workbooks in ``xlsx_templates/`` from the sample year."""
    from dekom_xl.samples import sample_folder, sample_year

    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "xlsx_templates"
    out.mkdir(parents=True, exist_ok=True)
    data = sample_year(with_submissions=False)
    outcome = evaluate(data)
    build_allocation(data, out / "fordeling.xlsx", outcome=outcome)
    build_template(data, "Fosennettverket", out / "beslutningsgrunnlag.xlsx", outcome=outcome)
    from dekom_xl.io.files import backup_path

    for name in ("fordeling.xlsx", "beslutningsgrunnlag.xlsx"):  # generated: no backups
        backup_path(out / name).unlink(missing_ok=True)
    print(f"Skrev {out / 'fordeling.xlsx'} og {out / 'beslutningsgrunnlag.xlsx'} "
          f"(fra {sample_folder()}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
