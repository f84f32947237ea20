"""The file adapter: .xlsx/.xlsm workbooks on disk through openpyxl.

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
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo

from dekom_xl import tables as T
from dekom_xl.cells import a1, range_a1
from dekom_xl.codes import problem
from dekom_xl.load import Field
from dekom_xl.model import Location, Problem
from dekom_xl.render import FMT_INT, Block, SheetContent
from dekom_xl.tables import RawTable

MAX_FILE_BYTES = 20 * 1024 * 1024  # a decision base is ~30 KB; the allocation workbook < 2 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts unpacked together
MAX_RATIO = 200  # unpacked/packed per part: beyond this it is a zip bomb, not a workbook
BACKUP_INFIX = ".forrige"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """A file that cannot be used at all. ``problem`` says why, in bokmål, with the file."""

    def __init__(self, prob: Problem):
        super().__init__(prob.message)
        self.problem = prob


def _refuse(code: str, path: Path, message: str) -> FileProblem:
    return FileProblem(problem(code, message, file=path.name))


_KEEP = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def check_file(path: Path) -> dict[str, bytes]:
    """Refuse a file before parsing it; raises :class:`FileProblem` with a bokmål message.

    Returns the parts later needed (workbook, its relationships, worksheets), read in this
    same pass so the file is unpacked once for the checks and the formula scan.
    """
    path = Path(path)
    if not path.exists():
        raise _refuse("file-unreadable", path, f"Filen {path} finnes ikke. Kontroller navnet "
                      "og mappen.")
    if path.is_dir():
        raise _refuse("file-unreadable", path, f"{path} er en mappe, ikke en fil.")
    size = path.stat().st_size
    if size == 0:
        raise _refuse("file-empty", path, f"Filen {path.name} er tom (0 byte). Be om å få "
                      "filen sendt på nytt.")
    if size > MAX_FILE_BYTES:
        raise _refuse("file-too-large", path, f"Filen {path.name} er {size // 1_000_000} MB, "
                      f"over grensen på {MAX_FILE_BYTES // 1_000_000} MB. Et beslutningsgrunnlag "
                      "skal være lite; be om malen fylt ut på nytt.")
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head == _OLE_MAGIC:
        if suffix in (".xls", ".xlt"):
            raise _refuse("file-old-format", path, f"{path.name} er i det gamle Excel-formatet "
                          "(.xls). Åpne filen i Excel og lagre den som Excel-arbeidsbok (.xlsx).")
        raise _refuse("file-encrypted", path, f"{path.name} er passordbeskyttet (kryptert) "
                      "eller et gammelt .xls-format. Fjern passordet (Fil → Info → Beskytt "
                      "arbeidsbok) og lagre som .xlsx.")
    if head[:4] != _ZIP_MAGIC:
        kind = {".csv": "en CSV-fil", ".ods": "en OpenDocument-fil"}.get(suffix, "ikke en Excel-fil")
        raise _refuse("file-not-xlsx", path, f"{path.name} er {kind}, ikke en Excel-arbeidsbok "
                      "(.xlsx). Åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx).")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            total = 0
            for info in z.infolist():
                total += info.file_size
                packed = max(info.compress_size, 1)
                if info.file_size > 1_000_000 and info.file_size / packed > MAX_RATIO:
                    raise _refuse("file-unsafe", path, f"{path.name} pakkes ut til mye mer enn "
                                  "den fyller (mulig «zip-bombe») og er avvist. Be om en ny fil.")
            if total > MAX_UNPACKED_BYTES:
                raise _refuse("file-too-large", path, f"{path.name} blir {total // 1_000_000} MB "
                              "utpakket, over grensen. Be om en ny fil.")
            if "mimetype" in names and z.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"):
                raise _refuse("file-not-xlsx", path, f"{path.name} er en OpenDocument-fil "
                              "(.ods). Åpne den og lagre som Excel-arbeidsbok (.xlsx).")
            if "xl/workbook.xml" not in names:
                raise _refuse("file-not-xlsx", path, f"{path.name} er en zip-fil, men ikke en "
                              "Excel-arbeidsbok. Send beslutningsgrunnlaget som .xlsx.")
            kept: dict[str, bytes] = {}
            for name in names:
                if name.endswith(".xml") or name.endswith(".rels"):
                    whole = name in _KEEP or name.startswith(("xl/worksheets/sheet",
                                                              "xl/worksheets/_rels/"))
                    with z.open(name) as part:
                        chunk = part.read() if whole else part.read(4096)
                    if whole:
                        kept[name] = chunk
                    head = chunk[:4096]
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _refuse("file-unsafe", path, f"{path.name} inneholder XML med "
                                      "DOCTYPE/ENTITY (mulig angrep) og er avvist. Be om en ny "
                                      "fil lagret fra Excel.")
    except zipfile.BadZipFile:
        raise _refuse("file-not-xlsx", path, f"{path.name} er skadet eller ikke en "
                      "Excel-arbeidsbok. Be om å få filen sendt på nytt.") from None
    return kept


def _load(path: Path, *, data_only: bool):
    """openpyxl's load of a file already checked by :func:`check_file`."""
    keep_vba = path.suffix.lower() == ".xlsm"
    try:
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=keep_vba,
                                      keep_links=False, rich_text=False)
    except FileProblem:
        raise
    except Exception as err:  # openpyxl raises many kinds for broken files
        raise _refuse("file-unreadable", path, f"{path.name} kan ikke leses som Excel-arbeidsbok "
                      f"({type(err).__name__}). Åpne den i Excel, lagre på nytt som .xlsx og "
                      "prøv igjen.") from None


def open_workbook(path: Path | str, *, kind: str | None = None,
                  for_update: bool = False) -> FileWorkbook:
    """The one way a workbook file is opened: checked, parsed, and of the expected ``kind``.

    ``kind``: ``"fordeling"`` (the allocation workbook) or ``"beslutningsgrunnlag"`` (a
    template), as its ``dekom_type`` name says; another kind is refused. ``for_update``: keep
    formulas (to change and save). Every refusal is a :class:`FileProblem` with a bokmål
    message; nothing is written.
    """
    wb = FileWorkbook(path, for_update=for_update)
    if kind is not None and wb.kind() != kind:
        raise FileProblem(_wrong_kind(wb.path, wb.kind(), kind))
    return wb


def _wrong_kind(path: Path, found: str | None, wanted: str) -> Problem:
    if wanted == T.KIND_ALLOCATION:
        what = ("et beslutningsgrunnlag (en mal fra et nettverk)" if found == T.KIND_TEMPLATE
                else "ikke en fordelingsarbeidsbok fra dekom-xl")
        return problem(
            "not-allocation-workbook", f"{path.name} er {what}. Oppgi fordelingsarbeidsboken "
            "(den med arkene Oppsett, Nettverk og Innstilling); ingenting er skrevet.",
            file=path.name)
    what = ("fordelingsarbeidsboken" if found == T.KIND_ALLOCATION
            else "ikke et beslutningsgrunnlag fra dekom-xl")
    return problem("file-other", f"{path.name} er {what}, ikke et beslutningsgrunnlag.",
                   file=path.name)


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
        t = RawTable(table.displayName or name, ws.title, header, rows, first, c1,
                     file=self.file_name, hidden_rows=hidden, formula_cells=formulas)
        t.merged = [str(m) for m in ws.merged_cells.ranges if _overlaps(str(m), table.ref)]
        return t

    def _fields(self) -> list[tuple[str, str | None, Field]]:
        """(name, sheet scope or None, Field) for every single-cell defined name, made once."""
        if getattr(self, "_field_cache", None) is None:
            entries = [(n, None, dn) for n, dn in self.wb.defined_names.items()]
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
    def append_rows(self, table: str, rows: list[list[object]]) -> None:
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

    def save(self, path: Path | None = None) -> Path:
        """Save atomically, keeping the previous file as ``<name>.forrige<ext>``.

        Refuses (:class:`FileProblem`, nothing written) when a sheet the tool does not own
        holds charts or pictures, which openpyxl cannot carry over.
        """
        from dekom_xl.tables import TOOL_SHEETS

        at_risk = self.drawings_kept_at_risk(set(TOOL_SHEETS))
        if at_risk:
            names = ", ".join(f"«{s}»" for s in at_risk)
            raise FileProblem(problem(
                "drawing-on-user-sheet",
                f"Arket {names} har diagrammer eller bilder som ville gått tapt om "
                "kommandolinjen lagret arbeidsboken. Ingenting er skrevet. Flytt dem til en egen "
                "arbeidsbok, eller bruk knappene i Excel (xlwings), som lar dem være.",
                file=self.path.name, sheet=at_risk[0]))
        target = Path(path) if path else self.path
        return atomic_save(self.writable().save, target)


def _find_table(wb, name: str):
    """(worksheet, Table) of the table called ``name`` (case-insensitive), or (None, None)."""
    for ws in wb.worksheets:
        for tname in ws.tables:  # TableList.items() gives refs, not tables
            if tname.casefold() == name.casefold():
                return ws, ws.tables[tname]
    return None, None


def atomic_save(write, target: Path) -> Path:
    """Call ``write(tmp_path)``, then move it over ``target``; keep the old one as backup."""
    target = Path(target)
    if target.exists():  # the backup first: whatever happens next, the last version is kept
        shutil.copy2(target, backup_path(target))
    fd, tmp = tempfile.mkstemp(prefix="." + target.stem + ".", suffix=target.suffix + ".tmp",
                               dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)  # atomic: readers see the old file or the new, never half
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def backup_path(target: Path) -> Path:
    """Where the previous version of ``target`` is kept."""
    return target.with_name(target.stem + BACKUP_INFIX + target.suffix)


# -- writing blocks with openpyxl ----------------------------------------------------------
_TITLE = Font(bold=True, size=14)
_SUBTITLE = Font(bold=True, size=12)
_NOTE = Font(italic=True, color="555555")
_BOLD = Font(bold=True)
_SUM_FILL = PatternFill("solid", fgColor="EEEEEE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_TOP = _WRAP
_HEAD = Alignment(wrap_text=True, vertical="bottom")
_HEAD_NUM = Alignment(wrap_text=True, vertical="bottom", horizontal="right")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOP = Alignment(vertical="top")
AMBER = PatternFill("solid", fgColor="FFD966", bgColor="FFD966")


def _set(cell, value) -> None:
    """Write a value; text is always text (``=HYPERLINK(…)`` never becomes a formula)."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"


def write_content(ws, content: SheetContent) -> None:
    """Write a :class:`SheetContent` onto an empty openpyxl worksheet."""
    for block in content.blocks:
        _write_block(ws, block)
    for col, width in content.widths.items():
        ws.column_dimensions[_col(col)].width = width
    for row, height in content.heights.items():
        ws.row_dimensions[row].height = height
    if content.freeze:
        ws.freeze_panes = a1(*content.freeze)
    for chart in content.charts:
        if chart.last_row < chart.first_row:
            continue
        ch = PieChart() if chart.kind == "pie" else BarChart()
        if chart.kind == "bar":
            ch.type = "bar"
            ch.legend = None
            ch.y_axis.numFmt = FMT_INT
        ch.title = chart.title
        data = Reference(ws, min_col=chart.val_col, min_row=chart.first_row,
                         max_row=chart.last_row)
        cats = Reference(ws, min_col=chart.cat_col, min_row=chart.first_row,
                         max_row=chart.last_row)
        ch.add_data(data, titles_from_data=False)
        ch.set_categories(cats)
        n = chart.last_row - chart.first_row + 1  # a bar per network needs room for its label
        ch.width, ch.height = 15, 6.6 if chart.kind == "pie" else max(6.6, (20 * n + 70) / 37.8)
        ws.add_chart(ch, chart.anchor)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _col(c: int) -> str:
    from dekom_xl.cells import col_letter

    return col_letter(c)


def _write_block(ws, block: Block) -> None:
    for i, row in enumerate(block.values):
        for j, v in enumerate(row):
            cell = ws.cell(block.row + i, block.col + j)
            _set(cell, v)
            is_header = block.header and i == 0
            if is_header:  # same look as the XlsxWriter builder (LibreOffice ignores table styles)
                cell.font = _BOLD
                cell.fill = _HEAD_FILL
                cell.alignment = _HEAD_NUM if j in block.formats else _HEAD
                continue
            if block.wrap:
                cell.alignment = _TOP
            fmt = block.formats.get(j)
            if fmt and isinstance(v, (int, float)):
                cell.number_format = fmt
            if j in block.wrap:
                cell.alignment = _WRAP_TOP
            if block.style == "title":
                cell.font = _TITLE
            elif block.style == "subtitle":
                cell.font = _SUBTITLE
            elif block.style == "note":
                cell.font = _NOTE
            elif block.style == "sum":
                cell.font = _BOLD
                cell.fill = _SUM_FILL
            elif block.style == "text":
                cell.alignment = _WRAP
    for j, rule in block.alerts.items():
        first = block.row + (1 if block.header else 0)
        if block.last_row < first:
            continue
        rng = range_a1(first, block.col + j, block.last_row, block.col + j)
        top = a1(first, block.col + j)
        formula = f"AND(ISNUMBER({top}),{top}<>0)" if rule == "nonzero" else f"{top}>0"
        ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=AMBER))
    if block.table and block.height >= 2:
        ref = range_a1(block.row, block.col, block.last_row, block.last_col)
        table = Table(displayName=block.table, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)


def _overlaps(a: str, b: str) -> bool:
    ac1, ar1, ac2, ar2 = range_boundaries(a)
    bc1, br1, bc2, br2 = range_boundaries(b)
    return not (ac2 < bc1 or bc2 < ac1 or ar2 < br1 or br2 < ar1)


def _unescape(text: str) -> str:
    return (text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            .replace("&quot;", '"').replace("&apos;", "'"))
