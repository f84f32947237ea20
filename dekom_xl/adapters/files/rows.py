"""A targeted edit of a user sheet's XML: rows added at the end of a table.

Only the new cells and the table's range change; a cell that holds anything (a value, a
formula or text) is never written over. When a target cell is taken, nothing is changed and
the caller reports it instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dekom_xl.core.cells import a1, range_a1

_ROW = re.compile(r'<row\b[^>]*?\br="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(r'<c\b[^>]*?\br="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(r'(\bref=")([A-Z]+)(\d+):([A-Z]+)(\d+)(")')


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _holds(cell_inner: str | None) -> bool:
    return bool(cell_inner) and bool(re.search(r"<(v|f|is)\b", cell_inner or ""))


def _new_cell(ref: str, value: object, style: str | None) -> str:
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_esc(str(value))}</t></is></c>'


def append_rows(sheet: str, table: str, rows: Sequence[Sequence[object]]
                ) -> tuple[str, str, list[str]] | None:
    """(sheet XML, table XML, cells written) with ``rows`` added below the table's last used
    row; None when a target cell already holds something (nothing is changed then)."""
    m = _REF.search(table)
    if m is None:
        return None
    c1, r1, c2, r2 = _col_index(m.group(2)), int(m.group(3)), _col_index(m.group(4)), int(m.group(5))
    existing = {int(r.group(1)): r for r in _ROW.finditer(sheet)}
    cells: dict[int, dict[int, tuple[str, str | None]]] = {}
    for r, found in existing.items():
        for cell in _CELL.finditer(found.group(2) or ""):
            cells.setdefault(r, {})[_col_index(cell.group(1))] = (cell.group(0), cell.group(3))
    last = r2
    while last > r1 and not any(_holds(cells.get(last, {}).get(c, ("", None))[1])
                                for c in range(c1, c2 + 1)):
        last -= 1
    styles = {c: re.search(r'\bs="(\d+)"', cells.get(last, {}).get(c, ("", None))[0] or "")
              for c in range(c1, c2 + 1)}
    written: list[str] = []
    new_rows: dict[int, dict[int, str]] = {}
    for k, values in enumerate(rows):
        r = last + 1 + k
        for j, v in enumerate(values[: c2 - c1 + 1]):
            c = c1 + j
            if _holds(cells.get(r, {}).get(c, ("", None))[1]):
                return None  # taken: never write over what someone typed
            if v is None:
                continue
            st = styles.get(c)
            new_rows.setdefault(r, {})[c] = _new_cell(a1(r, c), v, st.group(1) if st else None)
            written.append(a1(r, c))
    out = sheet
    for r in sorted(new_rows, reverse=True):  # from the bottom, so offsets stay valid
        row = existing.get(r)
        if row is None:
            after = [x for x in existing if x > r]
            xml = f'<row r="{r}">' + "".join(new_rows[r][c] for c in sorted(new_rows[r])) + \
                "</row>"
            if after:
                at = existing[min(after)].start()
            elif "</sheetData>" in out:
                at = out.index("</sheetData>")
            else:
                return None
            out = out[:at] + xml + out[at:]
            continue
        mine = {c: x for c, (x, _inner) in cells.get(r, {}).items()}
        mine.update(new_rows[r])
        head = re.match(r"<row\b[^>]*?(?=/?>)", row.group(0))
        head_s = re.sub(r'\s*\bspans="[^"]*"', "", head.group(0)) if head else f'<row r="{r}"'
        xml = head_s + ">" + "".join(mine[c] for c in sorted(mine)) + "</row>"
        out = out[:row.start()] + xml + out[row.end():]
    new_last = max(r2, last + len(rows))
    ref = range_a1(r1, c1, new_last, c2)
    new_table = _REF.sub(lambda x: f"{x.group(1)}{ref}{x.group(6)}", table)
    out = _grow_dimension(out, new_last)
    return out, new_table, written


def _grow_dimension(sheet: str, last_row: int) -> str:
    m = re.search(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', sheet)
    if m is None or not m.group(3) or int(m.group(4)) >= last_row:
        return sheet
    return sheet[:m.start()] + f'<dimension ref="{m.group(1)}{m.group(2)}:{m.group(3)}' \
        f'{last_row}"' + sheet[m.end():]
