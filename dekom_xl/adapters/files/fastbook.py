"""The objects the fast reader (:mod:`.fastread`) gives: the few parts of openpyxl's
``Workbook``/``Worksheet``/``Table`` that :class:`~.workbook.FileWorkbook` reads, under the same
names, with openpyxl's bookkeeping of which cells exist (it decides ``max_row`` and
``max_column``, so what counts as "outside a table")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from openpyxl.workbook.defined_name import DefinedName

from dekom_xl.core.cells import a1

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


class NotSure(Exception):
    """The fast reader cannot be sure to read this file exactly as openpyxl would."""


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class _Cell:
    __slots__ = ("coordinate", "value")

    def __init__(self, coordinate: str, value: object):
        self.coordinate, self.value = coordinate, value


class _Dim:
    __slots__ = ("hidden",)

    def __init__(self, hidden: bool):
        self.hidden = hidden


class _RowDims(dict):
    def __missing__(self, key):
        return _Dim(False)


class _Merged:
    def __init__(self, ranges: set):
        self.ranges = ranges  # openpyxl CellRange objects: str(r) is "A32:B32"


class _Column:
    __slots__ = ("name",)

    def __init__(self, name: str | None):
        self.name = name


class _Table:
    """What :class:`FileWorkbook` reads of an openpyxl ``Table``."""

    def __init__(self, node: Element):
        a = node.attrib
        self.name: str = a.get("name") or ""
        self.displayName = a.get("displayName")
        ref = a.get("ref")
        if "name" not in a or not self.displayName or " " in self.displayName or not ref:
            raise NotSure("table name")
        self.ref = ref.upper()
        if not re.match(r"^\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+$", self.ref):
            raise NotSure("table ref")
        try:
            self.headerRowCount = int(a["headerRowCount"]) if "headerRowCount" in a else 1
            self.totalsRowCount = int(a["totalsRowCount"]) if "totalsRowCount" in a else None
        except ValueError as err:
            raise NotSure("table counts") from err
        cols = node.find(M + "tableColumns")
        self.tableColumns = [_Column(c.get("name")) for c in cols.findall(M + "tableColumn")] \
            if cols is not None else []


class FastSheet:
    """One worksheet: values by (row, column), and openpyxl's notion of which cells exist."""

    def __init__(self, book: FastBook, title: str, state: str, part: str):
        self.book, self.title, self.sheet_state, self.part = book, title, state, part
        self.defined_names: dict[str, DefinedName | _Name] = {}
        self.values: dict[tuple[int, int], object] = {}
        self.row_dimensions = _RowDims()
        self.merged_cells = _Merged(set())
        self.tables: dict[str, _Table] = {}
        self._max_row = self._max_col = 0
        self._current_row = 0  # openpyxl's: 0 until a cell was created by bind_cells/cell()
        self._merged_only: set[tuple[int, int]] = set()

    # -- openpyxl's cell bookkeeping (only max_row/max_column/_current_row are observable) --
    @property
    def max_row(self) -> int:
        return self._max_row or 1

    @property
    def max_column(self) -> int:
        return self._max_col or 1

    def _touch(self, r1: int, c1: int, r2: int, c2: int) -> None:
        """Cells (r1, c1)…(r2, c2) created like openpyxl's ``ws.cell`` would."""
        if r1 > r2 or c1 > c2:
            return
        self._max_row, self._max_col = max(self._max_row, r2), max(self._max_col, c2)
        if self._current_row == 0:  # only merged cells exist: is any of these new?
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) not in self._merged_only:
                        self._current_row = max(self._current_row, r)

    def iter_rows(self, min_row=None, max_row=None, min_col=None, max_col=None,
                  values_only=False) -> Iterator[tuple]:
        if self._current_row == 0 and not any([min_col, min_row, max_col, max_row]):
            return iter(())
        min_col, min_row = min_col or 1, min_row or 1
        max_col, max_row = max_col or self.max_column, max_row or self.max_row
        self._touch(min_row, min_col, max_row, max_col)
        get = self.values.get
        if values_only:
            return iter([tuple(get((r, c)) for c in range(min_col, max_col + 1))
                         for r in range(min_row, max_row + 1)])
        return iter([tuple(_Cell(a1(r, c), get((r, c))) for c in range(min_col, max_col + 1))
                     for r in range(min_row, max_row + 1)])

    def __getitem__(self, coord: str) -> _Cell:
        m = _CELL.match(coord)
        if m is None:  # never reached: load() checks every defined name's cell
            raise NotSure(coord)
        r, c = int(m.group(2)), _col(m.group(1))
        self._touch(r, c, r, c)
        return _Cell(coord, self.values.get((r, c)))


class _Name:
    """A defined name whose text is a plain cell reference (``'Ark'!$B$4``)."""

    __slots__ = ("attr_text",)

    def __init__(self, text: str):
        self.attr_text = text


class FastBook:
    """The workbook: sheets in order, workbook-scoped defined names."""

    def __init__(self) -> None:
        self.worksheets: list[FastSheet] = []
        self.defined_names: dict[str, DefinedName | _Name] = {}

    @property
    def sheetnames(self) -> list[str]:
        return [ws.title for ws in self.worksheets]

    def __getitem__(self, title: str) -> FastSheet:
        for ws in self.worksheets:
            if ws.title == title:
                return ws
        raise KeyError(f"Worksheet {title} does not exist.")
