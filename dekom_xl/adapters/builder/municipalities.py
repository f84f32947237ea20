"""The user sheet ``Kommuner`` (XlsxWriter): which network each municipality belongs to, so
``dekom-xl keys`` can sum per-municipality figures into the networks' key figures."""

from __future__ import annotations

from dekom_xl.adapters.builder.sheets import _Formats, _page, _write
from dekom_xl.core.keys import MUNICIPALITIES, MUNICIPALITY_COLUMNS

NOTE = [
    "Én rad per kommune: kommunenummer, kommune og nettverket den hører til. «dekom-xl keys "
    "ARBEIDSBOK FIL.csv» summerer tallene per kommune",
    "(kommunenummer; kommune; verdi) til nøkkeltallene på arket Nettverk. Arket er ditt: "
    "verktøyet skriver aldri her.",
]


def municipalities_sheet(wb, fm: _Formats, rows: list[tuple[str, str, str]],
                         note: str = "") -> None:
    from dekom_xl.adapters.builder.allocation import _user_table

    ws = wb.add_worksheet(MUNICIPALITIES)
    _write(ws, 0, 0, "Kommuner i nettverkene", fm.title)
    lines = NOTE + ([note] if note else [])
    for i, line in enumerate(lines):
        _write(ws, 1 + i, 0, line, fm.warning if line == note else fm.note)
    r0 = 1 + len(lines) + 1
    body: list[list[object]] = [list(r) for r in rows] or [[None] * 3]
    _user_table(ws, fm, r0, 0, MUNICIPALITIES, MUNICIPALITY_COLUMNS, body,
                lambda j: fm.number("@") if j == 0 else None)
    for col, width in enumerate([16, 36, 40]):
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 0)
    _page(ws)
