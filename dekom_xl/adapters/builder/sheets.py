"""XlsxWriter basics shared by every built workbook: formats, cell writing, page setup, and
the tool sheets written from :mod:`dekom_xl.core.render` blocks."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from dekom_xl.core import tables as T
from dekom_xl.core.cells import parse_a1
from dekom_xl.core.render import (
    AXIS_THOUSANDS,
    FMT_DIFF,
    FMT_KR,
    FMT_THOUSANDS,
    Block,
    SheetContent,
)

AMBER = "#FFD966"
RED = "#F4B6B6"
HEAD = "#DDEBF7"
MAX_AMOUNT = 1_000_000_000


class _Formats:
    """The XlsxWriter formats used across a workbook."""

    def __init__(self, wb: xlsxwriter.Workbook):
        f = wb.add_format
        self.title = f({"bold": True, "font_size": 14})
        self.subtitle = f({"bold": True, "font_size": 12})
        self.note = f({"italic": True, "font_color": "#555555"})
        self.text = f({"text_wrap": True, "valign": "top"})
        self.wrap = f({"text_wrap": True})
        self.top = f({"valign": "top"})
        self.bold = f({"bold": True})
        # Table headers: an explicit light fill so they read the same in LibreOffice, which
        # ignores Excel's table styles, and in Excel, where cell formats win over the style.
        self.head = f({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": HEAD,
                       "bottom": 1})
        self.head_num = f({"bold": True, "text_wrap": True, "valign": "bottom", "bg_color": HEAD,
                           "bottom": 1, "align": "right"})
        self.label = f({"bold": True, "locked": True})
        self.kr = f({"num_format": FMT_KR})
        self.kr_input = f({"num_format": FMT_KR, "locked": False, "bg_color": "#FFF9E6"})
        self.kr_locked = f({"num_format": FMT_KR, "locked": True, "bg_color": "#EEEEEE"})
        self.kr_bold = f({"num_format": FMT_KR, "bold": True, "bg_color": "#EEEEEE"})
        self.diff = f({"num_format": FMT_DIFF})
        self.input = f({"locked": False, "bg_color": "#FFF9E6"})
        self.input_wrap = f({"locked": False, "bg_color": "#FFF9E6", "text_wrap": True,
                             "valign": "top"})
        self.locked = f({"locked": True, "bg_color": "#EEEEEE"})
        self.open = f({"locked": False})
        self.open_kr = f({"locked": False, "num_format": FMT_KR})
        self.sum = f({"bold": True, "bg_color": "#EEEEEE"})
        self.amber = f({"bg_color": AMBER})
        self.red = f({"bg_color": RED, "font_color": "#9C0006"})
        self.small = f({"font_color": "#999999", "font_size": 8})
        self.small_left = f({"font_color": "#999999", "font_size": 8, "align": "left"})
        self.warning = f({"bold": True, "font_color": "#9C0006"})
        self.cache: dict[tuple[str, str | None, bool], object] = {}

        self._wb = wb

    def number(self, fmt: str, style: str | None = None, *, top: bool = False):
        """A number format (bold and grey on sum rows; top-aligned beside wrapped text)."""
        key = (fmt, style, top)
        if key not in self.cache:
            props: dict[str, object] = {"num_format": fmt}
            if style == "sum":
                props |= {"bold": True, "bg_color": "#EEEEEE"}
            if top:
                props["valign"] = "top"
            self.cache[key] = self._wb.add_format(props)
        return self.cache[key]


def _new_workbook(path: Path) -> tuple[xlsxwriter.Workbook, _Formats]:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    return wb, _Formats(wb)


def _write(ws, row: int, col: int, value, fmt=None) -> None:
    """Write one value 0-based; strings are always strings (never formulas)."""
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _page(ws, landscape: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.9, bottom=0.8)
    # user sheets too: sheet name, page x of y, date printed (tool sheets set their own)
    ws.set_header("&L&A&RSide &P av &N", {"margin": 0.35})
    ws.set_footer("&LSkrevet ut &D&Rdekom-xl", {"margin": 0.35})


def write_content(wb, fm: _Formats, content: SheetContent) -> None:
    """Write a tool sheet's :class:`SheetContent` with XlsxWriter (mirror of files.write_content)."""
    ws = wb.add_worksheet(content.name)
    for block in content.blocks:
        _write_block(ws, fm, block)
    for col, width in content.widths.items():
        ws.set_column(col - 1, col - 1, width)
    for row, height in content.heights.items():
        ws.set_row(row - 1, height)
    if content.freeze:
        ws.freeze_panes(content.freeze[0] - 1, content.freeze[1] - 1)
    for ch in content.charts:
        if ch.last_row < ch.first_row:
            continue
        chart = wb.add_chart({"type": "pie" if ch.kind == "pie" else "bar"})
        for col in ch.value_cols:
            chart.add_series({
                "categories": [content.name, ch.first_row - 1, ch.cat_col - 1, ch.last_row - 1,
                               ch.cat_col - 1],
                "values": [content.name, ch.first_row - 1, col - 1, ch.last_row - 1, col - 1],
                "name": [content.name, ch.first_row - 2, col - 1],
                "data_labels": {"percentage": True} if ch.kind == "pie" else {},
            })
        if ch.kind == "pie":
            _percent_only(chart)
        chart.set_title({"name": ch.title})
        if ch.kind == "bar":
            chart.set_legend({"position": "bottom"} if len(ch.value_cols) > 1 else {"none": True})
            chart.set_x_axis({"num_format": FMT_THOUSANDS, "name": AXIS_THOUSANDS,
                              "major_gridlines": {"visible": True}})
            chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
        chart.set_size({"width": 560, "height": ch.height_px})  # room for every label
        ws.insert_chart(ch.anchor, chart)
    _print_setup(ws, content)
    if content.name in (T.S_SUMMARY, T.S_MODEL_FRAMES) and _pages_tall(content) <= 1.5:
        ws.fit_to_pages(1, 1)  # for a meeting: one page when it nearly fits anyway (so a
        # chart is never cut in two)


def _percent_only(chart) -> None:
    """Pie labels with the percentage only, also in LibreOffice. XlsxWriter writes just
    ``<c:showPercent val="1"/>``; Excel reads the flags left out as off, LibreOffice as on and
    then printed «NTNU; Beløp; kr 1 720 000; 15%» on every slice, over each other. So the
    flags before it in the schema's order are written as off."""
    percent = chart._write_show_percent

    def explicit() -> None:
        for tag in ("c:showLegendKey", "c:showVal", "c:showCatName", "c:showSerName"):
            chart._xml_empty_tag(tag, [("val", 0)])
        percent()

    chart._write_show_percent = explicit


def _print_setup(ws, content: SheetContent) -> None:
    """A4, orientation, fit to width, repeated header rows, header and footer (Page)."""
    page = content.page
    _page(ws, landscape=page.landscape)
    if not page.fit_width:
        ws.fit_to_pages(0, 0)
    if page.repeat_rows:
        ws.repeat_rows(page.repeat_rows[0] - 1, page.repeat_rows[1] - 1)
    ws.set_header(f"&L{page.header_left}&C{page.header_center}&R{page.header_right}",
                  {"margin": 0.35})
    ws.set_footer(f"&L{page.footer_left}&R{page.footer_right}", {"margin": 0.35})


def _pages_tall(content: SheetContent) -> float:
    """About how many A4 landscape pages ``content`` takes when fitted to the page width."""
    rows = max((b.last_row for b in content.blocks), default=1)
    height = sum(content.heights.get(r, 15.0) for r in range(1, rows + 1))
    for ch in content.charts:  # a chart below the blocks: its anchor row plus its height
        top = parse_a1(ch.anchor)[0]
        above = sum(content.heights.get(r, 15.0) for r in range(1, top))
        height = max(height, above + ch.height_px * 0.75)
    width = sum(content.widths.get(c, 8.43) for c in range(1, max(content.widths, default=1) + 1))
    scale = min(1.0, 770 / (width * 5.6))  # A4 landscape inside the margins, in points
    return height * scale / 520


_STYLED = frozenset({"title", "subtitle", "note", "text", "sum"})  # the _Formats of the same name


def _cell_format(fm: _Formats, block: Block, i: int, j: int, v):
    """The format of value ``v`` at row ``i``, column ``j`` of ``block``.

    In a block with wrapped columns every cell is top-aligned, so a row reads as one line.
    """
    top = bool(block.wrap)
    if block.header and i == 0:
        return fm.head_num if j in block.formats else fm.head
    if block.formats.get(j) and isinstance(v, (int, float)):
        return fm.number(block.formats[j], block.style, top=top)
    if j in block.wrap:
        return fm.text
    style = getattr(fm, block.style) if block.style in _STYLED else None
    return style if style is not None or not top else fm.top


def _write_block(ws, fm: _Formats, block: Block) -> None:
    r0, c0 = block.row - 1, block.col - 1
    table = bool(block.table and block.height >= 2)
    # a table's data rows are written once, after add_table (below): same cells, same order of
    # first appearance of every string, half the writes
    for i, row in enumerate(block.values[:1] if table else block.values):
        for j, v in enumerate(row):
            _write(ws, r0 + i, c0 + j, v, _cell_format(fm, block, i, j, v))
    first = r0 + (1 if block.header else 0)
    for j, rule in block.alerts.items():
        if block.height - (1 if block.header else 0) <= 0:
            continue
        top = xl_rowcol_to_cell(first, c0 + j)
        formula = f"=AND(ISNUMBER({top}),{top}<>0)" if rule == "nonzero" else f"={top}>0"
        ws.conditional_format(first, c0 + j, r0 + block.height - 1, c0 + j,
                              {"type": "formula", "criteria": formula, "format": fm.amber})
    if table:
        ws.add_table(r0, c0, r0 + block.height - 1, c0 + block.width - 1, {
            "name": block.table, "style": "Table Style Medium 2",
            "columns": [{"header": str(h), "header_format": _cell_format(fm, block, 0, j, h)}
                        for j, h in enumerate(block.values[0])]})
        # add_table writes headers itself; re-write the data cells it may have blanked
        for i, row in enumerate(block.values[1:], start=1):
            for j, v in enumerate(row):
                _write(ws, r0 + i, c0 + j, v, _cell_format(fm, block, i, j, v))


def _whole_number() -> dict:
    return {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": MAX_AMOUNT,
            "error_title": "Beløp", "error_message": "Skriv et beløp i hele kroner (0 eller "
            "mer), uten øre og uten tekst."}
