"""A fast reader: the parts of an .xlsx/.xlsm file that :class:`FileWorkbook` reads, parsed
with the standard library (``zipfile`` + ``xml.etree``), giving exactly what openpyxl's full
load (``data_only=True``) gives for those reads.

openpyxl builds a styled object for every cell, row and table of every sheet; a collect
of 176 decision bases spent most of its time there. This reader keeps only what
:class:`~dekom_xl.adapters.files.workbook.FileWorkbook` asks for and offers it under the
same names (``wb.worksheets``, ``ws.tables``, ``ws.iter_rows`` …), so the reading code is
one and the same for both readers:

- values as openpyxl types them (``_cast_number``, shared and inline strings, booleans,
  errors, dates through the workbook's date styles and epoch), cached values of formulas,
  ``None`` in the covered cells of a merged range;
- every cell openpyxl would hold (cells in the XML, merged ranges, cells created by
  comments, hyperlinks and later reads), so ``max_row``/``max_column`` and so "data
  outside the table" are the same;
- tables (keyed by ``name``, like openpyxl), hidden rows, merged ranges, sheet states,
  defined names with openpyxl's scoping.

Whenever the file holds something this reader does not model, :func:`load` raises
:class:`NotSure` and the caller opens the file with openpyxl instead: a DTD anywhere
(defusedxml's job), chart or dialog sheets, pivot tables, cells or rows without a usable
``r`` address, unknown style ids, duplicate sheet or table names, a defined name that is
not a plain cell reference, a part that is missing or cannot be parsed. openpyxl then
gives its own answer (or its own error), so nothing changes for such files.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, fromstring

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS_REVERSE,
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601
from openpyxl.workbook.defined_name import RESERVED_REGEX, DefinedName
from openpyxl.worksheet._reader import _cast_number
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.xml.constants import SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

from dekom_xl.adapters.files.fastbook import (
    _CELL,
    FastBook,
    FastSheet,
    NotSure,
    _col,
    _Dim,
    _Merged,
    _Name,
    _Table,
)
from dekom_xl.adapters.files.package import relationships, rels_of, resolve

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SIMPLE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]+)$")
_INVALID_TITLE = re.compile(r"[\\*?:/\[\]]")


def _bool(value: str | None) -> bool:
    """openpyxl's Bool descriptor on an attribute string."""
    return bool(value) and value not in ("false", "f", "0")


def _text(node: Element | None) -> str | None:
    """openpyxl's ``Text.from_tree(node).content``: the plain ``t`` and every run's ``t``."""
    if node is None:
        return None
    plain, runs = None, []
    for el in node:
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "t":
            plain = el.text
        elif tag == "r":
            t = None
            for sub in el:
                if sub.tag.rsplit("}", 1)[-1] == "t":
                    t = sub.text
            runs.append(t)
    return "".join(s for s in [plain, *runs] if s is not None)


def _parse(data: bytes) -> Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise NotSure("DTD")  # only defusedxml (in openpyxl) may see a DTD
    try:
        return fromstring(data)
    except Exception as err:
        raise NotSure("XML") from err


def load(kept: dict[str, bytes]) -> FastBook:
    """The workbook from the parts the gate read whole (:func:`~.gate.check_file`);
    :class:`NotSure` when openpyxl must read it instead (a part it needs is not among them,
    say a sheet stored under an unusual name)."""

    def read(part: str) -> bytes:
        if part not in kept:
            raise NotSure(f"part {part}")
        return kept[part]

    try:
        return _load(read, set(kept))
    except NotSure:
        raise
    except Exception as err:  # anything odd: openpyxl decides (and reports its own error)
        raise NotSure(type(err).__name__) from err


def _content_types(read) -> tuple[str, str | None]:
    ct = _parse(read("[Content_Types].xml"))
    books, sst = [], None
    for o in ct:
        if o.tag.rsplit("}", 1)[-1] != "Override":
            continue
        kind, part = o.get("ContentType"), o.get("PartName", "")
        if kind in (XLSX, XLSM, XLTX, XLTM):
            books.append(part)
        elif kind == SHARED_STRINGS and sst is None:
            sst = part  # openpyxl: the first part of this type
    if books != ["/xl/workbook.xml"]:
        raise NotSure("workbook part")  # openpyxl would pick one by its own preference
    return books[0][1:], sst[1:] if sst else None


def _styles(read, names: set[str]) -> tuple[int, set[int], set[int]]:
    """(number of cell styles, date style ids, timedelta style ids), as openpyxl finds them."""
    if "xl/styles.xml" not in names:
        raise NotSure("no styles")
    root = _parse(read("xl/styles.xml"))
    custom = {}
    fmts = root.find(M + "numFmts")
    for f in (fmts if fmts is not None else []):
        custom[int(f.get("numFmtId", ""))] = f.get("formatCode")
    xfs = root.find(M + "cellXfs")
    if xfs is None or len(xfs) == 0:
        raise NotSure("no cell styles")
    dates, deltas = set(), set()
    for idx, xf in enumerate(xfs):
        fid = int(xf.get("numFmtId", 0))
        if fid in custom:
            fmt = custom[fid]
            if fmt in BUILTIN_FORMATS_REVERSE:
                fmt = builtin_format_code(BUILTIN_FORMATS_REVERSE[fmt])
        else:
            fmt = builtin_format_code(fid)
        if is_date_format(fmt):
            dates.add(idx)
        if is_timedelta_format(fmt):
            deltas.add(idx)
    return len(xfs), dates, deltas


def _load(read, names: set[str]) -> FastBook:
    wb_part, sst_part = _content_types(read)
    root = _parse(read(wb_part))
    pr = root.find(M + "workbookPr")
    epoch = CALENDAR_MAC_1904 if pr is not None and _bool(pr.get("date1904")) else WINDOWS_EPOCH
    rels = {r.get("Id"): r for r in relationships(read(rels_of(wb_part)))}
    n_styles, dates, deltas = _styles(read, names)
    strings = []
    if sst_part is not None:
        for si in _parse(read(sst_part)).iter(M + "si"):
            strings.append((_text(si) or "").replace("x005F_", ""))
    book = FastBook()
    seen: set[str] = set()
    sheets = root.find(M + "sheets")
    for s in (sheets if sheets is not None else []):
        title, rid = s.get("name"), s.get(R + "id")
        rel = rels.get(rid)
        if not title or rel is None or not rel.get("Type", "").endswith("/worksheet") \
                or title.casefold() in seen or _INVALID_TITLE.search(title):
            raise NotSure("sheet entry")
        seen.add(title.casefold())
        state = s.get("state", "visible")
        if state not in ("visible", "hidden", "veryHidden"):
            raise NotSure("sheet state")
        part = resolve(wb_part, rel["Target"])
        if part not in names:
            raise NotSure("sheet part")
        ws = FastSheet(book, title, state, part)
        _read_sheet(ws, read, names, strings, n_styles, dates, deltas, epoch)
        book.worksheets.append(ws)
    tables = [t.casefold() for ws in book.worksheets for t in ws.tables]
    if len(tables) != len(set(tables)):
        raise NotSure("duplicate table names")  # openpyxl refuses the file
    _names(root, book)
    return book


def _names(root: Element, book: FastBook) -> None:
    """Defined names with openpyxl's scoping (``DefinedNameList.by_sheet``, ``assign_names``)."""
    block = root.find(M + "definedNames")
    for dn in (block if block is not None else []):
        name, text, local = dn.get("name"), dn.text or None, dn.get("localSheetId")
        if name is None:
            raise NotSure("defined name")
        if local is None:
            if name in ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase"):
                continue
            scope = book.defined_names
        else:
            idx = int(local)
            if not 0 <= idx < len(book.worksheets):
                continue  # openpyxl warns and drops it
            if RESERVED_REGEX.match(name):
                continue  # print titles, print area …: not defined names in openpyxl
            scope = book.worksheets[idx].defined_names
        scope[name] = _checked_name(name, text, book)


def _checked_name(name: str, text: str | None, book: FastBook) -> DefinedName | _Name:
    """A plain cell reference as is; anything else through openpyxl's own parsing, and only
    when it points at single cells (``ws["B"]`` would be a column: openpyxl decides)."""
    if text is not None and _SIMPLE.match(text):
        return _Name(text)
    dn = DefinedName(name=name, attr_text=text)
    try:
        dests = list(dn.destinations)
    except Exception as err:
        raise NotSure("defined name") from err
    if dests:
        sheet, coord = dests[0]
        coord = coord.replace("$", "").split(":")[0]
        if sheet in book.sheetnames and not _CELL.match(coord):
            raise NotSure("defined name")
    return dn


def _read_sheet(ws: FastSheet, read, names: set[str], strings: list[str], n_styles: int,
                dates: set[int], deltas: set[int], epoch) -> None:
    data = read(ws.part)
    root = _parse(data)
    values = ws.values
    max_r = max_c = 0
    for row in root.iter(M + "row"):
        ra = row.attrib
        try:
            r = int(ra["r"])
        except (KeyError, ValueError) as err:
            raise NotSure("row without r") from err
        if {k for k in ra if not k.startswith("{")} - {"r", "spans"}:
            ws.row_dimensions[r] = _Dim(_bool(ra.get("hidden")))
            if "s" in ra and not 0 <= int(ra["s"]) < n_styles:
                raise NotSure("row style")
        for el in row:
            m = _CELL.match(el.get("r") or "")
            if m is None:
                raise NotSure("cell without r")
            c = _col(m.group(1))
            style = int(el.get("s") or 0)
            if not 0 <= style < n_styles:
                raise NotSure("cell style")
            t = el.get("t", "n")
            value: object = None
            if t == "inlineStr":
                node = el.find(M + "is")
                value = _text(node) if node is not None else None
            else:
                value = el.findtext(M + "v", None) or None
                if value is not None:
                    if t == "n":
                        value = _cast_number(value)
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in deltas)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif t == "s":
                        value = strings[int(value)]
                    elif t == "b":
                        value = bool(int(value))
                    elif t == "d":
                        value = from_ISO8601(value)
            values[(r, c)] = value
            max_r, max_c = max(max_r, r), max(max_c, c)
    ws._max_row, ws._max_col, ws._current_row = max_r, max_c, max_r
    sheet_rels = read(rels_of(ws.part)) if rels_of(ws.part) in names else b""
    by_id = {x.get("Id"): x for x in relationships(sheet_rels)}
    if any(x.get("Type", "").endswith(("/pivotTable", "/chartsheet")) for x in by_id.values()):
        raise NotSure("pivot table")
    merged = root.find(M + "mergeCells")
    ranges = []
    for mc in (merged if merged is not None else []):
        c1, r1, c2, r2 = range_boundaries(mc.get("ref"))
        if None in (c1, r1, c2, r2):
            raise NotSure("merge ref")
        ws._touch(r1, c1, r1, c1)  # the top-left cell (MergedCellRange._get_borders)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    values[(r, c)] = None  # openpyxl's MergedCell
                    ws._merged_only.add((r, c))
        ws._max_row, ws._max_col = max(ws._max_row, r2), max(ws._max_col, c2)
        ranges.append(CellRange(min_col=c1, min_row=r1, max_col=c2, max_row=r2))
    # openpyxl keeps them in a set (MultiCellRange, then its UniqueSequence descriptor): the
    # same objects' hashes in the same steps give the same order (and drop repeats)
    ws.merged_cells = _Merged(set(x for x in set(ranges)))
    links = root.find(M + "hyperlinks")
    for h in (links if links is not None else []):
        rid = h.get(R + "id")
        if rid and rid not in by_id:
            raise NotSure("hyperlink")
        c1, r1, c2, r2 = range_boundaries(h.get("ref"))
        if None in (c1, r1, c2, r2):
            raise NotSure("hyperlink ref")
        ws._touch(r1, c1, r2, c2)
    for x in by_id.values():
        if x.get("TargetMode") == "External":
            continue
        target = resolve(ws.part, x.get("Target", ""))
        kind = x.get("Type", "")
        if kind.endswith("/comments"):  # openpyxl creates the commented cells
            for cm in _parse(read(target)).iter(M + "comment"):
                m = _CELL.match(cm.get("ref") or "")
                if m is None:
                    raise NotSure("comment ref")
                r, c = int(m.group(2)), _col(m.group(1))
                ws._touch(r, c, r, c)
    parts = root.find(M + "tableParts")
    table_ids = [p.get(R + "id") for p in (parts if parts is not None else [])]
    for rid in table_ids:
        rel = by_id.get(rid)
        if rel is None:
            raise NotSure("table part")
        node = _parse(read(resolve(ws.part, rel["Target"])))
        if node.tag != M + "table":
            raise NotSure("table part")
        table = _Table(node)
        ws.tables[table.name] = table
