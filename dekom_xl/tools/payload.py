"""Office.js-style payloads for xlwings' remote engine, and applying its actions to a file.

Used by the tests and the benchmark to run the xlwings entry points for real on Linux:
``xw.Book(json=payload_from_xlsx(path))`` behaves like the workbook in Excel; the actions the
entry point issues (``book.json()["actions"]``) are what Excel would be asked to do, one
round trip each. :func:`apply_actions` replays the value-writing ones onto an openpyxl
workbook so a test can compare the button's result with the command line's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

from dekom_xl.core.cells import a1, col_letter, range_a1


def _json_value(v):
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    return "" if v is None else v


def payload_from_xlsx(path: Path, *, outdated: tuple[str, ...] = ()) -> dict:
    """The payload Office.js would send for the workbook at ``path`` (cached values).

    ``outdated``: sheets whose A1 reads «utdatert» in the payload, so a button press finds
    them out of date and writes them (a press writes no values to a sheet that already
    shows them)."""
    import xlwings as xw

    path = Path(path)
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        max_row, max_col = max(ws.max_row, 1), max(ws.max_column, 1)
        values = [[_json_value(v) for v in row] for row in
                  ws.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col,
                               values_only=True)]
        if ws.title in outdated:
            values[0][0] = "utdatert"
        tables = []
        for name in ws.tables:
            t = ws.tables[name]
            c1, r1, c2, r2 = range_boundaries(t.ref)
            header = (t.headerRowCount if t.headerRowCount is not None else 1) > 0
            totals = (t.totalsRowCount or 0) > 0
            body_r1 = r1 + 1 if header else r1
            body_r2 = r2 - 1 if totals else r2
            tables.append({
                "name": name, "range_address": t.ref,
                "header_row_range_address": range_a1(r1, c1, r1, c2) if header else None,
                "data_body_range_address": range_a1(body_r1, c1, body_r2, c2),
                "total_row_range_address": range_a1(r2, c1, r2, c2) if totals else None,
                "show_headers": header, "show_totals": totals,
                "show_autofilter": True, "table_style": "TableStyleMedium2",
                "show_table_style_first_column": False, "show_table_style_last_column": False,
                "show_table_style_row_stripes": True, "show_table_style_column_stripes": False,
            })
        sheets.append({"name": ws.title, "values": values, "pictures": [], "shapes": [],
                       "charts": _charts(path, ws.title), "notes": [], "tables": tables,
                       "pivot_tables": [],
                       "visibility": "Visible", "show_gridlines": True, "print_area": None})
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    names = []

    def add_name(name, dn, scope):
        try:
            sheet, coord = next(iter(dn.destinations))
        except (StopIteration, Exception):
            return
        if sheet not in index:
            return
        names.append({"name": name, "sheet_index": index[sheet],
                      "address": coord.replace("$", ""), "book_scope": scope is None,
                      "scope_sheet_name": scope, "scope_sheet_index": index.get(scope),
                      "refers_to": "=" + dn.attr_text})

    for name, dn in wb.defined_names.items():
        add_name(name, dn, None)
    for ws in wb.worksheets:
        for name, dn in ws.defined_names.items():
            add_name(name, dn, ws.title)
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": a1(1, 1)},
            "names": names, "sheets": sheets}


def _charts(path: Path, sheet: str) -> list[dict]:
    """The charts on ``sheet`` as Office.js lists them (name, type, place), read from the
    drawing parts of the file (openpyxl does not read charts back)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        book = z.read("xl/workbook.xml").decode("utf-8")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        rid = next((r for n, r in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', book)
                    if n == sheet), None)
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        if rid is None or target is None:
            return []
        part = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
        srels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if srels not in names:
            return []
        drawings = re.findall(r'Target="[^"]*drawings/([^"/]+)"', z.read(srels).decode("utf-8"))
        out = []
        for d in drawings:
            xml = z.read(f"xl/drawings/{d}").decode("utf-8")
            for k, name in enumerate(re.findall(r'<xdr:graphicFrame.*?<xdr:cNvPr [^>]*name="([^"]*)"',
                                                xml, re.S)):
                out.append({"name": name or f"Chart {k + 1}", "chart_type": "ColumnClustered",
                            "top": 0, "left": 0, "width": 420, "height": 250})
        return out


def apply_actions(actions: list[dict], wb: openpyxl.Workbook, *,
                  points: bool = True) -> dict[str, int]:
    """Replay sheet, value, number-format and width actions onto ``wb`` like Excel would;
    returns counts per func.

    ``addSheet``, ``sheetDelete``, ``sheetClear``/``sheetClearContents``, ``setValues``,
    ``setNumberFormat`` and ``setColumnWidth`` (``points``: sent in points, as xlwings Lite
    and the remote engine take them; stored as the file stores widths) change the workbook;
    everything else (fonts, tables, charts) only counts. A string written with a leading
    apostrophe is stored as text without it, as Excel does.
    """
    counts: dict[str, int] = {}
    for act in actions:
        f = act["func"]
        counts[f] = counts.get(f, 0) + 1
        if f == "addSheet":
            pos, name = act["args"][0], act["args"][1]
            wb.create_sheet(name, pos)
        elif f == "sheetDelete":
            wb.remove(wb.worksheets[act["sheet_position"]])
        elif f in ("sheetClear", "sheetClearContents"):
            ws = wb.worksheets[act["sheet_position"]]
            for row in ws.iter_rows():
                for c in row:
                    c.value = None
        elif f == "setValues":
            ws = wb.worksheets[act["sheet_position"]]
            for i, row in enumerate(act["values"]):
                for j, v in enumerate(row):
                    cell = ws.cell(act["start_row"] + 1 + i, act["start_column"] + 1 + j)
                    if isinstance(v, str) and v.startswith("'"):
                        cell.value = v[1:]
                        cell.data_type = "s"
                    else:
                        cell.value = None if v == "" else v
        elif f == "setNumberFormat":
            ws = wb.worksheets[act["sheet_position"]]
            for i in range(act["row_count"]):
                for j in range(act["column_count"]):
                    ws.cell(act["start_row"] + 1 + i, act["start_column"] + 1 + j
                            ).number_format = act["args"][0]
        elif f == "setColumnWidth":
            ws = wb.worksheets[act["sheet_position"]]
            w = act["args"][0]  # the file stores characters plus 5 px padding (Calibri 11)
            chars = w / 0.75 / 7 if points else w + 5 / 7
            for j in range(act["column_count"]):
                ws.column_dimensions[col_letter(act["start_column"] + 1 + j)].width = chars
    return counts


def number_formats(ws) -> dict[str, str]:
    """The number format of every cell holding a number (what parity compares)."""
    return {a1(c.row, c.column): c.number_format for row in ws.iter_rows() for c in row
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}


def column_widths(ws) -> dict[str, float]:
    """Column letter → width as the file stores it, for every column with a width set
    (a ``<col min max>`` span counts for each of its columns)."""
    from dekom_xl.core.cells import col_number

    out = {}
    for key, d in ws.column_dimensions.items():
        if d.width and d.customWidth:
            first = d.min or col_number(key)
            for c in range(first, max(d.max or first, first) + 1):
                out[col_letter(c)] = round(d.width, 2)
    return out


def sheet_cells(ws) -> dict[str, object]:
    """Every non-empty cell of a worksheet, numbers normalised (1.0 → 1)."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v is None or v == "":
                continue
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            out[a1(c.row, c.column)] = v
    return out
