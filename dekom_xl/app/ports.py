"""Workbook I/O: one small interface, two implementations.

- :mod:`dekom_xl.adapters.files` — .xlsx/.xlsm files on disk (openpyxl to read and update,
  XlsxWriter to build new workbooks and templates);
- :mod:`dekom_xl.adapters.live` — a live workbook through xlwings (desktop, Lite or remote).

The core never sees either: it gets :class:`~dekom_xl.core.tables.RawTable` and
:class:`~dekom_xl.core.load.Field` values and gives back :class:`~dekom_xl.core.render.SheetContent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from dekom_xl.core.load import Field
from dekom_xl.core.model import Problem
from dekom_xl.core.render import SheetContent
from dekom_xl.core.tables import RawTable


class WorkbookIO(Protocol):
    """What every workbook adapter offers. Each call is one read or one write of a block."""

    @property
    def file_name(self) -> str:
        """The workbook's file name, used in problem locations."""

    def location(self) -> Path | None:
        """The folder the workbook lives in (relative folders on Oppsett start here), or None
        when the engine does not know it."""

    def sheet_names(self) -> list[str]:
        """Sheet names in workbook order."""

    def table_names(self) -> dict[str, str]:
        """Every Excel Table in the workbook: table name → sheet name."""

    def read_table(self, name: str) -> RawTable | None:
        """The named Excel Table's values with positions (one round trip), or None."""

    def read_field(self, name: str, sheet: str | None = None) -> Field | None:
        """The value of a defined name (workbook scope, or scoped to ``sheet``), or None."""

    def fields_on(self, sheet: str) -> dict[str, Field]:
        """Every ``dekom_*`` defined name whose cell is on ``sheet`` (for pasted sheets)."""

    def append_rows(self, table: str, rows: Sequence[Sequence[object]]) -> list[Problem] | None:
        """Add rows at the end of a user table, growing the table; never touch other cells.

        May return problems (rows it could not add without writing over something)."""

    def write_sheet(self, content: SheetContent) -> None:
        """Replace a tool sheet whole (create it if missing) with ``content``."""

    def save(self) -> None:
        """Make the changes permanent (atomic for files; a no-op for live Excel)."""
