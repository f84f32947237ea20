"""The file workbook: .xlsx/.xlsm workbooks on disk through openpyxl.

:func:`open_workbook` is the one way a file is opened (``kind="fordeling"`` for the
allocation workbook, so a template or a stranger's workbook is never written into). It
refuses, with a located bokmål problem (:class:`FileProblem`), what must not be parsed:
missing, empty, too large (also when unpacked: zip bombs), not a zip (an .xls, .ods, .csv or
other file renamed), password-protected (an OLE compound file) and unsafe XML
(DOCTYPE/entities; openpyxl also parses through defusedxml). Reading never runs macros:
openpyxl does not execute anything, and .xlsm files keep their VBA untouched (``keep_vba``).

:class:`FileWorkbook` implements :class:`dekom_xl.io.WorkbookIO`. Values are what Excel last
showed (cached values of formulas); formulas that were never calculated are found by a scan
of the sheet XML around ``<f>`` elements and reported in ``RawTable.formula_cells``. Hidden
rows go to ``RawTable.hidden_rows``.

Text is always written as text (``=HYPERLINK(…)`` stays a string cell). Saving is atomic:
the new workbook is written to a temporary file in the same folder, flushed to disk
(``fsync``) and moved over the old one with ``os.replace``; the previous version is kept
beside it as ``<name>.forrige<ext>`` (e.g. ``fordeling_2025.forrige.xlsx``), one
generation deep. Collect skips these backups when they lie in a folder it reads.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils.cell import range_boundaries

from dekom_xl.adapters.files import fastread
from dekom_xl.adapters.files.gate import FileProblem, _load, check_file
from dekom_xl.adapters.files.save import atomic_save
from dekom_xl.adapters.files.sheets import _overlaps, _unescape
from dekom_xl.adapters.files.writer import Changes, write_package
from dekom_xl.core import tables as T
from dekom_xl.core.cells import a1
from dekom_xl.core.load import Field
from dekom_xl.core.model import Location, Problem
from dekom_xl.core.problems import problem
from dekom_xl.core.render import SheetContent
from dekom_xl.core.tables import RawTable


def open_workbook(path: Path | str, *, kind: str | None = None,
                  for_update: bool = False) -> FileWorkbook:
    """The one way a workbook file is opened: checked, parsed, and of the expected ``kind``.

    ``kind``: ``"fordeling"`` (the allocation workbook) or ``"beslutningsgrunnlag"`` (a
    template), as its ``dekom_type`` name says; another kind is refused. ``for_update``: keep
    formulas (to change and save). Every refusal is a :class:`FileProblem` with a bokmål
    message; nothing is written.
    """
    wb = FileWorkbook(path, for_update=for_update)
    if kind is not None:
        wrong = T.wrong_kind(wb.file_name, wb.kind(), kind)
        if wrong is not None:
            raise FileProblem(wrong)
    return wb


_FORMULA = re.compile(rb"<f[ >/]")
_CELL_REF = re.compile(rb'<c r="([A-Z]+[0-9]+)"')
_SIMPLE_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?([0-9]+)$")


def _formulas_without_value(xml: bytes) -> dict[str, str]:
    """Cells on a sheet whose formula has no cached value (never calculated by Excel).

    Scans only around each ``<f>`` element, so a sheet without formulas costs one search.
    """
    out: dict[str, str] = {}
    m = _FORMULA.search(xml)
    while m:
        start = xml.rfind(b"<c ", 0, m.start())
        end = xml.find(b"</c>", m.start())
        if start == -1 or end == -1:
            break
        cell = xml[start:end]
        ref = _CELL_REF.match(cell)
        if ref and (b"<v>" not in cell or b"<v></v>" in cell):
            f = re.search(rb"<f[^>]*>(.*?)</f>", cell, re.S)
            out[ref.group(1).decode()] = "=" + (f.group(1).decode("utf-8", "replace") if f else "")
        m = _FORMULA.search(xml, end)
    return out


_ANY_FORMULA = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*(?<!/)>(?:(?!</c>|<c ).)*?'
                          rb'<f(?: [^>]*)?>([^<]*)</f>', re.S)


def _all_formulas(xml: bytes) -> dict[str, str]:
    """Every cell with a formula written out (shared-formula children have none)."""
    if b"<f" not in xml:
        return {}
    return {m.group(1).decode(): "=" + m.group(2).decode("utf-8", "replace")
            for m in _ANY_FORMULA.finditer(xml)}


def _holds(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# The reader files are opened with: "fast" (:mod:`.fastread`, openpyxl only for a file it
# cannot be sure of) or "openpyxl" (always). DEKOM_XL_READER=openpyxl switches it off.
READER = os.environ.get("DEKOM_XL_READER", "fast")


def _read(path: Path, parts: dict[str, bytes], reader: str | None):
    """The workbook object FileWorkbook reads through: a :class:`~.fastread.FastBook` or an
    openpyxl ``Workbook`` (same names, same answers)."""
    if (reader or READER) == "fast":
        try:
            return fastread.load(parts)
        except fastread.NotSure:
            pass
    return _load(path, data_only=True)


class FileWorkbook:
    """An .xlsx/.xlsm file, read and updated through openpyxl (implements WorkbookIO)."""

    def __init__(self, path: Path | str, *, for_update: bool = False, reader: str | None = None):
        """Open ``path`` with the values Excel last showed. ``for_update``: changes may be
        made (tool sheets, rows) and saved; only those parts of the file are rewritten.
        ``reader``: ``"fast"`` or ``"openpyxl"`` (default :data:`READER`); both give the same
        reads, the fast one falls back to openpyxl for a file it cannot be sure of."""
        self.path = Path(path)
        self._parts = check_file(self.path)
        self._source = self.path.read_bytes() if for_update else b""
        self.wb = _read(self.path, self._parts, reader)
        self._sheet_parts = self._map_sheet_parts()
        self.changes = Changes()
        self._scans: dict[tuple[str, str], dict[str, str]] = {}

    # -- reading ---------------------------------------------------------------------------
    @property
    def file_name(self) -> str:
        return self.path.name

    def location(self) -> Path | None:
        return self.path.resolve().parent

    def _map_sheet_parts(self) -> dict[str, str]:
        """Sheet title → its XML part inside the zip (for the formula scan)."""
        out = {}
        for i, ws in enumerate(self.wb.worksheets, start=1):
            out[ws.title] = f"xl/worksheets/sheet{i}.xml"
        try:
            rels = self._parts["xl/_rels/workbook.xml.rels"].decode("utf-8", "replace")
            book = self._parts["xl/workbook.xml"].decode("utf-8", "replace")
            targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
            targets |= {k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
            for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', book):
                target = targets.get(rid, "").lstrip("/")
                if target:
                    out[_unescape(name)] = target if target.startswith("xl/") else "xl/" + target
        except KeyError:
            pass
        return out

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    def table_names(self) -> dict[str, str]:
        return {name: ws.title for ws in self.wb.worksheets for name in ws.tables}

    def _find_table(self, name: str):
        return _find_table(self.wb, name)

    def read_table(self, name: str) -> RawTable | None:
        ws, table = self._find_table(name)
        if table is None:
            return None
        c1, r1, c2, r2 = range_boundaries(table.ref)
        if r2 > ws.max_row + 1000:  # a range to row 1 048 576: read only the real data
            r2 = max(r1 + 1, ws.max_row)
        header_rows = table.headerRowCount if table.headerRowCount is not None else 1
        grid = [list(r) for r in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2,
                                               values_only=True)]
        if header_rows:
            # The header as the user sees it; a header cell emptied by hand falls back to the
            # table's own column name, so an edited header never loses a column.
            names = [c.name for c in table.tableColumns]
            header = [str(v) if v not in (None, "") else (names[j] if j < len(names) else "")
                      for j, v in enumerate(grid[0])]
            rows = grid[1:]
            first = r1 + 1
        else:
            header = [c.name for c in table.tableColumns]
            rows, first = grid, r1
        totals = table.totalsRowCount or 0
        if totals:
            rows = rows[:-totals]
        hidden = {r for r in range(first, first + len(rows))
                  if ws.row_dimensions[r].hidden} if ws.row_dimensions else set()
        part = self._sheet_parts.get(ws.title)
        formulas, every = {}, {}
        if part:
            lo, hi = first, first + len(rows) - 1

            def inside(cell: str) -> bool:
                return lo <= int(re.sub(r"[A-Z]", "", cell)) <= hi

            formulas = {cell: f for cell, f in self._scan(part, _formulas_without_value).items()
                        if inside(cell)}
            every = {cell: f for cell, f in self._scan(part, _all_formulas).items()
                     if inside(cell)}
        merged = [str(m) for m in ws.merged_cells.ranges if _overlaps(str(m), table.ref)]
        return RawTable(table.displayName or name, ws.title, header, rows, first, c1,
                        file=self.file_name, hidden_rows=hidden, formula_cells=formulas,
                        merged=merged, formulas=every)

    def outside(self, name: str) -> list[tuple[str, object, str]]:
        """(cell, value, place) of everything typed below the table in its columns, or
        beside it in its rows: never read, so never silently dropped."""
        ws, table = self._find_table(name)
        if table is None:
            return []
        c1, r1, c2, r2 = range_boundaries(table.ref)
        out = []
        if r2 < ws.max_row:
            for row in ws.iter_rows(min_row=r2 + 1, max_row=ws.max_row, min_col=c1, max_col=c2):
                out += [(c.coordinate, c.value, "under") for c in row if _holds(c.value)]
        if ws.max_column > c2:
            for row in ws.iter_rows(min_row=r1, max_row=min(r2, ws.max_row), min_col=c2 + 1,
                                    max_col=ws.max_column):
                out += [(c.coordinate, c.value, "ved siden av") for c in row if _holds(c.value)]
        return out

    def hidden_sheets(self) -> list[tuple[str, str | None]]:
        """(sheet, first cell holding something) for every hidden sheet with content."""
        out = []
        for ws in self.wb.worksheets:
            if ws.sheet_state == "visible":
                continue
            first = next((c.coordinate for row in ws.iter_rows() for c in row
                          if _holds(c.value)), None)
            if first or ws.tables:
                out.append((ws.title, first))
        return out

    def formulas_without_value(self, sheet: str) -> dict[str, str]:
        """Cells of ``sheet`` whose formula was never calculated (no cached value)."""
        return dict(self._scan(self._sheet_parts.get(sheet, ""), _formulas_without_value))

    def _scan(self, part: str, scan) -> dict[str, str]:
        """``scan`` (a formula scan) of the sheet XML ``part``, made once per file."""
        key = (part, scan.__name__)
        if key not in self._scans:
            self._scans[key] = scan(self._parts.get(part, b""))
        return self._scans[key]

    def _fields(self) -> list[tuple[str, str | None, Field]]:
        """(name, sheet scope or None, Field) for every single-cell defined name, made once."""
        if getattr(self, "_field_cache", None) is None:
            entries: list[tuple[str, str | None, object]] = [
                (n, None, dn) for n, dn in self.wb.defined_names.items()]
            for ws in self.wb.worksheets:
                entries += [(n, ws.title, dn) for n, dn in ws.defined_names.items()]
            self._field_cache = []
            for name, scope, dn in entries:
                f = self._field(dn)
                if f is not None:
                    self._field_cache.append((name, scope, f))
        return self._field_cache

    def _field(self, dn) -> Field | None:
        simple = _SIMPLE_REF.match(dn.attr_text or "")
        if simple:  # 'Sheet'!$B$4: no need for openpyxl's formula tokenizer
            sheet = (simple.group(1) or "").replace("''", "'") or simple.group(2)
            coord = simple.group(3) + simple.group(4)
        else:
            try:
                dests = list(dn.destinations)
            except Exception:
                dests = []
            if not dests:
                return None
            sheet, coord = dests[0]
        if sheet not in self.wb.sheetnames:
            return None
        coord = coord.replace("$", "").split(":")[0]
        cell = self.wb[sheet][coord]
        value = cell.value
        return Field(value, Location(self.file_name, sheet, coord))

    def read_field(self, name: str, sheet: str | None = None) -> Field | None:
        return T.pick_name(self._fields(), name, sheet)

    def fields_on(self, sheet: str) -> dict[str, Field]:
        return T.names_on(self._fields(), sheet, lambda f: f.where.sheet)

    def kind(self) -> str | None:
        """``fordeling`` for an allocation workbook, ``beslutningsgrunnlag`` for a template."""
        f = self.read_field(T.N_KIND)
        return str(f.value).strip() if f is not None and f.value is not None else None

    # -- writing ---------------------------------------------------------------------------
    def append_rows(self, table: str, rows: Sequence[Sequence[object]]) -> list[Problem]:
        """Add ``rows`` at the end of a user table when saved (a targeted edit of that sheet).

        Returns a problem, and adds nothing, when a cell the rows would take holds anything.
        """
        from dekom_xl.adapters.files import rows as row_edit

        ws, t = _find_table(self.wb, table)
        if t is None or not rows:
            return []
        part = self._sheet_parts.get(ws.title, "")
        table_xml = _table_xml(self._source or self.path.read_bytes(), part, table)
        sheet_xml = self._parts.get(part, b"").decode("utf-8")
        block = [list(r) for r in rows]
        if table_xml is None or row_edit.append_rows(sheet_xml, table_xml, block) is None:
            c1, r1, c2, r2 = range_boundaries(t.ref)
            names = ", ".join(str(r[0]) for r in rows)
            return [problem("rows-not-added", file=self.file_name, sheet=ws.title,
                            cell=a1(r2 + 1, c1), table=table,
                            networks=names)]
        self.changes.appends.append((table, block))
        return []

    def set_cells(self, sheet: str, values: dict[str, object]) -> None:
        """New values in the given cells of a user sheet when saved (each keeps its style;
        nothing else on the sheet changes). Files only: ``dekom-xl keys``."""
        if values:
            self.changes.cells.append((sheet, dict(values)))

    def write_sheet(self, content: SheetContent) -> None:
        """Replace a tool sheet whole, at the same position (created if missing), when saved."""
        self.changes.sheets[content.name] = content

    def save(self) -> None:
        """Write the changes over the file (see :meth:`save_to`); the WorkbookIO ``save``.

        Without changes (``check``, a collect that found nothing) nothing is written."""
        if self.changes:
            self.save_to(self.path)

    def save_to(self, target: Path) -> Path:
        """Write the changes atomically to ``target``; every part of the file the tool does
        not own is copied byte for byte (:mod:`.writer`). The previous version is kept as a
        backup."""
        source = self._source or self.path.read_bytes()

        def write(tmp: str) -> None:
            with open(tmp, "wb") as f:
                write_package(source, self.changes, f)

        return atomic_save(write, target)


def _table_xml(source: bytes, sheet_part: str, table: str) -> str | None:
    """The XML of the table called ``table`` on the sheet ``sheet_part`` of ``source``."""
    import io
    import zipfile

    from dekom_xl.adapters.files.package import relationships, rels_of, resolve

    with zipfile.ZipFile(io.BytesIO(source)) as z:
        names = set(z.namelist())
        if rels_of(sheet_part) not in names:
            return None
        for r in relationships(z.read(rels_of(sheet_part))):
            part = resolve(sheet_part, r["Target"])
            if r.get("Type", "").endswith("/table") and part in names:
                xml = z.read(part).decode("utf-8")
                if re.search(rf'\bdisplayName="{re.escape(table)}"', xml, re.I):
                    return xml
    return None


def _find_table(wb, name: str):
    """(worksheet, Table) of the table called ``name`` (case-insensitive), or (None, None)."""
    for ws in wb.worksheets:
        for tname in ws.tables:  # TableList.items() gives refs, not tables
            if tname.casefold() == name.casefold():
                return ws, ws.tables[tname]
    return None, None


