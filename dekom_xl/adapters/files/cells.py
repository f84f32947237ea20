"""A targeted edit of a user sheet's XML: new values in given cells (``dekom-xl keys`` fills
one table column). Only those cells change; each keeps its style; every other byte stays."""

from __future__ import annotations

import re

from dekom_xl.adapters.files.rows import _CELL, _ROW, _col_index, _new_cell

_A1 = re.compile(r"^([A-Z]+)(\d+)$")


def set_cells(sheet: str, values: dict[str, object]) -> str:
    """``sheet`` (worksheet XML) with ``values`` ({"C5": 3904, …}) written, styles kept."""
    by_row: dict[int, dict[str, object]] = {}
    for ref, v in values.items():
        m = _A1.match(ref)
        if m is None:
            raise ValueError(f"not a cell: {ref}")
        by_row.setdefault(int(m.group(2)), {})[ref] = v

    def edit_row(m: re.Match) -> str:
        r = int(m.group(1))
        wanted = by_row.pop(r, None)
        if not wanted:
            return m.group(0)
        whole = m.group(0)
        if whole.endswith("/>") and m.group(2) is None:
            head, inner, tail = whole[:-2] + ">", "", "</row>"
        else:
            head = whole[: whole.index(">") + 1]
            inner = m.group(2) or ""
            tail = "</row>"
        cells = [(c.group(0), c.group(1)) for c in _CELL.finditer(inner)]
        out = []
        for xml, col in cells:
            ref = f"{col}{r}"
            if ref in wanted:
                style = re.search(r'\bs="(\d+)"', xml)
                out.append(_new_cell(ref, wanted.pop(ref), style.group(1) if style else None))
            else:
                out.append(xml)
        for ref, v in wanted.items():  # cells not in the XML yet: insert in column order
            out.append(_new_cell(ref, v, None))
        out.sort(key=_column_of)
        return head + "".join(out) + tail

    sheet = _ROW.sub(edit_row, sheet)
    if by_row:  # rows that do not exist yet
        raise ValueError(f"rows missing in the sheet: {sorted(by_row)}")
    return sheet


def _column_of(cell_xml: str) -> int:
    """The column number of a ``<c r="C5" …>`` element (for keeping cells in order)."""
    m = re.search(r'r="([A-Z]+)\d+"', cell_xml)
    return _col_index(m.group(1)) if m else 0
