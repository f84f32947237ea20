"""Writing tool-sheet content (:class:`~dekom_xl.core.render.SheetContent`) with openpyxl."""

from __future__ import annotations

from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo

from dekom_xl.core.cells import a1, range_a1
from dekom_xl.core.render import AXIS_THOUSANDS, FMT_THOUSANDS, Block, SheetContent

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
            ch.y_axis.numFmt = FMT_THOUSANDS
            ch.y_axis.title = AXIS_THOUSANDS
            ch.x_axis.scaling.orientation = "maxMin"  # networks in sheet order from the top
            # every network labelled, also when the sheet is shrunk to one page (LibreOffice
            # otherwise skips every other label)
            ch.x_axis.tickLblSkip = 1
            ch.x_axis.txPr = _small_font()
        else:
            from openpyxl.chart.label import DataLabelList

            ch.dataLabels = DataLabelList()
            ch.dataLabels.showPercent = True
        ch.title = chart.title
        several = len(chart.value_cols) > 1
        data = Reference(ws, min_col=chart.val_col, max_col=chart.value_cols[-1],
                         min_row=chart.first_row - several, max_row=chart.last_row)
        cats = Reference(ws, min_col=chart.cat_col, min_row=chart.first_row,
                         max_row=chart.last_row)
        ch.add_data(data, titles_from_data=several)
        ch.set_categories(cats)
        if several:
            from openpyxl.chart.legend import Legend

            ch.legend = Legend()
            ch.legend.position = "b"
        # a bar per network (and series) needs room for its label
        ch.width, ch.height = 15, chart.height_px / 37.8  # cm
        ws.add_chart(ch, chart.anchor)
    page = content.page
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = page.fit_width
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.9, 0.8
    ws.page_margins.header = ws.page_margins.footer = 0.35
    if page.repeat_rows:
        ws.print_title_rows = f"{page.repeat_rows[0]}:{page.repeat_rows[1]}"
    ws.oddHeader.left.text = page.header_left
    ws.oddHeader.center.text = page.header_center
    ws.oddHeader.right.text = page.header_right
    ws.oddFooter.left.text = page.footer_left
    ws.oddFooter.right.text = page.footer_right


def _col(c: int) -> str:
    from dekom_xl.core.cells import col_letter

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


def _small_font(size: int = 800):
    """Chart axis labels in ``size`` hundredths of a point (8 pt)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])
