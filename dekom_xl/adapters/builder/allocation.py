"""The allocation workbook, built new with XlsxWriter: Oppsett, Nettverk, Innstilling and the
tool sheets (the same :mod:`dekom_xl.core.render` content the updater writes)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from dekom_xl.adapters.builder.balances import balances_sheet
from dekom_xl.adapters.builder.municipalities import municipalities_sheet
from dekom_xl.adapters.builder.scenarios import scenarios_sheet
from dekom_xl.adapters.builder.sheets import (
    MAX_AMOUNT,
    _Formats,
    _new_workbook,
    _page,
    _whole_number,
    _write,
    write_content,
)
from dekom_xl.adapters.files import atomic_save
from dekom_xl.core import layout as L
from dekom_xl.core import tables as T
from dekom_xl.core.balances import N_RULE
from dekom_xl.core.cells import a1
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import YearData
from dekom_xl.core.render import FMT_INT, FMT_KEY, tool_sheets

INSTRUCTIONS = [
    "Slik bruker du arbeidsboken:",
    "1. Fyll inn år, ordning, tildelt beløp, grunntilskudd og nøkkel her, og budsjettpostene i "
    "tabellen Budsjett (status «fast» eller «usikker»).",
    "2. Fyll inn nettverkene (nøkkeltall, koordinering, eventuelt vedtatt ramme og alias) og "
    "UH-institusjonene på arket Nettverk.",
    "3. Trykk «Beregn rammer» (eller kjør «dekom-xl frames»). Send hvert nettverk sin ferdig "
    "utfylte mal («dekom-xl templates»).",
    "4. Legg de utfylte beslutningsgrunnlagene i mappen under, og trykk «Hent "
    "beslutningsgrunnlag» («dekom-xl collect»).",
    "5. Fyll inn innstillingen på arket Innstilling og trykk «Oppdater sammendrag».",
    "Arkene Rammer, Beslutningsgrunnlag, Sammendrag, Kontroll og Vedtak lages på nytt av "
    "verktøyet hver gang – skriv ikke der. Oppsett, Nettverk og Innstilling er deres og endres "
    "aldri av verktøyet.",
]


SETUP_FIELDS = [  # (label, defined name)
    ("År", T.N_YEAR),
    ("Ordning", T.N_SCHEME),
    ("Tildelt beløp", T.N_GRANT),
    ("Grunntilskudd per nettverk", T.N_BASE),
    ("Fordelingsnøkkel", T.N_KEY),
    ("Mappe med beslutningsgrunnlag (ved siden av arbeidsboken)", T.N_FOLDER),
    ("Type arbeidsbok (ikke endre)", T.N_KIND),
]
def DECISION_FIELDS_OF(s) -> list[tuple[str, str, object]]:  # noqa: N802 (a table)
    """(label, defined name, value) of the decision settings on Innstilling."""
    return [
        ("Restmidler fordeles på (tom: nettverkene som er innstilt; ellers navn skilt med ;)",
         T.N_REST, s.rest_networks or None),
        ("Avsender (brev)", T.N_SENDER, s.sender or "Statsforvalteren i Trøndelag"),
        ("Saksnummer (referanse)", T.N_REFERENCE, s.reference or None),
        ("Hjemmel (forskrift for ordningen)", T.N_LEGAL, s.legal_basis or
         "Forskrift om tilskudd til kompetanseutvikling i barnehage og skole"),
    ]


ILLUSTRATIVE = ("Fordelingen av kommunene på nettverkene i eksempelåret er ILLUSTRATIV (laget for "
                "demonstrasjon, ikke vedtatt): kontroller den før bruk.")


def build_allocation(data: YearData, path: Path, *, outcome: Outcome | None = None,
                     vba_project: Path | None = None,
                     buttons: dict[str, list[tuple[str, str, str]]] | None = None,
                     keys_to_update: int | None = None) -> Path:
    """Write a new allocation workbook for ``data`` (all eight sheets) atomically.

    ``vba_project`` and ``buttons`` (``{sheet: [(cell, caption, macro)]}``) make an .xlsm.
    ``keys_to_update`` (last year): every key figure is written as "skal oppdateres (2025: …)".
    """
    path = Path(path)
    if data.scenario_models is None:  # a new workbook starts with two models to compare
        from dataclasses import replace

        from dekom_xl.adapters.builder.scenarios import default_models

        data = replace(data, scenario_models=default_models(data.setup))
        outcome = None
    outcome = outcome or evaluate(data)

    def write(tmp: str) -> None:
        wb, fm = _new_workbook(Path(tmp))
        if vba_project is not None:
            wb.add_vba_project(str(vba_project))
            wb.set_vba_name("ThisWorkbook")
        _setup_sheet(wb, fm, data)
        _networks_sheet(wb, fm, data, keys_to_update)
        _recommendations_sheet(wb, fm, data)
        for content in tool_sheets(outcome):
            if content.name == T.S_MODEL_FRAMES:
                scenarios_sheet(wb, fm, data)  # the user's models, just before their frames
            write_content(wb, fm, content)
        balances_sheet(wb, fm, data.balances or [])
        municipalities_sheet(wb, fm, data.municipalities or [],
                             ILLUSTRATIVE if data.municipalities else "")
        for sheet, items in (buttons or {}).items():
            ws = wb.get_worksheet_by_name(sheet)
            for cell, caption, macro in items:
                ws.insert_button(cell, {"macro": macro, "caption": caption, "width": 190,
                                        "height": 32})
        wb.close()

    if vba_project is not None and path.suffix.lower() != ".xlsm":
        raise ValueError("a workbook with macros must be named .xlsm")
    return atomic_save(write, path)


def _setup_sheet(wb, fm: _Formats, data: YearData) -> None:
    s = data.setup
    ws = wb.add_worksheet(T.S_SETUP)
    for col, width in enumerate([52, 50, 16, 12, 60, 22]):
        ws.set_column(col, col, width)
    _write(ws, 0, 0, f"Fordeling av {s.scheme} {s.year}".strip(), fm.title)
    for i, line in enumerate(INSTRUCTIONS):
        _write(ws, 1 + i, 0, line, fm.note if i else fm.bold)
    values = [s.year, s.scheme, s.grant, s.base_grant, s.key_label, s.folder, T.KIND_ALLOCATION]
    for i, ((label, name), value) in enumerate(zip(SETUP_FIELDS, values, strict=True)):
        r = L.SETUP_FIRST_ROW - 1 + i
        _write(ws, r, 0, label, fm.bold)
        fmt = fm.kr_input if name in (T.N_GRANT, T.N_BASE) else fm.input
        if name == T.N_KIND:
            fmt = fm.small
        _write(ws, r, 1, value if value or name != T.N_GRANT else None, fmt)  # 0: not typed
        wb.define_name(name, L.defined(T.S_SETUP, L.setup_value(r + 1)))
        if name in (T.N_GRANT, T.N_BASE):
            ws.data_validation(r, 1, r, 1, _whole_number())
    # The rule for unspent money (Saldo), in column E under the buttons (column D).
    _write(ws, L.BUDGET_CHECKS_ROW - 1, 4, "Ubrukte midler avkorter ny tildeling for (ingen, UH, "
           "nettverk, alle):", fm.bold)
    _write(ws, L.BUDGET_CHECKS_ROW, 4, data.reduction_rule or "ingen", fm.input)
    wb.define_name(N_RULE, L.defined(T.S_SETUP, a1(L.BUDGET_CHECKS_ROW + 1, 5)))
    ws.data_validation(L.BUDGET_CHECKS_ROW, 4, L.BUDGET_CHECKS_ROW, 4, {
        "validate": "list", "source": ["ingen", "UH", "nettverk", "alle"],
        "error_title": "Ubrukte midler", "error_message": "Velg ingen, UH, nettverk eller alle."})
    grant, fixed, uncertain = L.absolute(L.GRANT), L.SUM_FIXED, L.SUM_UNCERTAIN
    # Live checks of the budget (recalculate in Excel and LibreOffice). Structured references
    # follow the table when the user adds a line; LibreOffice evaluates Table[Column] refs.
    amt, st = f"{T.BUDGET}[{T.BUDGET_COLUMNS[2]}]", f"{T.BUDGET}[{T.BUDGET_COLUMNS[3]}]"
    checks = [
        ("Sum faste poster", f'=SUMIF({st},"fast",{amt})'),
        ("Sum usikre poster", f'=SUMIF({st},"usikker",{amt})'),
        ("Udisponert (tildelt minus faste poster)", f"={grant}-{fixed}"),
        ("Udisponert hvis de usikre postene brukes", f"={grant}-{fixed}-{uncertain}"),
    ]
    title = L.BUDGET_CHECKS_TITLE_ROW - 1  # 0-based rows from here on
    _write(ws, title, 0, "Kontroll av budsjettet (regnes ut mens du skriver)", fm.subtitle)
    ws.set_row(title, 27)  # air between the fields and the checks
    first = L.BUDGET_CHECKS_ROW - 1
    for i, (label, formula) in enumerate(checks):
        _write(ws, first + i, 0, label, fm.bold)
        ws.write_formula(first + i, 1, formula, fm.kr_locked)
    _write(ws, first, 2, None)
    ws.write_formula(first, 2, f'=IF({fixed}>{grant},"Over tildelt beløp!","")', fm.bold)
    ws.write_formula(first + 1, 2, f'=IF({fixed}+{uncertain}>{grant},"Over med usikre poster",'
                     '"")', fm.bold)
    ws.conditional_format(fixed, {"type": "formula", "criteria": f"={fixed}>{grant}",
                                  "format": fm.red})
    ws.conditional_format(L.UNALLOCATED, {"type": "formula",
                                          "criteria": f"={L.UNALLOCATED}<0", "format": fm.red})
    ws.conditional_format(L.UNALLOCATED_IF_UNCERTAIN, {
        "type": "formula", "criteria": f"={L.UNALLOCATED_IF_UNCERTAIN}<0", "format": fm.amber})
    _write(ws, L.BUDGET_HEADER_ROW - 2, 0, "Budsjett", fm.subtitle)
    rows: list[list[object]] = [[b.line_id, b.label, b.amount, b.status.value, b.note,
                                 b.recipient or None] for b in data.budget]
    if not rows:
        rows = [[None] * 6]
    r0 = L.BUDGET_HEADER_ROW - 1
    _user_table(ws, fm, r0, 0, T.BUDGET, T.BUDGET_COLUMNS, rows,
                lambda j: fm.kr if j == 2 else (fm.wrap if j in (1, 4) else None))
    for i, row in enumerate(rows, start=1):
        # LibreOffice does not fit row heights to wrapped text: set them (Excel keeps them too).
        ws.set_row(r0 + i, 15 * max(_lines(row[1], 50), _lines(row[4], 60)))
    ws.data_validation(r0 + 1, 3, r0 + len(rows) + 200, 3, {
        "validate": "list", "source": ["fast", "usikker"],
        "error_title": "Status", "error_message": "Velg «fast» eller «usikker»."})
    ws.data_validation(r0 + 1, 2, r0 + len(rows) + 200, 2, _whole_number() | {
        "minimum": -MAX_AMOUNT, "error_message": "Skriv et beløp i hele kroner, uten øre og uten "
        "tekst. Negativt beløp bare for penger som føres tilbake (fast post uten mottaker)."})
    ws.conditional_format(r0 + 1, 2, r0 + len(rows) + 200, 2, {
        "type": "formula", "criteria": f"={L.absolute(fixed)}>{grant}", "format": fm.red})
    status = "$" + a1(r0 + 2, L.BUDGET_STATUS_COL)  # column fixed, row relative
    ws.conditional_format(r0 + 1, 0, r0 + len(rows) + 200, 4, {
        "type": "formula", "criteria": f'={status}="usikker"',
        "format": wb.add_format({"font_color": "#C00000"})})
    ws.freeze_panes(1, 0)
    _page(ws, landscape=True)


def _lines(text: object, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    return max(1, -(-len(str(text or "")) // max(int(width * 1.1), 1)))


def _user_table(ws, fm: _Formats, r0: int, c0: int, name: str, columns: list[str],
                rows: Sequence[Sequence[object]], fmt_of=lambda j: None) -> None:
    """A user table: header at 0-based row ``r0``/col ``c0``, rows formatted by ``fmt_of(j)``."""
    ws.add_table(r0, c0, r0 + len(rows), c0 + len(columns) - 1, {
        "name": name, "style": "Table Style Medium 2",
        "columns": [{"header": h, "header_format": fm.head} for h in columns]})
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            _write(ws, r0 + i, c0 + j, v, fmt_of(j))


def _networks_sheet(wb, fm: _Formats, data: YearData, keys_to_update: int | None = None
                    ) -> None:
    ws = wb.add_worksheet(T.S_NETWORKS)
    _write(ws, 0, 0, "Nettverk og UH-institusjoner", fm.title)
    _write(ws, 1, 0, "Nøkkeltall: " + data.setup.key_label + ". Alias skilles med semikolon. "
           "Vedtatt ramme er valgfri; verktøyet viser avviket fra nøkkelen på arket Rammer.",
           fm.note)
    extra = list(data.key_columns)  # optional key columns (Nøkkeltall lærerårsverk …)
    rows = [[n.name, n.short_name, _num(n.key), n.coordination_max, n.frame_decided,
             "; ".join(n.aliases), n.org_number or None]
            + [_num(data.key_columns[c].get(n.name)) for c in extra] for n in data.networks]
    if keys_to_update is not None:  # a new year: last year's figures, to be replaced
        for row in rows:
            for j in [2, *range(7, 7 + len(extra))]:
                old = row[j]
                shown = f"{old:,}".replace(",", " ") if isinstance(old, int) else old
                row[j] = f"skal oppdateres ({keys_to_update}: {shown})"
    rows = rows or [[None] * (7 + len(extra))]
    r0 = 3
    key_fmt = fm.number(FMT_INT if all(n.key.denominator == 1 for n in data.networks)
                        else FMT_KEY)
    _user_table(ws, fm, r0, 0, T.NETWORKS, T.NETWORK_COLUMNS + extra, rows,
                lambda j: fm.kr if j in (3, 4) else (key_fmt if j == 2 or j > 6 else None))
    ws.data_validation(r0 + 1, 3, r0 + len(rows) + 100, 4, _whole_number())
    unis: list[list[object]] = [[u.name, "; ".join(u.aliases), u.org_number or None]
                                for u in data.universities]
    unis = unis or [[None] * 3]
    uh_col = 8 + len(extra)
    _user_table(ws, fm, r0, uh_col, T.UNIVERSITIES, T.UNIVERSITY_COLUMNS, unis)
    for col, width in enumerate([40, 20, 12, 14, 14, 50, 20] + [16] * len(extra)
                                + [3, 22, 50, 20]):
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)


def _recommendations_sheet(wb, fm: _Formats, data: YearData) -> None:
    ws = wb.add_worksheet(T.S_RECOMMENDATIONS)
    _write(ws, 0, 0, "Innstilling fra samarbeidsforum", fm.title)
    _write(ws, 1, 0, "Beløp inkluderer koordinering. Et beløp over rammen inkl. koordinering "
           "trenger en merknad.", fm.note)
    rows: list[list[object]] = [[r.network, r.decision.value if r.decision else None,
                                 r.amount, r.remark, r.condition, r.own_share]
                                for r in data.recommendations]
    rows = rows or [[n.name, None, None, None, None, None] for n in data.networks] or [[None] * 6]
    r0 = 3
    _user_table(ws, fm, r0, 0, T.RECOMMENDATIONS, T.RECOMMENDATION_COLUMNS, rows,
                lambda j: fm.kr if j in (2, 5) else (fm.text if j in (3, 4) else None))
    ws.data_validation(r0 + 1, 5, r0 + len(rows) + 100, 5, _whole_number())
    # Settings for the decision and the letters, beside the table (defined names).
    s = data.setup
    _write(ws, r0, 7, "Vedtak og brev", fm.subtitle)
    for i, (label, name, value) in enumerate(DECISION_FIELDS_OF(s)):
        _write(ws, r0 + 1 + i, 7, label, fm.bold)
        _write(ws, r0 + 1 + i, 8, value, fm.input_wrap)
        wb.define_name(name, L.defined(T.S_RECOMMENDATIONS, a1(r0 + 2 + i, 9)))
    # Beside the table, never below it: the tool may add rows to Innstilling.
    for k, line in enumerate(["«Til nettverket» (valgfri): det nettverket selv skal ha; resten",
                              "går til UH-partnerne i forhold til det de ba om. Tom: forskjellen",
                              "mellom innstilt og meldt behov går til eller fra egen andel."]):
        _write(ws, r0 + 6 + k, 7, line, fm.note)
    ws.data_validation(r0 + 1, 1, r0 + len(rows) + 100, 1, {
        "validate": "list", "source": ["innstilles", "delvis", "avslås"],
        "error_title": "Vedtak", "error_message": "Velg innstilles, delvis eller avslås."})
    ws.data_validation(r0 + 1, 2, r0 + len(rows) + 100, 2, _whole_number())
    for col, width in enumerate([40, 14, 14, 70, 50, 14, 3, 30, 50]):
        ws.set_column(col, col, width)
    ws.freeze_panes(r0 + 1, 1)
    _page(ws)


def _num(value):
    """A key figure for a cell: a whole number as int, otherwise float (None stays None)."""
    if value is None:
        return None
    return int(value) if getattr(value, "denominator", 1) == 1 else float(value)
