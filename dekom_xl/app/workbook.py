"""Operations on the allocation workbook that every door shares, over :class:`WorkbookIO`.

``read_allocation`` reads the year from the workbook's tables and names (and from
decision-base sheets pasted into it); ``regenerate`` evaluates and rewrites the tool
sheets. The CLI, the xlwings buttons and the tests all call these two.
"""

from __future__ import annotations

from dekom_xl.app.ports import WorkbookIO
from dekom_xl.core import load, scenarios
from dekom_xl.core import tables as T
from dekom_xl.core.balances import BALANCES, N_RULE, balances_from_table
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import Location, Submission, YearData
from dekom_xl.core.problems import problem
from dekom_xl.core.render import tool_sheets


def _fields(wb: WorkbookIO, names: list[str]) -> dict[str, load.Field]:
    out = {}
    for n in names:
        f = wb.read_field(n)
        if f is not None:
            out[n] = f
    return out


def read_allocation(wb: WorkbookIO, *, include_collected: bool = True) -> YearData:
    """The year as the allocation workbook holds it.

    Reads ``Oppsett`` names, the user tables, the consolidated ``Tiltakslinjer`` and
    ``Innmeldinger`` (when ``include_collected``), and decision-base sheets pasted in.
    """
    problems = []
    fields = _fields(wb, [T.N_YEAR, T.N_SCHEME, T.N_GRANT, T.N_BASE, T.N_KEY, T.N_FOLDER])
    setup, found = load.setup_from_fields(fields, wb.file_name)
    problems += found

    def table(name: str, reader):
        t = wb.read_table(name)
        if t is None:
            problems.append(problem("table-missing", table=name, file=wb.file_name))
            return []
        t.file = t.file or wb.file_name
        records, found = reader(t)
        problems.extend(found)
        return records

    budget = table(T.BUDGET, load.budget_from_table)
    key_columns: dict = {}

    def networks_and_keys(t):
        networks, found = load.networks_from_table(t)
        cols, more = scenarios.key_columns(t)
        key_columns.update(cols)
        return networks, found + more

    networks = table(T.NETWORKS, networks_and_keys)
    universities = table(T.UNIVERSITIES, load.universities_from_table)
    recs = table(T.RECOMMENDATIONS, load.recommendations_from_table)
    data = YearData(setup, budget, networks, universities, recs, [], problems,
                    key_columns=key_columns)
    balances_t = wb.read_table(BALANCES)  # optional, like Modeller
    if balances_t is not None:
        balances_t.file = balances_t.file or wb.file_name
        data.balances, found = balances_from_table(balances_t)
        problems += found
    rule = wb.read_field(N_RULE)
    if rule is not None:
        data.reduction_rule, data.reduction_where = load.text(rule.value), rule.where
    models_t = wb.read_table(T.MODELS)  # optional: workbooks made before it existed lack it
    if models_t is not None:
        models_t.file = models_t.file or wb.file_name
        data.scenario_models, found = scenarios.models_from_table(models_t)
        problems += found
    if T.N_GRANT in fields:
        data.grant_where = fields[T.N_GRANT].where
    pasted = pasted_submissions(wb, problems)
    if include_collected:
        # A pasted sheet collected earlier is read fresh from the sheet, not twice.
        fresh = {s.where.sheet for s in pasted}
        data.submissions += [s for s in collected_submissions(wb, problems)
                             if not (s.where.file == wb.file_name and s.where.sheet in fresh)]
    data.submissions += pasted
    return data


def collected_submissions(wb: WorkbookIO, problems: list) -> list[Submission]:
    """Submissions consolidated earlier on ``Beslutningsgrunnlag`` (Tiltakslinjer + Innmeldinger)."""
    lines_t = wb.read_table(T.LINES)
    subs_t = wb.read_table(T.SUBMISSIONS)
    if lines_t is None or subs_t is None:
        return []
    lines_t.file = lines_t.file or wb.file_name
    subs_t.file = subs_t.file or wb.file_name
    lines, found = load.cost_lines_from_table(lines_t, None)
    problems += [p for p in found if p.code != "column-extra"]
    heads, found = load.submissions_from_table(subs_t)
    problems += found
    out = []
    for h in heads:
        mine = tuple(c for c in lines if c.network == h["network"])
        out.append(Submission(h["network"], mine, h["coordination"], h["unspent_network"],
                              h["unspent_uh"], where=h["where"]))
    return out


def is_measure_table(name: str) -> bool:
    """A decision-base ``Tiltak`` table (also ``Tiltak2``… after pasting), not ``Tiltakslinjer``."""
    rest = name[len(T.MEASURES):]
    return name.startswith(T.MEASURES) and (rest == "" or rest.lstrip("_").isdigit())


def pasted_submissions(wb: WorkbookIO, problems: list) -> list[Submission]:
    """Decision-base sheets a user pasted into the allocation workbook."""
    out = []
    for tname, sheet in sorted(wb.table_names().items()):
        if not is_measure_table(tname):
            continue
        t = wb.read_table(tname)
        if t is None:
            continue
        t.file = t.file or wb.file_name
        problems += table_shape_problems(t)
        fields = wb.fields_on(sheet)
        sub, found = load.submission_from_template(fields, t,
                                                   Location(wb.file_name, sheet, None))
        problems += found
        if sub is not None:
            out.append(sub)
    return out


def table_shape_problems(t: T.RawTable) -> list:
    """Problems with a decision base's table shape that reading cannot fix (merged cells)."""
    if not t.merged:
        return []
    return [problem("merged-cells", file=t.file, sheet=t.sheet, cell=t.merged[0].split(":")[0],
                    table=t.name, ranges=", ".join(t.merged))]


def regenerate(wb: WorkbookIO, data: YearData | None = None) -> Outcome:
    """Evaluate the year and rewrite every tool sheet; add missing ``Innstilling`` rows.

    Does not save; the caller decides (the CLI saves atomically, Excel keeps it open).
    """
    if data is None:
        data = read_allocation(wb)
    # Compute everything first, write only at the end: a failure before the writes leaves
    # the workbook as it was.
    outcome = evaluate(data)
    have = {r.network for r in outcome.recommendations}
    missing = [[row.network, None, None, None, None] for row in outcome.summary.networks
               if row.network not in have and not _has_row(data, row.network)]
    if missing:  # an adapter that cannot add them safely says so (a problem on Kontroll)
        outcome.problems.extend(wb.append_rows(T.RECOMMENDATIONS, missing) or [])
    contents = list(tool_sheets(outcome))
    for content in contents:
        wb.write_sheet(content)
    return outcome


def _has_row(data: YearData, network: str) -> bool:
    from dekom_xl.core.names import name_key

    key = name_key(network)
    return any(name_key(r.network) == key for r in data.recommendations)
