"""Writing a tool sheet into live Excel in few round trips (xlwings: desktop, Lite, remote).

Every property set is one Excel action (one round trip on Lite and the remote engine), so the
writer plans the sheet first and then sends:

- **values**: one ``setValues`` for the whole sheet (the new content, blanks over what the
  previous run left below or to the right of it), and none for a kept sheet that already
  shows the same values in the same table ranges (a press that changes nothing);
- **number formats**: few rectangles (:func:`dekom_xl.core.paint.paint`) that leave every
  number with its format;
- **tables**: kept and resized when their size changed (``resizeTable``), added when missing;
- **bold, column widths, charts**: set when the sheet is created, and again (bold and chart
  sources) only when a table changed size, since that moves the rows below it.

A tool sheet that exists is kept (cleared by overwriting), not deleted and re-added, so a
shape on it (a button) stays, and so are its column widths. It is rebuilt (deleted and added)
only when it holds no table for a table the content needs (e.g. ``Kontroll`` had no problems
last time). Column widths are characters in :class:`SheetContent`; classic desktop Excel takes
characters, xlwings Lite and the remote engine (xlwings ≥ 0.37) take points. An engine that
cannot set a width (``NotImplementedError``) or make bold text or a chart skips it: never an
aborted run.
"""

from __future__ import annotations

import math

from dekom_xl.core.paint import paint, paint_flags
from dekom_xl.core.render import Block, SheetContent

_FORMULA_START = ("=", "+", "-", "@")
_SKIPPABLE = (AttributeError, NotImplementedError, TypeError, ValueError)


def cell_value(v):
    """Text that Excel would take as a formula gets a leading apostrophe (stays text)."""
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v
    return v


def points(chars: float) -> float:
    """A column width in characters (Calibri 11: 7 px per digit + 5 px padding) as points."""
    return round((chars * 7 + 5) * 0.75, 2)


def is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def write_content(book, content: SheetContent, *, desktop: bool) -> None:
    """Write ``content`` to its sheet in ``book`` (created when missing)."""
    sheets = book.sheets
    names = [s.name for s in sheets]
    ws = sheets[content.name] if content.name in names else None
    existing = {t.name.casefold(): t for t in ws.tables} if ws is not None else {}
    wanted = [b for b in content.blocks if b.table and b.height >= 2]
    if ws is not None and any(b.table.casefold() not in existing for b in wanted if b.table):
        ix = names.index(content.name)
        ws.delete()  # it lacks a table: rebuild it whole at the same place
        remaining = book.sheets
        # ``after`` the previous sheet: the remote engine places ``before`` one too early.
        ws = (remaining.add(content.name, after=remaining[ix - 1]) if ix > 0
              else remaining.add(content.name, before=remaining[0]))
        existing = {}
    if ws is None:
        ws = sheets.add(content.name, after=sheets[len(sheets) - 1])
    used = _used(ws)
    new = used == (0, 0)
    grid = _grid(content, used)
    if not new and _unchanged(ws, grid, wanted, existing):
        # The same values in the same tables: nothing moved, so bold and charts are in place.
        # Number formats are set again all the same (someone may have cleared them, and no
        # engine but desktop Excel can tell us).
        _formats(ws, content.blocks, relayout=False)
        return
    ws.range((1, 1)).value = [[cell_value(v) for v in row] for row in grid]
    moved_from = None  # the first row whose layout may have moved (a table changed size)
    for b in wanted:
        target = ws.range((b.row, b.col), (b.last_row, b.last_col))
        old = existing.get(b.table.casefold()) if b.table else None
        if old is None:
            ws.tables.add(source=target, has_headers=True, name=b.table,
                          table_style_name="TableStyleMedium2")
        elif old.range.address != target.address:
            old.resize(target)
            moved_from = b.row if moved_from is None else min(moved_from, b.row)
    _formats(ws, content.blocks, relayout=new or moved_from is not None)
    if new:
        _bold(ws, content.blocks, from_row=1, reset=None)
        _charts(ws, content, from_row=1, new=True)
        _widths(ws, content.widths, desktop=desktop)
    elif moved_from is not None:
        _bold(ws, content.blocks, from_row=moved_from, reset=used)
        _charts(ws, content, from_row=moved_from, new=False)


def _used(ws) -> tuple[int, int]:
    """(rows, columns) of what the sheet holds now, from A1; (0, 0) when empty."""
    try:
        rng = ws.used_range
        last = rng.last_cell
        if last.row == 1 and last.column == 1 and rng.value in (None, ""):
            return 0, 0
        return last.row, last.column
    except _SKIPPABLE:
        return 0, 0


def _grid(content: SheetContent, used: tuple[int, int]) -> list[list[object]]:
    """All of the sheet's values, from A1 (blanks over the previous run's leftovers)."""
    rows = max([b.last_row for b in content.blocks] + [1])
    cols = max([b.last_col for b in content.blocks] + [1])
    old_rows, old_cols = used
    rows, cols = max(rows, old_rows), max(cols, old_cols)
    grid: list[list[object]] = [[None] * cols for _ in range(rows)]
    for b in content.blocks:
        for i, r in enumerate(b.values):
            for j, v in enumerate(r):
                grid[b.row - 1 + i][b.col - 1 + j] = v
    return grid


def _unchanged(ws, grid: list[list[object]], wanted: list[Block], existing: dict) -> bool:
    """The sheet already shows exactly ``grid`` and its tables have the wanted ranges (a press
    that changes nothing writes nothing). Any doubt counts as a change."""
    try:
        for b in wanted:
            old = existing.get(b.table.casefold()) if b.table else None
            target = ws.range((b.row, b.col), (b.last_row, b.last_col))
            if old is None or old.range.address != target.address:
                return False
        shown = ws.range((1, 1), (len(grid), len(grid[0]))).options(ndim=2).value
    except _SKIPPABLE:
        return False
    if len(shown) != len(grid) or any(len(a) != len(b) for a, b in zip(shown, grid, strict=True)):
        return False
    return all(_same(a, b) for got, want in zip(shown, grid, strict=True)
               for a, b in zip(got, want, strict=True))


def _same(shown: object, wanted: object) -> bool:
    if wanted is None or wanted == "":
        return shown is None or shown == ""
    if is_number(wanted):
        return is_number(shown) and math.isclose(float(shown), float(wanted),  # type: ignore[arg-type]
                                                 rel_tol=1e-12)  # a file keeps 15-17 digits
    if isinstance(wanted, str):
        return shown in (wanted, cell_value(wanted))
    return type(shown) is type(wanted) and shown == wanted


def _formats(ws, blocks: list[Block], *, relayout: bool) -> None:
    """Every number gets its block's format ("General" where the block gives none, but only
    after a layout change: otherwise the cell never had another)."""
    targets: dict[tuple[int, int], str] = {}
    for b in blocks:
        first = b.row + (1 if b.header else 0)
        for i in range(first - b.row, b.height):
            for j, v in enumerate(b.values[i]):
                fmt = b.formats.get(j)
                if is_number(v) and (fmt is not None or relayout):
                    targets[(b.row + i, b.col + j)] = fmt or "General"
    for r1, c1, r2, c2, painted in paint(targets):
        ws.range((r1, c1), (r2, c2)).number_format = painted


def _bold(ws, blocks: list[Block], *, from_row: int, reset: tuple[int, int] | None) -> None:
    """Titles, subtitles and sum rows bold, from ``from_row`` down (table headers take the
    table style's bold). ``reset``: the previous layout's (rows, columns), un-bolded first
    from ``from_row`` down; nothing is sent when no bold row lies there."""
    targets: dict[tuple[int, int], bool] = {}
    for b in blocks:
        for i, r in enumerate(b.values):
            for j, v in enumerate(r):
                if b.table and b.row + i >= from_row:  # its header is bold by the table
                    targets[(b.row + i, b.col + j)] = False  # style; never bold its cells
                elif v is not None and v != "" and b.row + i >= from_row:
                    targets[(b.row + i, b.col + j)] = b.style in ("title", "subtitle", "sum")
    if not any(targets.values()):
        return  # the same kind of sheet had none there before either
    try:
        if reset is not None and reset[0] >= from_row and reset[1]:
            ws.range((from_row, 1), reset).font.bold = False
        for r1, c1, r2, c2 in paint_flags(targets):
            ws.range((r1, c1), (r2, c2)).font.bold = True
    except _SKIPPABLE:
        return


def _charts(ws, content: SheetContent, *, from_row: int, new: bool) -> None:
    """Charts added on a new sheet; on a kept one, their source set again when its rows are at
    or below ``from_row`` (a table above or under them changed size)."""
    try:
        have = list(ws.charts)
    except _SKIPPABLE:
        return
    for k, chart in enumerate(content.charts):
        if chart.last_row < chart.first_row or (chart.last_row < from_row and k < len(have)):
            continue
        several = len(chart.value_cols) > 1  # series named by the header row above
        source = ws.range((chart.first_row - several, chart.cat_col),
                          (chart.last_row, chart.value_cols[-1]))
        try:
            if k < len(have) and not new:
                have[k].set_source_data(source)
            else:
                ch = ws.charts.add(left=0, top=0, width=420, height=250,
                                   chart_type="pie" if chart.kind == "pie" else "bar_clustered",
                                   anchor=ws.range(chart.anchor))
                ch.set_source_data(source)
        except _SKIPPABLE:
            continue  # an engine without charts still gets every figure


def _widths(ws, widths: dict[int, float], *, desktop: bool) -> None:
    """Equal widths of adjacent columns in one action; points unless classic desktop Excel."""
    runs: list[tuple[int, int, float]] = []
    for col in sorted(widths):
        w = widths[col] if desktop else points(widths[col])
        if runs and runs[-1][1] == col - 1 and runs[-1][2] == w:
            runs[-1] = (runs[-1][0], col, w)
        else:
            runs.append((col, col, w))
    for c1, c2, w in runs:
        try:
            ws.range((1, c1), (1, c2)).column_width = w
        except _SKIPPABLE:
            continue  # e.g. xlwings < 0.37 on Lite/remote: NotImplementedError
