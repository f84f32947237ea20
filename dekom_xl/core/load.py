"""Turn raw tables and named fields into domain records, collecting problems.

Pure: no Excel library. Every value that cannot be used becomes a located problem and
the record is still built where it can be, so validation sees everything at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

from dekom_xl.core import tables as T
from dekom_xl.core.allocation import as_fraction
from dekom_xl.core.model import (
    NOWHERE,
    POOL_LINE,
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
from dekom_xl.core.money import format_kr, parse_amount
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
    # invisible characters go (zero-width space, soft hyphen, BOM); NBSP is a space
    return " ".join(str(value).translate(_INVISIBLE).replace("\u00a0", " ").split())


_INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}
_TOTAL_TEXT = re.compile(r"(?i)^\s*(sum|summer|totalt?|i alt|sum totalt|totalsum)\b")
_TOTAL_FORMULA = re.compile(r"(?i)^=?\s*(SUM|SUBTOTAL|AGGREGATE|DELSUM|SUMMER)\s*\(")


def is_total_label(value: object) -> bool:
    """True for a label that names a total row (Sum, Totalt, I alt …)."""
    return bool(_TOTAL_TEXT.match(text(value)))


def _total_row(t: RawTable, i: int, labels: tuple[str, ...],
               amounts: tuple[str, ...]) -> str | None:
    """The cell that makes row ``i`` a total row (Sum/Totalt/I alt in a label column, or a
    SUM formula in an amount column)."""
    for header in labels:
        if is_total_label(t.value(i, header)):
            return t.cell(i, header)
    for header in amounts:
        cell = t.cell(i, header)
        if cell and _TOTAL_FORMULA.match(t.formulas.get(cell, "")):
            return cell
    return None


def _skip_total(t: RawTable, i: int, problems: list[Problem], what: str,
                labels: tuple[str, ...] = ("Tiltak",),
                amounts: tuple[str, ...] = ("Kostnad nettverk", "Kostnad UH"),
                network: str | None = None) -> bool:
    """True (and a ``total-row-in-table`` warning) when row ``i`` is a pasted total row."""
    total = _total_row(t, i, labels, amounts)
    if total:
        problems.append(problem("total-row-in-table", table=t.name, row=t.excel_row(i),
                                what=what, network=network, file=t.file, sheet=t.sheet,
                                cell=total))
    return total is not None


def _loc(t: RawTable, i: int, header: str) -> Location:
    return Location(t.file, t.sheet, t.cell(i, header))


def amount_at(t: RawTable, i: int, header: str, problems: list[Problem], *,
              network: str | None = None, required: bool = False, what: str = "Beløpet",
              signed: bool = False) -> int | None:
    """Parse the amount in row ``i``/column ``header``; a bad one becomes a problem."""
    where = _loc(t, i, header)
    if where.cell in t.formula_cells:
        problems.append(problem("amount-formula-no-value", what=what,
                                formula=t.formula_cells[where.cell], network=network,
                                where=where))
        return None
    parsed = parse_amount(t.value(i, header), signed=signed)
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
    formula_rows = {int(re.sub(r"[A-Z]", "", c)) for c in (*t.formula_cells, *t.formulas)}
    for i in range(len(t.rows)):
        if t.is_blank(i) and t.excel_row(i) not in formula_rows:
            continue
        if t.excel_row(i) in t.hidden_rows:
            problems.append(problem(
                "hidden-row", row=t.excel_row(i), table=t.name, network=network, file=t.file,
                sheet=t.sheet, cell=f"{t.excel_row(i)}:{t.excel_row(i)}"))
        yield i


def _rows(t: RawTable, expected: list[str], required: list[str], network: str | None = None
          ) -> tuple[list[int], list[Problem]]:
    """The data rows of ``t`` and the problems with its columns and hidden rows."""
    problems = check_columns(t, expected, required)
    return list(_data_rows(t, problems, network)), problems


def _aliases(t: RawTable, i: int) -> tuple[str, ...]:
    """The ``;``-separated aliases in row ``i``."""
    return tuple(a.strip() for a in text(t.value(i, "Alias")).split(";") if a.strip())


def _source(t: RawTable, i: int) -> Location:
    """Where a consolidated row came from: its Fil, Ark and Celle columns."""
    return Location(text(t.value(i, "Fil")) or None, text(t.value(i, "Ark")) or None,
                    text(t.value(i, "Celle")) or None)


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
    def txt(name: str) -> str:
        return text(fields.get(name, Field("")).value)

    rest = fields.get(T.N_REST)
    return Setup(year, scheme, grant, base, key_label, folder, txt(T.N_REST), txt(T.N_SENDER),
                 txt(T.N_REFERENCE), txt(T.N_LEGAL),
                 rest.where if rest is not None else Location()), problems


def budget_from_table(t: RawTable) -> tuple[list[BudgetLine], list[Problem]]:
    rows, problems = _rows(t, T.BUDGET_COLUMNS, ["Post", "Beløp"])
    out = []
    for i in rows:
        if _skip_total(t, i, problems, "budsjettpost", ("Post", "Kode"), ("Beløp",)):
            continue
        label = text(t.value(i, "Post"))
        line_id = text(t.value(i, "Kode")) or label
        what = f"Beløpet for «{label}»"
        amount = amount_at(t, i, "Beløp", problems, required=True, what=what, signed=True)
        status_text = text(t.value(i, "Status")).casefold() or "fast"
        try:
            status = Status(status_text)
        except ValueError:
            problems.append(problem("budget-status", found=t.value(i, "Status"), label=label,
                                    where=_loc(t, i, "Status")))
            status = Status.FIXED
        recipient = text(t.value(i, "Mottaker"))
        if amount is not None and amount < 0 and (
                line_id == POOL_LINE or recipient or status is not Status.FIXED):
            problems.append(problem("budget-negative-not-here", label=label,
                                    amount=format_kr(amount), where=_loc(t, i, "Beløp")))
            amount = None  # money back in: only on a fixed line without a recipient
        out.append(BudgetLine(line_id, label, amount or 0, status, text(t.value(i, "Merknad")),
                              _loc(t, i, "Beløp"), recipient))
    return out, problems


def networks_from_table(t: RawTable) -> tuple[list[Network], list[Problem]]:
    extra_keys = [str(c) for c in t.columns if T._norm(c).startswith("nokkeltall")]
    rows, problems = _rows(t, T.NETWORK_COLUMNS + extra_keys,
                           ["Nettverk", "Nøkkeltall", "Koordinering"])
    out = []
    for i in rows:
        name = text(t.value(i, "Nettverk"))
        if not name:
            problems.append(problem("network-missing-name", where=_loc(t, i, "Nettverk")))
            continue
        key = _key(t, i, problems, name)
        coord = amount_at(t, i, "Koordinering", problems, network=name,
                          what=f"Koordinering for {name}") or 0
        decided = amount_at(t, i, "Vedtatt ramme", problems, network=name,
                            what=f"Vedtatt ramme for {name}")
        org = org_number_at(t, i, name, problems)
        out.append(Network(name, text(t.value(i, "Kortnavn")), key, coord, decided,
                           _aliases(t, i), _loc(t, i, "Nettverk"), org, _loc(t, i, ORG)))
    return out, problems


def _key(t: RawTable, i: int, problems: list[Problem], name: str) -> Fraction:
    raw = t.value(i, "Nøkkeltall")
    where = _loc(t, i, "Nøkkeltall")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        value = as_fraction(raw)
    else:
        parsed = _fraction(text(raw))
        if parsed is None:
            problems.append(problem("key-missing", found=text(raw), network=name, where=where))
            return Fraction(0)
        value = parsed
    if value < 0:
        problems.append(problem("key-negative", found=text(raw), network=name, where=where))
        return Fraction(0)
    return value


ORG = "Organisasjonsnummer"
OWN = "Til nettverket"
_ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number_valid(number: str) -> bool:
    """A Norwegian organisation number: 9 digits, the last a modulus-11 check digit
    (weights 3, 2, 7, 6, 5, 4, 3, 2; remainder 0 gives 0, remainder 1 is never issued)."""
    if len(number) != 9 or not number.isdigit():
        return False
    rest = sum(int(d) * w for d, w in zip(number, _ORG_WEIGHTS, strict=False)) % 11
    check = 0 if rest == 0 else 11 - rest
    return check != 10 and check == int(number[8])


def org_number_at(t: RawTable, i: int, name: str, problems: list[Problem]) -> str:
    """The organisation number in row ``i`` (spaces removed); a bad one is a located error."""
    raw = text(t.value(i, ORG))
    number = raw.replace(" ", "").replace("\u00a0", "")
    if number and not org_number_valid(number):
        problems.append(problem("org-number-invalid", where=_loc(t, i, ORG), number=raw,
                                name=name))
    return number


def _fraction(txt: str) -> Fraction | None:
    """A key figure typed as text (``1 234``, ``12,5``), or None when it is not a number."""
    txt = txt.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Fraction(txt) if txt else None
    except ValueError:
        return None


def universities_from_table(t: RawTable) -> tuple[list[University], list[Problem]]:
    rows, problems = _rows(t, T.UNIVERSITY_COLUMNS, ["UH-institusjon"])
    out = []
    for i in rows:
        name = text(t.value(i, "UH-institusjon"))
        if name:
            org = org_number_at(t, i, name, problems)
            out.append(University(name, _aliases(t, i), org, _loc(t, i, ORG)))
    return out, problems


def recommendations_from_table(t: RawTable) -> tuple[list[Recommendation], list[Problem]]:
    rows, problems = _rows(t, T.RECOMMENDATION_COLUMNS, ["Nettverk", "Vedtak", "Beløp"])
    out = []
    for i in rows:
        if _skip_total(t, i, problems, "innstilling", ("Nettverk",), ("Beløp", OWN)):
            continue
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
        own = amount_at(t, i, OWN, problems, network=name, what=f"«{OWN}» for {name}")
        if not raw_decision and name and (amount is not None or own is not None):
            problems.append(problem("recommendation-decision-missing", network=name,
                                    amount=format_kr(amount if amount is not None else own),
                                    where=_loc(t, i, "Vedtak")))
        out.append(Recommendation(name, decision, amount, text(t.value(i, "Merknad")),
                                  text(t.value(i, "Vilkår")), _loc(t, i, "Nettverk"), own,
                                  _loc(t, i, "Beløp"), _loc(t, i, OWN)))
    return out, problems


def cost_lines_from_table(t: RawTable, network: str | None = None
                          ) -> tuple[list[CostLine], list[Problem]]:
    """Cost lines from a template's ``Tiltak`` table (``network`` given) or from the
    consolidated ``Tiltakslinjer`` (network, file, sheet and cell per row)."""
    consolidated = network is None
    expected = T.LINE_COLUMNS if consolidated else T.MEASURE_COLUMNS
    required = ["Tiltak", "Kostnad nettverk", "Kostnad UH"] + (["Nettverk"] if consolidated else [])
    if any(t.column_index(col) is None for col in required):
        return [], check_columns(t, expected, required)
    rows, problems = _rows(t, expected, required, network)
    out = []
    seen: dict[tuple, str] = {}
    for i in rows:
        net = text(t.value(i, "Nettverk")) if consolidated else network or ""
        measure = text(t.value(i, "Tiltak"))
        if not consolidated and _skip_total(t, i, problems, "tiltak", network=net):
            continue
        where = _loc(t, i, "Tiltak")
        if consolidated and text(t.value(i, "Fil")):
            where = _source(t, i)
        label = f"«{measure}»" if measure else f"tiltaket i rad {t.excel_row(i)}"
        nc = amount_at(t, i, "Kostnad nettverk", problems, network=net,
                       what=f"Kostnad nettverk for {label}")
        uc = amount_at(t, i, "Kostnad UH", problems, network=net, what=f"Kostnad UH for {label}")
        if not measure:
            problems.append(problem("measure-missing-name", row=t.excel_row(i), network=net,
                                    where=_loc(t, i, "Tiltak")))
        line = CostLine(net, measure, nc or 0, uc or 0, text(t.value(i, "UH-institusjon")),
                        text(t.value(i, "Merknad")), where)
        key = (net, measure.casefold(), line.network_cost, line.uh_cost, line.uh.casefold(),
               line.remark.casefold())
        if not consolidated and key in seen and (line.network_cost or line.uh_cost):
            problems.append(problem("duplicate-line", measure=measure or "(uten navn)",
                                    first=seen[key], network=net, where=where))
        seen.setdefault(key, where.cell or "")
        out.append(line)
    return out, problems


def submissions_from_table(t: RawTable) -> tuple[list[dict], list[Problem]]:
    """Rows of the consolidated ``Innmeldinger`` table as plain dicts."""
    rows, problems = _rows(t, T.SUBMISSION_COLUMNS, ["Nettverk", "Koordinering"])
    out = []
    for i in rows:
        net = text(t.value(i, "Nettverk"))
        out.append({
            "network": net,
            "coordination": amount_at(t, i, "Koordinering", problems, network=net),
            "unspent_network": amount_at(t, i, "Ubrukt nettverk", problems, network=net),
            "unspent_uh": amount_at(t, i, "Ubrukt UH", problems, network=net),
            "frame_sent": amount_at(t, i, "Ramme i malen", problems, network=net),
            "coordination_sent": amount_at(t, i, "Koordinering i malen", problems, network=net),
            "where": _source(t, i),
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
    year_field = fields.get(T.N_YEAR)
    if year_field is not None and year is None and not any(
            p.cell == year_field.where.cell for p in problems):
        problems.append(problem("year-missing", network=network, where=year_field.where))
    if not lines and not any(p.code.startswith("column-") for p in problems):
        first = measures.cell(0, "Tiltak") if measures.rows else measures.header_cell
        problems.append(problem("decision-base-empty", table=measures.name, network=network,
                                file=measures.file, sheet=measures.sheet, cell=first))
    answers = tuple((c, text(fields[T.N_ANSWER.format(c)].value)) for c in T.CRITERIA
                    if T.N_ANSWER.format(c) in fields)
    sub = Submission(
        network=network, lines=tuple(lines), coordination=coordination,
        unspent_network=amount_field(T.N_UNSPENT_NETWORK, "Ubrukte midler i nettverket"),
        unspent_uh=amount_field(T.N_UNSPENT_UH, "Ubrukte midler hos UH"),
        answers=answers, year=year, where=net_field.where if net_field else where,
        frame_sent=amount_field(T.N_FRAME, "Ramme"),
        coordination_sent=amount_field(T.N_COORDINATION_SENT, "Koordinering (maksimum)"),
        scheme=text(fields[T.N_SCHEME].value) if T.N_SCHEME in fields else None,
        year_where=fields[T.N_YEAR].where if T.N_YEAR in fields else NOWHERE,
        coordination_where=(fields[T.N_COORDINATION].where if T.N_COORDINATION in fields
                            else NOWHERE),
        scheme_where=fields[T.N_SCHEME].where if T.N_SCHEME in fields else NOWHERE)
    return sub, problems
