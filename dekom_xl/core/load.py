"""Turn raw tables and named fields into domain records, collecting problems.

Pure: no Excel library. Every value that cannot be used becomes a located problem and
the record is still built where it can be, so validation sees everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from dekom_xl.core import tables as T
from dekom_xl.core.allocation import as_fraction
from dekom_xl.core.model import (
    NOWHERE,
    BudgetLine,
    CostLine,
    Decision,
    Location,
    Network,
    Problem,
    Recommendation,
    Setup,
    Status,
    Submission,
    University,
)
from dekom_xl.core.money import parse_amount
from dekom_xl.core.problems import problem
from dekom_xl.core.tables import RawTable


@dataclass
class Field:
    """A single named value (a defined name) with where it is."""

    value: object
    where: Location = field(default_factory=Location)


def text(value: object) -> str:
    """A cell value as clean text (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _loc(t: RawTable, i: int, header: str) -> Location:
    return Location(t.file, t.sheet, t.cell(i, header))


def amount_at(t: RawTable, i: int, header: str, problems: list[Problem], *,
              network: str | None = None, required: bool = False, what: str = "Beløpet"
              ) -> int | None:
    """Parse the amount in row ``i``/column ``header``; a bad one becomes a problem."""
    where = _loc(t, i, header)
    if where.cell in t.formula_cells:
        problems.append(problem("amount-formula-no-value", what=what,
                                formula=t.formula_cells[where.cell], network=network,
                                where=where))
        return None
    parsed = parse_amount(t.value(i, header))
    if parsed.code:
        problems.append(problem(parsed.code, what=what, found=parsed.found, network=network,
                                where=where))
        return None
    if parsed.value is None and required:
        problems.append(problem("amount-missing", what=what, network=network, where=where))
    return parsed.value


def check_columns(t: RawTable, expected: list[str], required: list[str]) -> list[Problem]:
    """Problems for missing required columns and (info) extra ones."""
    out = []
    for col in required:
        if t.column_index(col) is None:
            out.append(problem("column-missing", table=t.name, column=col, file=t.file,
                               sheet=t.sheet, cell=t.header_cell))
    known = {T._norm(c) for c in expected}
    for col in t.columns:
        if col not in (None, "") and T._norm(col) not in known:
            out.append(problem("column-extra", table=t.name, column=col, file=t.file,
                               sheet=t.sheet, cell=t.header_cell))
    return out


def _data_rows(t: RawTable, problems: list[Problem], network: str | None = None):
    """Indices of non-blank rows; hidden rows are read but reported."""
    for i in range(len(t.rows)):
        if t.is_blank(i):
            continue
        if t.excel_row(i) in t.hidden_rows:
            problems.append(problem(
                "hidden-row", row=t.excel_row(i), table=t.name, network=network, file=t.file,
                sheet=t.sheet, cell=f"{t.excel_row(i)}:{t.excel_row(i)}"))
        yield i


def setup_from_fields(fields: dict[str, Field], file: str | None = None) -> tuple[Setup, list[Problem]]:
    """The year's settings from the Oppsett names; missing or bad values are problems."""
    problems: list[Problem] = []

    def num(name: str, label: str, default: int = 0) -> int:
        f = fields.get(name)
        if f is None:
            problems.append(problem("setup-name-missing", label=label, name=name, file=file,
                                    sheet=T.S_SETUP))
            return default
        parsed = parse_amount(f.value)
        if parsed.code:
            problems.append(problem(parsed.code, what=label, found=parsed.found, where=f.where))
            return default
        if parsed.value is None:
            problems.append(problem("setup-missing", label=label, where=f.where))
            return default
        return parsed.value

    year = num(T.N_YEAR, "År")
    grant = num(T.N_GRANT, "Tildelt beløp")
    base = num(T.N_BASE, "Grunntilskudd")
    scheme = text(fields.get(T.N_SCHEME, Field("")).value)
    key_label = text(fields.get(T.N_KEY, Field("")).value) or "nøkkeltall"
    folder = text(fields.get(T.N_FOLDER, Field("")).value) or "maler"
    return Setup(year, scheme, grant, base, key_label, folder), problems


def budget_from_table(t: RawTable) -> tuple[list[BudgetLine], list[Problem]]:
    problems = check_columns(t, T.BUDGET_COLUMNS, ["Post", "Beløp"])
    out = []
    for i in _data_rows(t, problems):
        label = text(t.value(i, "Post"))
        line_id = text(t.value(i, "Kode")) or label
        amount = amount_at(t, i, "Beløp", problems, required=True, what=f"Beløpet for «{label}»")
        status_text = text(t.value(i, "Status")).casefold() or "fast"
        try:
            status = Status(status_text)
        except ValueError:
            problems.append(problem("budget-status", found=t.value(i, "Status"), label=label,
                                    where=_loc(t, i, "Status")))
            status = Status.FIXED
        out.append(BudgetLine(line_id, label, amount or 0, status, text(t.value(i, "Merknad")),
                              _loc(t, i, "Beløp")))
    return out, problems


def networks_from_table(t: RawTable) -> tuple[list[Network], list[Problem]]:
    extra_keys = [str(c) for c in t.columns if T._norm(c).startswith("nokkeltall")]
    problems = check_columns(t, T.NETWORK_COLUMNS + extra_keys,
                             ["Nettverk", "Nøkkeltall", "Koordinering"])
    out = []
    for i in _data_rows(t, problems):
        name = text(t.value(i, "Nettverk"))
        if not name:
            problems.append(problem("network-missing-name", where=_loc(t, i, "Nettverk")))
            continue
        key = _key(t, i, problems, name)
        coord = amount_at(t, i, "Koordinering", problems, network=name,
                          what=f"Koordinering for {name}") or 0
        decided = amount_at(t, i, "Vedtatt ramme", problems, network=name,
                            what=f"Vedtatt ramme for {name}")
        aliases = tuple(a.strip() for a in text(t.value(i, "Alias")).split(";") if a.strip())
        out.append(Network(name, text(t.value(i, "Kortnavn")), key, coord, decided, aliases,
                           _loc(t, i, "Nettverk")))
    return out, problems


def _key(t: RawTable, i: int, problems: list[Problem], name: str) -> Fraction:
    raw = t.value(i, "Nøkkeltall")
    where = _loc(t, i, "Nøkkeltall")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = as_fraction(raw)
    else:
        txt = text(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            value = Fraction(txt) if txt else None
        except ValueError:
            value = None
        if value is None:
            problems.append(problem("key-missing", found=text(raw), network=name, where=where))
            return Fraction(0)
    if value < 0:
        problems.append(problem("key-negative", found=text(raw), network=name, where=where))
        return Fraction(0)
    return value


def universities_from_table(t: RawTable) -> tuple[list[University], list[Problem]]:
    problems = check_columns(t, T.UNIVERSITY_COLUMNS, ["UH-institusjon"])
    out = []
    for i in _data_rows(t, problems):
        name = text(t.value(i, "UH-institusjon"))
        if name:
            aliases = tuple(a.strip() for a in text(t.value(i, "Alias")).split(";") if a.strip())
            out.append(University(name, aliases))
    return out, problems


def recommendations_from_table(t: RawTable) -> tuple[list[Recommendation], list[Problem]]:
    problems = check_columns(t, T.RECOMMENDATION_COLUMNS, ["Nettverk", "Vedtak", "Beløp"])
    out = []
    for i in _data_rows(t, problems):
        name = text(t.value(i, "Nettverk"))
        raw_decision = text(t.value(i, "Vedtak")).casefold()
        decision = None
        if raw_decision:
            decision = next((d for d in Decision if d.value == raw_decision
                             or d.value.replace("å", "a") == raw_decision), None)
            if decision is None:
                problems.append(problem("recommendation-unknown-decision",
                                        found=t.value(i, "Vedtak"), network=name,
                                        where=_loc(t, i, "Vedtak")))
        amount = amount_at(t, i, "Beløp", problems, network=name,
                           what=f"Innstilt beløp for {name}")
        out.append(Recommendation(name, decision, amount, text(t.value(i, "Merknad")),
                                  text(t.value(i, "Vilkår")), _loc(t, i, "Nettverk")))
    return out, problems


def cost_lines_from_table(t: RawTable, network: str | None = None
                          ) -> tuple[list[CostLine], list[Problem]]:
    """Cost lines from a template's ``Tiltak`` table (``network`` given) or from the
    consolidated ``Tiltakslinjer`` (network, file, sheet and cell per row)."""
    consolidated = network is None
    expected = T.LINE_COLUMNS if consolidated else T.MEASURE_COLUMNS
    required = ["Tiltak", "Kostnad nettverk", "Kostnad UH"] + (["Nettverk"] if consolidated else [])
    problems = check_columns(t, expected, required)
    if any(p.code == "column-missing" for p in problems):
        return [], problems
    out = []
    for i in _data_rows(t, problems, network):
        net = text(t.value(i, "Nettverk")) if consolidated else network or ""
        measure = text(t.value(i, "Tiltak"))
        where = _loc(t, i, "Tiltak")
        if consolidated and text(t.value(i, "Fil")):
            where = Location(text(t.value(i, "Fil")) or None, text(t.value(i, "Ark")) or None,
                             text(t.value(i, "Celle")) or None)
        label = f"«{measure}»" if measure else f"tiltaket i rad {t.excel_row(i)}"
        nc = amount_at(t, i, "Kostnad nettverk", problems, network=net,
                       what=f"Kostnad nettverk for {label}")
        uc = amount_at(t, i, "Kostnad UH", problems, network=net, what=f"Kostnad UH for {label}")
        if not measure:
            problems.append(problem("measure-missing-name", row=t.excel_row(i), network=net,
                                    where=_loc(t, i, "Tiltak")))
        out.append(CostLine(net, measure, nc or 0, uc or 0, text(t.value(i, "UH-institusjon")),
                            text(t.value(i, "Merknad")), where))
    return out, problems


def submissions_from_table(t: RawTable) -> tuple[list[dict], list[Problem]]:
    """Rows of the consolidated ``Innmeldinger`` table as plain dicts."""
    problems = check_columns(t, T.SUBMISSION_COLUMNS, ["Nettverk", "Koordinering"])
    out = []
    for i in _data_rows(t, problems):
        net = text(t.value(i, "Nettverk"))
        out.append({
            "network": net,
            "coordination": amount_at(t, i, "Koordinering", problems, network=net),
            "unspent_network": amount_at(t, i, "Ubrukt nettverk", problems, network=net),
            "unspent_uh": amount_at(t, i, "Ubrukt UH", problems, network=net),
            "where": Location(text(t.value(i, "Fil")) or None, text(t.value(i, "Ark")) or None,
                              text(t.value(i, "Celle")) or None),
        })
    return out, problems


def submission_from_template(fields: dict[str, Field], measures: RawTable | None,
                             where: Location) -> tuple[Submission | None, list[Problem]]:
    """A network's decision basis from its named fields and its ``Tiltak`` table."""
    problems: list[Problem] = []
    net_field = fields.get(T.N_NETWORK)
    network = text(net_field.value) if net_field else ""
    if not network:
        problems.append(problem("network-not-named", name=T.N_NETWORK,
                                where=net_field.where if net_field else where))
        return None, problems
    if measures is None:
        problems.append(problem("table-missing", table=T.MEASURES, network=network, where=where))
        return None, problems
    lines, line_problems = cost_lines_from_table(measures, network)
    problems += line_problems

    def amount_field(name: str, what: str) -> int | None:
        f = fields.get(name)
        if f is None:
            return None
        if f.where.cell and f.where.cell in measures.formula_cells:
            return None
        parsed = parse_amount(f.value)
        if parsed.code:
            problems.append(problem(parsed.code, what=what, found=parsed.found, network=network,
                                    where=f.where))
        return parsed.value

    coordination = amount_field(T.N_COORDINATION, "Planlagt koordinering")
    year = amount_field(T.N_YEAR, "År")
    answers = tuple((c, text(fields[T.N_ANSWER.format(c)].value)) for c in T.CRITERIA
                    if T.N_ANSWER.format(c) in fields)
    sub = Submission(
        network=network, lines=tuple(lines), coordination=coordination,
        unspent_network=amount_field(T.N_UNSPENT_NETWORK, "Ubrukte midler i nettverket"),
        unspent_uh=amount_field(T.N_UNSPENT_UH, "Ubrukte midler hos UH"),
        answers=answers, year=year, where=net_field.where if net_field else where,
        scheme=text(fields[T.N_SCHEME].value) if T.N_SCHEME in fields else None,
        year_where=fields[T.N_YEAR].where if T.N_YEAR in fields else NOWHERE,
        scheme_where=fields[T.N_SCHEME].where if T.N_SCHEME in fields else NOWHERE)
    return sub, problems
