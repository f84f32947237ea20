"""The user sheet ``Scenarier`` with the table ``Modeller`` (XlsxWriter), written once when a
workbook is built; the tool never rewrites it."""

from __future__ import annotations

from dekom_xl.adapters.builder.sheets import _Formats, _page, _whole_number, _write
from dekom_xl.core import tables as T
from dekom_xl.core.model import Setup, YearData
from dekom_xl.core.scenarios import MAIN_KEY, MODEL_COLUMNS, ScenarioModel

NOTE = [
    "Hver rad er en fordelingsmodell: grunntilskudd per nettverk, nøkkel og et valgfritt gulv "
    "(minste ramme et nettverk får).",
    "Nøkkel er en kolonne på arket Nettverk som begynner med «Nøkkeltall»; en blanding av to "
    "får «Nøkkel 2» og «Andel nøkkel 2» (f.eks. 30 %).",
    f"Rammene under hver modell står på arket {T.S_MODEL_FRAMES} («dekom-xl scenarios»). "
    "Arket er ditt: verktøyet skriver aldri her.",
]


def default_models(setup: Setup) -> list[ScenarioModel]:
    """The models a new workbook starts with: today's model, and one without a base grant."""
    return [ScenarioModel("Dagens modell", setup.base_grant, MAIN_KEY,
                          note="Som på arket Oppsett"),
            ScenarioModel("Uten grunntilskudd", 0, MAIN_KEY, note="Rent pro rata")]


def scenarios_sheet(wb, fm: _Formats, data: YearData) -> None:
    from dekom_xl.adapters.builder.allocation import _user_table

    models = data.scenario_models if data.scenario_models is not None else \
        default_models(data.setup)
    ws = wb.add_worksheet(T.S_SCENARIOS)
    _write(ws, 0, 0, "Fordelingsmodeller side om side", fm.title)
    for i, line in enumerate(NOTE):
        _write(ws, 1 + i, 0, line, fm.note)
    rows = [[m.name, m.base_grant, m.key, m.key2 or None,
             float(m.share2) if m.key2 else None, m.floor, m.note or None] for m in models]
    rows = rows or [[None] * len(MODEL_COLUMNS)]
    r0 = 1 + len(NOTE) + 1  # 0-based header row, under the notes
    pct = fm.number("0 %")
    _user_table(ws, fm, r0, 0, T.MODELS, MODEL_COLUMNS, rows,
                lambda j: fm.kr if j in (1, 5) else (pct if j == 4 else None))
    keys = [MAIN_KEY, *data.key_columns]
    last = r0 + len(rows) + 100
    ws.data_validation(r0 + 1, 1, last, 1, _whole_number())
    ws.data_validation(r0 + 1, 5, last, 5, _whole_number())
    ws.data_validation(r0 + 1, 2, last, 3, {
        "validate": "list", "source": keys, "error_type": "warning",
        "error_title": "Nøkkel", "error_message": "Velg en nøkkelkolonne fra arket Nettverk."})
    ws.data_validation(r0 + 1, 4, last, 4, {
        "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
        "error_title": "Andel nøkkel 2", "error_message": "Skriv en andel mellom 0 % og 100 %."})
    for col, width in enumerate([26, 14, 20, 20, 14, 12, 36]):  # A4 at ~80 %
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)
