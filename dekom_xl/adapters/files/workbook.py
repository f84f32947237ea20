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

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils.cell import range_boundaries

from dekom_xl.adapters.files.gate import FileProblem, _load, check_file
from dekom_xl.adapters.files.save import atomic_save
from dekom_xl.adapters.files.sheets import _overlaps, _set, _unescape, write_content
from dekom_xl.core import tables as T
from dekom_xl.core.cells import range_a1
from dekom_xl.core.load import Field
from dekom_xl.core.model import Location
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


class FileWorkbook:
    """An .xlsx/.xlsm file, read and updated through openpyxl (implements WorkbookIO)."""

    def __init__(self, path: Path | str, *, for_update: bool = False):
        """Open ``path``. ``for_update``: load it once with formulas kept (to change and save);
        otherwise with the values Excel last showed (to read a decision base)."""
        self.path = Path(path)
        self._parts = check_file(self.path)
        self.wb = _load(self.path, data_only=not for_update)
        self._out = self.wb if for_update else None  # the copy that is changed and saved
        self._values = None if for_update else self.wb  # cached values, loaded when needed
        self._sheet_parts = self._map_sheet_parts()

    def writable(self):
        """The openpyxl workbook that writes go to (formulas intact), loaded on first use."""
        if self._out is None:
            self._out = _load(self.path, data_only=False)
        return self._out

    def _cached(self, sheet: str, row: int, col: int):
        """The value Excel last showed for a formula cell (second load only if ever needed)."""
        if self._values is None:
            self._values = _load(self.path, data_only=True)
        return self._values[sheet].cell(row, col).value

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
        if self._values is not self.wb:  # opened with formulas: use what Excel last showed
            for i, row in enumerate(rows):
                for j, v in enumerate(row):
                    if isinstance(v, str) and v.startswith("=") and \
                            ws.cell(first + i, c1 + j).data_type == "f":
                        row[j] = self._cached(ws.title, first + i, c1 + j)
        hidden = {r for r in range(first, first + len(rows))
                  if ws.row_dimensions[r].hidden} if ws.row_dimensions else set()
        part = self._sheet_parts.get(ws.title)
        formulas = {}
        if part:
            lo, hi = first, first + len(rows) - 1
            scan = _formulas_without_value(self._parts.get(part, b""))
            formulas = {cell: f for cell, f in scan.items()
                        if lo <= int(re.sub(r"[A-Z]", "", cell)) <= hi}
        merged = [str(m) for m in ws.merged_cells.ranges if _overlaps(str(m), table.ref)]
        return RawTable(table.displayName or name, ws.title, header, rows, first, c1,
                        file=self.file_name, hidden_rows=hidden, formula_cells=formulas,
                        merged=merged)

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
        if self._values is not self.wb and cell.data_type == "f":
            value = self._cached(sheet, cell.row, cell.column)
        return Field(value, Location(self.file_name, sheet, coord))

    def read_field(self, name: str, sheet: str | None = None) -> Field | None:
        wanted = name.casefold()
        fallback = None
        for n, scope, f in self._fields():
            if n.casefold() != wanted:
                continue
            if scope == sheet:
                return f
            fallback = fallback or f
        return fallback if sheet is None else None

    def fields_on(self, sheet: str) -> dict[str, Field]:
        out: dict[str, Field] = {}
        for n, scope, f in self._fields():
            if not n.lower().startswith("dekom_") or f.where.sheet != sheet:
                continue
            if scope == sheet or n.lower() not in out:
                out[n.lower()] = f
        return out

    def kind(self) -> str | None:
        """``fordeling`` for an allocation workbook, ``beslutningsgrunnlag`` for a template."""
        f = self.read_field(T.N_KIND)
        return str(f.value).strip() if f is not None and f.value is not None else None

    # -- writing ---------------------------------------------------------------------------
    def append_rows(self, table: str, rows: Sequence[Sequence[object]]) -> None:
        ws, t = _find_table(self.writable(), table)
        if t is None or not rows:
            return
        c1, r1, c2, r2 = range_boundaries(t.ref)
        # Reuse trailing blank rows of the table before growing it.
        last_used = r2
        while last_used > r1 and all(ws.cell(last_used, c).value in (None, "")
                                     for c in range(c1, c2 + 1)):
            last_used -= 1
        for k, row in enumerate(rows):
            r = last_used + 1 + k
            for j, v in enumerate(row[: c2 - c1 + 1]):
                if v is not None:
                    _set(ws.cell(r, c1 + j), v)
        t.ref = range_a1(r1, c1, max(r2, last_used + len(rows)), c2)
        if t.autoFilter is not None:
            t.autoFilter.ref = t.ref

    def write_sheet(self, content: SheetContent) -> None:
        """Replace a tool sheet whole, at the same position (created if missing)."""
        wb = self.writable()
        if content.name in wb.sheetnames:
            old = wb[content.name]
            index = wb.sheetnames.index(content.name)
            for tname in list(old.tables):
                del old.tables[tname]
            wb.remove(old)
            ws = wb.create_sheet(content.name, index)
        else:
            ws = wb.create_sheet(content.name)
        write_content(ws, content)

    def drawings_kept_at_risk(self, rewritten: set[str]) -> list[str]:
        """Sheets not rewritten by the tool that hold charts or pictures.

        openpyxl does not read charts and pictures back, so saving would drop them; the
        caller refuses to save instead. (Form buttons in an .xlsm are legacy VML and are kept.)
        """
        out = []
        for sheet, part in self._sheet_parts.items():
            if sheet in rewritten:
                continue
            rels = self._parts.get(part.replace("worksheets/", "worksheets/_rels/") + ".rels", b"")
            if b"/relationships/drawing\"" in rels:
                out.append(sheet)
        return out

    def save(self) -> None:
        """Save over the file atomically (see :meth:`save_to`); the WorkbookIO ``save``."""
        self.save_to(self.path)

    def save_to(self, path: Path) -> Path:
        """Save atomically to ``path``, keeping the previous file as ``<name>.forrige<ext>``.

        Refuses (:class:`FileProblem`, nothing written) when a sheet the tool does not own
        holds charts or pictures, which openpyxl cannot carry over.
        """
        from dekom_xl.core.tables import TOOL_SHEETS

        at_risk = self.drawings_kept_at_risk(set(TOOL_SHEETS))
        if at_risk:
            names = ", ".join(f"«{s}»" for s in at_risk)
            raise FileProblem(problem("drawing-on-user-sheet", sheets=names,
                                      file=self.path.name, sheet=at_risk[0]))
        return atomic_save(self.writable().save, Path(path))


def _find_table(wb, name: str):
    """(worksheet, Table) of the table called ``name`` (case-insensitive), or (None, None)."""
    for ws in wb.worksheets:
        for tname in ws.tables:  # TableList.items() gives refs, not tables
            if tname.casefold() == name.casefold():
                return ws, ws.tables[tname]
    return None, None


