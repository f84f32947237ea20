"""The live-Excel adapter: :class:`dekom_xl.app.ports.WorkbookIO` over an ``xlwings.Book``.

The same code runs on xlwings' desktop engine (Windows/macOS Excel through ``RunPython`` or
*Run main*), in xlwings Lite (Pyodide in the Excel add-in) and on the remote engine (tests).
It uses only API those engines share (``book.sheets``, ``sheet.tables``, ``range.value``,
``range.number_format``, ``range.rows.hidden``, ``range.formula``, ``range.merge_area``),
never the COM ``.api``.

Reading: each table's values in one read. What the file adapter also reports (hidden rows,
formulas without a value, merged cells) is read where the engine gives it synchronously
(desktop Excel), or from ``extras`` fetched beforehand (:func:`prefetch`, xlwings Lite's
asynchronous getters). xlwings' remote engine (xlwings Server) sends values only: there these
three checks cannot be made, and :attr:`LiveWorkbook.unchecked` says so.

Writing: :mod:`.live_write` (few round trips, independent of the number of networks or lines).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dekom_xl.adapters.live_write import cell_value, write_content
from dekom_xl.core.cells import a1, range_a1
from dekom_xl.core.load import Field
from dekom_xl.core.model import Location
from dekom_xl.core.render import SheetContent
from dekom_xl.core.tables import RawTable, names_on, pick_name

_SKIPPABLE = (AttributeError, NotImplementedError, TypeError, ValueError, KeyError)
# (hidden rows, formulas without a value by A1, merged ranges) of one table
Extras = tuple[set[int], dict[str, str], list[str]]


class LiveWorkbook:
    """A workbook open in Excel (or in a remote payload), through xlwings."""

    def __init__(self, book, extras: dict[str, Extras] | None = None):
        """``extras``: per table name (folded), what :func:`prefetch` read asynchronously."""
        self.book = book
        self.extras = {k.casefold(): v for k, v in (extras or {}).items()}
        self.unchecked: set[str] = set()  # tables whose extras this engine could not give

    @property
    def file_name(self) -> str:
        return self.book.name

    def location(self) -> Path | None:
        """The workbook's folder. The remote engine knows only the bare name: the working
        directory then stands in (as the workbook's folder does on a desktop)."""
        try:
            return Path(self.book.fullname).resolve().parent
        except (OSError, ValueError, NotImplementedError):
            return None

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def table_names(self) -> dict[str, str]:
        return {t.name: s.name for s in self.book.sheets for t in s.tables}

    def _table(self, name: str):
        for s in self.book.sheets:
            for t in s.tables:
                if t.name.casefold() == name.casefold():
                    return s, t
        return None, None

    def read_table(self, name: str) -> RawTable | None:
        sheet, t = self._table(name)
        if t is None:
            return None
        rng = t.range
        values = rng.options(ndim=2).value  # one round trip for the whole table
        header = ["" if v is None else str(v) for v in values[0]]
        rows = [[None if v == "" else v for v in r] for r in values[1:]]
        hidden, formulas, merged = self.extras.get(t.name.casefold()) or \
            self._extras(t.name, rng, rows)
        return RawTable(t.name, sheet.name, header, rows, rng.row + 1, rng.column,
                        file=self.file_name, hidden_rows=hidden, formula_cells=formulas,
                        merged=merged)

    def _extras(self, name: str, rng, rows: list[list[object]]) -> Extras:
        """Hidden rows, formulas without a value and merged cells, read synchronously where
        the engine can (desktop Excel); elsewhere empty, and the table is noted unchecked."""
        r0, c0 = rng.row, rng.column
        height, width = rng.shape
        body = rng.sheet.range((r0 + 1, c0), (r0 + height - 1, c0 + width - 1)) \
            if height > 1 else None
        hidden: set[int] = set()
        formulas: dict[str, str] = {}
        merged: list[str] = []
        try:
            if body is not None:
                state = body.rows.hidden  # one call; None when some rows are hidden
                if state is None:
                    hidden = {r0 + 1 + i for i in range(height - 1)
                              if rng.sheet.range((r0 + 1 + i, c0)).rows.hidden}
                elif state:
                    hidden = set(range(r0 + 1, r0 + height))
                grid = body.options(ndim=2).formula
                for i, frow in enumerate(grid):
                    for j, f in enumerate(frow):
                        if isinstance(f, str) and f.startswith("=") and \
                                rows[i][j] in (None, ""):
                            formulas[a1(r0 + 1 + i, c0 + j)] = f
            if rng.merge_cells is not False:  # None: some cells are merged
                seen = set()
                for i in range(height):
                    for j in range(width):
                        cell = rng.sheet.range((r0 + i, c0 + j))
                        if cell.merge_cells:
                            area = cell.merge_area
                            ref = range_a1(area.row, area.column, area.row + area.shape[0] - 1,
                                           area.column + area.shape[1] - 1)
                            if ref not in seen:
                                seen.add(ref)
                                merged.append(ref)
        except _SKIPPABLE:  # the remote engine sends values only
            self.unchecked.add(name)
        return hidden, formulas, merged

    def _names(self):
        for n in self.book.names:
            try:
                rng = n.refers_to_range
            except Exception:  # names that are not a single range
                continue
            raw = n.name
            local = raw.split("!")[-1]
            scope = raw.split("!")[0].strip("'") if "!" in raw else None
            yield local, scope, rng

    def _field(self, rng) -> Field:
        cell = rng[0, 0] if rng.shape != (1, 1) else rng
        return Field(cell.value, Location(self.file_name, cell.sheet.name,
                                          cell.address.replace("$", "")))

    def read_field(self, name: str, sheet: str | None = None) -> Field | None:
        rng = pick_name(self._names(), name, sheet)
        return None if rng is None else self._field(rng)

    def fields_on(self, sheet: str) -> dict[str, Field]:
        found = names_on(self._names(), sheet, lambda rng: rng.sheet.name)
        return {name: self._field(rng) for name, rng in found.items()}

    def append_rows(self, table: str, rows: Sequence[Sequence[object]]) -> None:
        sheet, t = self._table(table)
        if t is None or not rows:
            return
        rng = t.range
        width = rng.shape[1]
        start = rng.row + rng.shape[0]
        block = [[cell_value(v) for v in (list(r) + [None] * width)[:width]] for r in rows]
        sheet.range((start, rng.column)).value = block
        t.resize(sheet.range((rng.row, rng.column), (start + len(rows) - 1,
                                                     rng.column + width - 1)))

    def write_sheet(self, content: SheetContent) -> None:
        """Write a tool sheet (kept and overwritten, or created) in few round trips."""
        write_content(self.book, content, desktop=is_desktop(self.book))

    def save(self) -> None:
        """Excel keeps the workbook open; the user saves it (nothing to do here)."""


async def prefetch(book) -> dict[str, Extras]:
    """xlwings Lite: hidden rows, formulas and merged cells of every table, fetched with the
    engine's asynchronous getters before a run (a run itself is synchronous)."""
    out: dict[str, Extras] = {}
    for sheet in book.sheets:
        for t in sheet.tables:
            rng = t.range
            r0, c0 = rng.row, rng.column
            height, width = rng.shape
            hidden: set[int] = set()
            formulas: dict[str, str] = {}
            merged: list[str] = []
            values = rng.options(ndim=2).value
            if height > 1:
                state = await sheet.range((r0 + 1, c0), (r0 + height - 1, c0)).rows.get_hidden()
                for i in range(1, height):  # row by row only when some are hidden
                    if state or (state is None and
                                 await sheet.range((r0 + i, c0)).rows.get_hidden()):
                        hidden.add(r0 + i)
            grid = await rng.options(ndim=2).get_formula()
            for i, frow in enumerate(grid[1:], start=1):
                for j, f in enumerate(frow):
                    if isinstance(f, str) and f.startswith("=") and values[i][j] in (None, ""):
                        formulas[a1(r0 + i, c0 + j)] = f
            seen: set[str] = set()
            partly = await rng.get_merge_cells() is not False  # one read; cells only if so
            cells = [(i, j) for i in range(height) for j in range(width)] if partly else []
            for i, j in cells:
                area = await sheet.range((r0 + i, c0 + j)).get_merge_area()
                if area.shape != (1, 1):
                    ref = range_a1(area.row, area.column, area.row + area.shape[0] - 1,
                                   area.column + area.shape[1] - 1)
                    if ref not in seen:
                        seen.add(ref)
                        merged.append(ref)
            out[t.name] = (hidden, formulas, merged)
    return out


# -- the run around a button press (see dekom_xl.app.button) --------------------------------
BUSY_NAME = "dekom_kjorer"  # marker name while a run is going (desktop Excel)
BUSY_STALE = dt.timedelta(minutes=10)  # an older marker is left over from a crash: ignored


def is_desktop(book) -> bool:
    """Classic desktop Excel (Windows/macOS through COM/AppleScript), not Lite or remote."""
    try:
        return book.app.engine.type == "desktop"
    except Exception:
        return False


def alert(book, text: str, title: str) -> None:
    """A message box (desktop, Lite and remote engine alike); never raises."""
    try:
        book.app.alert(text, title=title)
    except Exception:
        print(f"{title}: {text}", file=sys.stderr)


@contextmanager
def quiet(book) -> Iterator[None]:
    """Desktop Excel: screen updating and automatic calculation off, always restored."""
    if not is_desktop(book):
        yield  # Office.js batches the writes anyway; setting them would cost round trips
        return
    app = book.app
    saved: list[tuple[str, object]] = []
    for attr, off in (("screen_updating", False), ("calculation", "manual")):
        try:
            saved.append((attr, getattr(app, attr)))
            setattr(app, attr, off)
        except Exception:  # an engine without the setting
            continue
    try:
        yield
    finally:
        for attr, value in reversed(saved):
            try:
                setattr(app, attr, value)
            except Exception:
                pass


def busy_marker(book) -> bool:
    """Whether the workbook carries a fresh run marker (another run is going)."""
    try:
        names = list(book.names)
    except Exception:
        return False
    for n in names:
        try:
            if n.name.split("!")[-1].casefold() != BUSY_NAME:
                continue
            stamp = dt.datetime.fromisoformat(str(n.refers_to).strip('="'))
        except Exception:
            continue
        if dt.datetime.now() - stamp < BUSY_STALE:
            return True
    return False


@contextmanager
def busy(book) -> Iterator[None]:
    """Desktop Excel: the run marker in the workbook for the duration (another Python process
    started by a second click sees it). Elsewhere nothing: the writes go out at the end."""
    if not is_desktop(book):
        yield
        return
    name = None
    try:
        name = book.names.add(BUSY_NAME, f'="{dt.datetime.now().isoformat(timespec="seconds")}"')
    except Exception:
        pass
    try:
        yield
    finally:
        if name is not None:
            try:
                name.delete()
            except Exception:
                pass


def queued(book) -> int:
    """How many actions the engine has queued (Lite/remote), to drop them on failure."""
    try:
        return len(book.json()["actions"])
    except Exception:
        return -1


def drop_queued(book, mark: int) -> None:
    """Drop the actions queued since ``mark``: a failed run then writes nothing."""
    if mark < 0:
        return
    try:
        del book.json()["actions"][mark:]
    except Exception:
        pass
