"""Cell addresses: the one place that knows A1 notation and the DataFrame-row → Excel-row offset.

Rows and columns here are 1-based like Excel's unless a name says ``0``.
"""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_letter(col: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    if col < 1:
        raise ValueError(f"column must be >= 1, got {col}")
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def a1(row: int, col: int) -> str:
    """(row, col), 1-based → ``B12``."""
    return f"{col_letter(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """``$B$12`` → (12, 2)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


def range_a1(r1: int, c1: int, r2: int, c2: int) -> str:
    """(1, 1, 3, 2) → ``A1:B3``."""
    return f"{a1(r1, c1)}:{a1(r2, c2)}"


def quote_sheet(sheet: str) -> str:
    """``Kontroll`` → ``'Kontroll'`` (always quoted: names may hold spaces or æøå)."""
    return "'" + sheet.replace("'", "''") + "'"


def where(file: str | None, sheet: str | None, cell: str | None) -> str:
    """``fosen.xlsx: 'Beslutningsgrunnlag'!C12`` — the one formatter for a location."""
    parts = []
    if file:
        parts.append(file)
    ref = ""
    if sheet:
        ref = quote_sheet(sheet)
        if cell:
            ref += "!" + cell
    elif cell:
        ref = cell
    if ref:
        parts.append(ref)
    return ": ".join(parts)
