"""The live-Excel adapter: :class:`dekom_xl.io.WorkbookIO` over an ``xlwings.Book``.

The same code runs on xlwings' desktop engine (Windows/macOS Excel through ``RunPython``),
in xlwings Lite (Pyodide in the Excel add-in) and on the remote engine (tests). It uses only
API all three support — ``book.sheets[...]``, ``sheet.tables[...]``, ``range.value``,
``range.number_format`` — never the COM ``.api``.

Round trips: each table is read with one ``.value`` read; each output block is written with
one ``.value`` write; formats are set once per run of equally formatted columns; tables and
charts once each. The number of actions depends on the sheets' shape, never on how many
networks or cost lines there are.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dekom_xl.core.load import Field
from dekom_xl.core.model import Location
from dekom_xl.core.render import Block, SheetContent
from dekom_xl.core.tables import RawTable, names_on, pick_name

_FORMULA_START = ("=", "+", "-", "@")


def _cell_value(v):
    """Text that Excel would take as a formula gets a leading apostrophe (stays text)."""
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


class LiveWorkbook:
    """A workbook open in Excel (or in a remote payload), through xlwings."""

    def __init__(self, book):
        self.book = book

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
        return RawTable(t.name, sheet.name, header, rows, rng.row + 1, rng.column,
                        file=self.file_name)

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
        block = [[_cell_value(v) for v in (list(r) + [None] * width)[:width]] for r in rows]
        sheet.range((start, rng.column)).value = block
        t.resize(sheet.range((rng.row, rng.column), (start + len(rows) - 1,
                                                     rng.column + width - 1)))

    def write_sheet(self, content: SheetContent) -> None:
        """Replace a tool sheet: delete and re-add it at the same place, then write blocks."""
        sheets = self.book.sheets
        names = [s.name for s in sheets]
        if content.name in names:
            ix = names.index(content.name)
            sheets[content.name].delete()
            remaining = self.book.sheets
            # ``after`` the previous sheet: the remote engine places ``before`` one too early.
            ws = (remaining.add(content.name, after=remaining[ix - 1]) if ix > 0
                  else remaining.add(content.name, before=remaining[0]))
        else:
            ws = sheets.add(content.name, after=sheets[len(sheets) - 1])
        for block in content.blocks:
            self._write_block(ws, block)
        for col, width in content.widths.items():
            ws.range((1, col)).column_width = width
        for chart in content.charts:
            self._chart(ws, chart)

    def _write_block(self, ws, block: Block) -> None:
        values = [[_cell_value(v) for v in row] for row in block.values]
        width = block.width
        values = [r + [None] * (width - len(r)) for r in values]
        top = ws.range((block.row, block.col))
        top.value = values  # one round trip for the whole block
        first = block.row + (1 if block.header else 0)
        if block.last_row >= first:
            for c1, c2, fmt in _format_runs(block.formats, width):
                ws.range((first, block.col + c1), (block.last_row, block.col + c2)
                         ).number_format = fmt
        if block.style in ("title", "subtitle", "sum") or block.header:
            row = ws.range((block.row, block.col), (block.row if block.header else block.last_row,
                                                    block.last_col))
            try:
                row.font.bold = True
            except (AttributeError, NotImplementedError):
                pass
        if block.table and block.height >= 2:
            ws.tables.add(source=ws.range((block.row, block.col), (block.last_row,
                                                                    block.last_col)),
                          has_headers=True, name=block.table,
                          table_style_name="TableStyleMedium2")

    def _chart(self, ws, chart) -> None:
        if chart.last_row < chart.first_row:
            return
        try:
            ch = ws.charts.add(left=0, top=0, width=420, height=250,
                               chart_type="pie" if chart.kind == "pie" else "bar_clustered",
                               anchor=ws.range(chart.anchor))
            several = len(chart.value_cols) > 1
            ch.set_source_data(ws.range((chart.first_row - several, chart.cat_col),
                                        (chart.last_row, chart.value_cols[-1])))
        except (AttributeError, NotImplementedError, TypeError):
            pass  # an engine without charts still gets every figure

    def save(self) -> None:
        """Excel keeps the workbook open; the user saves it (nothing to do here)."""


def _format_runs(formats: dict[int, str], width: int) -> list[tuple[int, int, str]]:
    """Contiguous column runs that share a number format: [(first, last, fmt)]."""
    runs: list[tuple[int, int, str]] = []
    for j in range(width):
        fmt = formats.get(j)
        if fmt is None:
            continue
        if runs and runs[-1][2] == fmt and runs[-1][1] == j - 1:
            runs[-1] = (runs[-1][0], j, fmt)
        else:
            runs.append((j, j, fmt))
    return runs


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
