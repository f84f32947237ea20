"""The user sheet ``Saldo`` (XlsxWriter): balances per recipient and year of grant, written
once when a workbook is built (``dekom-xl new-year`` fills it from last year)."""

from __future__ import annotations

from dekom_xl.adapters.builder.sheets import _Formats, _page, _whole_number, _write
from dekom_xl.core.balances import BALANCE_COLUMNS, BALANCES, PART_NETWORK, PART_UH, Balance

NOTE = [
    "Én rad per mottaker (nettverket eller UH-delen), del og tilskuddsår: tildelt, utbetalt, "
    "rapportert brukt og ubrukt.",
    "Ubrukt er tallet dere skriver, eller tildelt minus rapportert brukt. «Kilde» sier hvor tallet "
    "kommer fra (beslutningsgrunnlaget eller rapporteringen).",
    "Regelen på arket Oppsett («Ubrukte midler avkorter») sier om ubrukte midler trekkes fra ny "
    "tildeling. Arket er ditt: verktøyet skriver aldri her.",
]


def balances_sheet(wb, fm: _Formats, balances: list[Balance]) -> None:
    from dekom_xl.adapters.builder.allocation import _user_table

    ws = wb.add_worksheet(BALANCES)
    _write(ws, 0, 0, "Saldo: ubrukte midler fra tidligere tildelinger", fm.title)
    for i, line in enumerate(NOTE):
        _write(ws, 1 + i, 0, line, fm.note)
    rows = [[b.recipient, b.part, b.year, b.granted, b.paid, b.used, b.unspent_typed,
             b.source or None, b.note or None] for b in balances]
    rows = rows or [[None] * len(BALANCE_COLUMNS)]
    r0 = 1 + len(NOTE) + 1
    _user_table(ws, fm, r0, 0, BALANCES, BALANCE_COLUMNS, rows,
                lambda j: fm.kr if 3 <= j <= 6 else None)
    last = r0 + len(rows) + 200
    ws.data_validation(r0 + 1, 1, last, 1, {
        "validate": "list", "source": [PART_NETWORK, PART_UH],
        "error_title": "Del", "error_message": "Velg «nettverk» eller «UH»."})
    ws.data_validation(r0 + 1, 3, last, 6, _whole_number())
    for col, width in enumerate([30, 10, 12, 14, 14, 16, 14, 24, 30]):  # A4 at ~75 %
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)
