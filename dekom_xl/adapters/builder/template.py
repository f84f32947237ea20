"""The decision-base template a network fills in (plain Excel, no macros), built with
XlsxWriter, and :func:`fill_template` used by the demo and tests to fill one in."""

from __future__ import annotations

import re
from pathlib import Path

from dekom_xl.adapters.builder.sheets import _new_workbook, _page, _whole_number, _write
from dekom_xl.adapters.files import FileWorkbook, _find_table, atomic_save
from dekom_xl.core import layout as L
from dekom_xl.core import tables as T
from dekom_xl.core.cells import a1, range_a1
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import CostLine, Network, YearData
from dekom_xl.core.names import fold
from dekom_xl.core.render import FMT_DIFF

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



OUTSIDE_TABLE = ("Noe står under tabellen Tiltak og blir ikke med. Gjør tabellen større: "
                 "opphev arkbeskyttelsen (det er ikke passord) og dra i tabellens nedre hjørne.")
TEMPLATE_ROWS = 25  # empty rows in the Tiltak table (Excel cannot grow a table on a
# protected sheet: a network that needs more lifts the protection, which has no password)
MAX_LINES = 2000  # rows below the header covered by the live total and the validation


def template_filename(year: int, network: Network, scheme: str = "") -> str:
    """``beslutningsgrunnlag_dekom_2025_fosen.xlsx``: ASCII slugs of the scheme and of the
    network's short name (or name); a workbook without a scheme leaves it out."""
    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")

    parts = ["beslutningsgrunnlag", slug(scheme), str(year),
             slug(network.short_name or network.name) or "nettverk"]
    return "_".join(p for p in parts if p) + ".xlsx"


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
        sheet, value = T.TEMPLATE_SHEET, L.template_value
        for i, (label, v, name, fmt) in enumerate(head):
            _write(ws, L.TEMPLATE_HEAD_ROW - 1 + i, 0, label, fm.label)
            _write(ws, L.TEMPLATE_HEAD_ROW - 1 + i, 1, v, fmt)
            if name:
                wb.define_name(name, L.defined(sheet, value(L.TEMPLATE_HEAD_ROW + i)))
        r = L.TEMPLATE_FRAME_INCL_ROW - 1  # 0-based rows from here on
        _write(ws, r, 0, "Ramme inkl. koordinering", fm.label)
        ws.write_formula(r, 1, f"={value(L.TEMPLATE_FRAME_ROW)}+"
                         f"{value(L.TEMPLATE_COORDINATION_MAX_ROW)}", fm.kr_locked,
                         frame.incl_coordination)
        r = L.TEMPLATE_COORDINATION_ROW - 1
        _write(ws, r, 0, "Planlagt koordinering (høyst maksimum)", fm.label)
        _write(ws, r, 1, frame.coordination, fm.kr_input)
        wb.define_name(T.N_COORDINATION, L.defined(sheet, value(L.TEMPLATE_COORDINATION_ROW)))
        ws.data_validation(r, 1, r, 1, {"validate": "integer", "criteria": "between",
                                        "minimum": 0, "maximum": frame.coordination,
                                        "error_title": "Koordinering",
                                        "error_message": "Koordineringen kan ikke være over "
                                        "maksimum for nettverket."})
        first, last = L.TABLE_HEADER_ROW + 1, L.TABLE_HEADER_ROW + MAX_LINES
        r = L.TEMPLATE_REQUESTED_ROW - 1
        _write(ws, r, 0, "Meldt behov (tiltak + planlagt koordinering)", fm.label)
        # Only what is inside the table counts (that is what collect reads); the structured
        # reference follows the table when it grows, in Excel and in LibreOffice.
        costs = ",".join(f"{T.MEASURES}[{h}]" for h in T.MEASURE_COLUMNS[1:3])
        ws.write_formula(r, 1, f"=SUM({costs})+{T.N_COORDINATION}", fm.kr_bold,
                         frame.coordination)
        r = L.TEMPLATE_DISTANCE_ROW - 1
        distance = value(L.TEMPLATE_DISTANCE_ROW)
        _write(ws, r, 0, "Avstand til rammen inkl. koordinering", fm.label)
        ws.write_formula(r, 1, f"={value(L.TEMPLATE_REQUESTED_ROW)}-"
                         f"{value(L.TEMPLATE_FRAME_INCL_ROW)}", fm.number(FMT_DIFF, "sum"),
                         frame.coordination - frame.incl_coordination)
        ws.write_formula(r, 2, f'=IF({distance}>0,"Over rammen",IF({distance}<0,"Under rammen",'
                         '"På rammen"))', fm.bold, "Under rammen")
        ws.conditional_format(r, 1, r, 2, {"type": "formula",
                                           "criteria": f"={L.absolute(distance)}>0",
                                           "format": fm.red})
        # Text typed under the table is not part of it (on a protected sheet Excel does not
        # grow tables; LibreOffice never does): say so while the network types.
        whole = f"{T.MEASURES}[[{T.MEASURE_COLUMNS[0]}]:[{T.MEASURE_COLUMNS[-1]}]]"
        below = range_a1(first, 1, last, L.TABLE_LAST_COL)
        ws.write_formula(L.TEMPLATE_WARNING_ROW - 1, 0, f'=IF(COUNTA({below})>COUNTA({whole}),'
                         f'"{OUTSIDE_TABLE}","")', fm.warning, "")
        # Markers for the tool: what kind of file this is, and the template version.
        mc = L.TEMPLATE_MARKER_COL - 1
        for r, label, v, name, fmt in [
                (L.TEMPLATE_KIND_ROW, "Filtype (ikke endre)", T.KIND_TEMPLATE, T.N_KIND, fm.small),
                (L.TEMPLATE_VERSION_ROW, "Malversjon", T.TEMPLATE_VERSION, T.N_VERSION,
                 fm.small_left)]:
            _write(ws, r - 1, mc - 1, label, fm.small)
            _write(ws, r - 1, mc, v, fmt)
            wb.define_name(name, L.defined(sheet, a1(r, L.TEMPLATE_MARKER_COL)))
        row = L.TEMPLATE_UNSPENT_ROW - 1  # 0-based: unspent money, the criteria, the table
        _write(ws, row, 0, "Ubrukte midler fra tidligere år", fm.subtitle)
        for k, (label, name) in enumerate([("I nettverket", T.N_UNSPENT_NETWORK),
                                           ("Hos UH", T.N_UNSPENT_UH)]):
            _write(ws, row + 1 + k, 0, label, fm.label)
            ws.write_blank(row + 1 + k, 1, None, fm.kr_input)
            ws.data_validation(row + 1 + k, 1, row + 1 + k, 1, _whole_number())
            wb.define_name(name, L.defined(sheet, value(row + 2 + k)))
        row += 4
        _write(ws, row, 0, "Kriterier (svar kort)", fm.subtitle)
        for k, c in enumerate(T.CRITERIA):
            r = row + 1 + k
            _write(ws, r, 0, CRITERIA_QUESTIONS[c], fm.text)
            ws.merge_range(r, 1, r, 4, "", fm.input_wrap)
            ws.set_row(r, 45)
            wb.define_name(T.N_ANSWER.format(c), L.defined(sheet, value(r + 1)))
        _write(ws, L.TABLE_HEADER_ROW - 2, 0, "Tiltak – én rad per kostnadslinje (et tiltak med to "
               "UH-partnere tar to rader)", fm.subtitle)
        r0 = L.TABLE_HEADER_ROW - 1
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
        uh_col = L.UH_LIST_COL - 1
        for i, name in enumerate(unis):
            ws.write_string(L.UH_LIST_ROW - 1 + i, uh_col, name)
        ws.set_column(uh_col, uh_col, 30, None, {"hidden": True})
        if unis:
            top = L.absolute(a1(L.UH_LIST_ROW, L.UH_LIST_COL))
            end = L.absolute(a1(L.UH_LIST_ROW + len(unis) - 1, L.UH_LIST_COL))
            ws.data_validation(r0 + 1, 3, grow, 3, {
                "validate": "list", "source": f"={top}:{end}",
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
    import openpyxl
    from openpyxl.utils.cell import range_boundaries

    fw = FileWorkbook(path)
    book = openpyxl.load_workbook(path)  # the user's own edit, as Excel would make it
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
    for criterion, answer in (answers or {}).items():
        put(T.N_ANSWER.format(criterion), answer)
    if unspent:
        put(T.N_UNSPENT_NETWORK, unspent[0])
        put(T.N_UNSPENT_UH, unspent[1])
    book.save(path)  # a filled template is the network's own file: no backup beside it


