"""Operations on the allocation workbook that every door shares, over :class:`WorkbookIO`.

``read_allocation`` reads the year from the workbook's tables and names (and from
decision-base sheets pasted into it); ``regenerate`` evaluates and rewrites the tool
sheets. The CLI, the xlwings buttons and the tests all call these two.
"""

from __future__ import annotations

from dekom_xl.app.ports import WorkbookIO
from dekom_xl.core import cells, load, scenarios
from dekom_xl.core import tables as T
from dekom_xl.core.balances import BALANCES, N_RULE, balances_from_table
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.keys import MUNICIPALITIES
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
    fields = _fields(wb, [T.N_YEAR, T.N_SCHEME, T.N_GRANT, T.N_BASE, T.N_KEY, T.N_FOLDER,
                          T.N_REST, T.N_SENDER, T.N_REFERENCE, T.N_LEGAL])
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
    problems += typed_under_tables(wb, [T.BUDGET, T.NETWORKS, T.UNIVERSITIES,
                                        T.RECOMMENDATIONS, BALANCES, T.MODELS, MUNICIPALITIES])
    pasted = pasted_submissions(wb, problems)
    if include_collected:
        # A pasted sheet collected earlier is read fresh from the sheet, not twice.
        fresh = {s.where.sheet for s in pasted}
        data.submissions += [s for s in collected_submissions(wb, problems)
                             if not (s.where.file == wb.file_name and s.where.sheet in fresh)]
    data.submissions += pasted
    return data


def typed_under_tables(wb: WorkbookIO, names: list[str]) -> list:
    """``data-under-table`` for every cell typed in the rows right under one of the user
    tables ``names``, in its columns (a row LibreOffice or a paste did not add to the table),
    so nothing typed is silently left out. Not counted: cells of another table, a total row,
    formulas, a row with one text cell only (a note) and anything after two empty rows (kept
    there on purpose). Only a door that can see past a table's end (the files adapter's
    ``outside``) reports it; live Excel grows a table when a row is typed right under it."""
    outside = getattr(wb, "outside", None)
    if outside is None:
        return []
    sheets = wb.table_names()
    mine = {sheets[n] for n in names if n in sheets}
    spans: dict[str, tuple[int, int, int, int]] = {}
    for other in (o for o in sheets if sheets[o] in mine):
        t = wb.read_table(other)
        if t is not None:
            spans[other] = (t.first_row - 1, t.first_row + len(t.rows) - 1, t.first_col,
                            t.first_col + len(t.columns) - 1)
    out = []
    for name in (n for n in names if n in spans):
        typed = []
        for cell, value, place in outside(name):
            row, col = cells.parse_a1(cell)
            if place == "under" and not any(sheets[o] == sheets[name] and r1 <= row <= r2
                                            and c1 <= col <= c2
                                            for o, (r1, r2, c1, c2) in spans.items()):
                typed.append((row, cell, value))
        near, last = set(), spans[name][1]
        for row in sorted({r for r, _, _ in typed}):
            if row > last + 2:  # after two empty rows: kept there on purpose
                break
            near.add(row)
            last = row
        totals = {row for row, _, value in typed if load.is_total_label(value)}
        values = [(row, value) for row, _, value in typed if not str(value).startswith("=")]
        notes = {row for row, value in values if isinstance(value, str)
                 and sum(1 for r, _ in values if r == row) == 1}
        for row, cell, value in typed:
            if row in near and row not in totals | notes and not str(value).startswith("="):
                out.append(problem("data-under-table", table=name, at=cell,
                                   found=load.text(value)[:60], file=wb.file_name,
                                   sheet=sheets[name], cell=cell))
    return out


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
                              h["unspent_uh"], where=h["where"], frame_sent=h["frame_sent"],
                              coordination_sent=h["coordination_sent"]))
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
    blank = [None] * (len(T.RECOMMENDATION_COLUMNS) - 1)
    missing = [[row.network, *blank] for row in outcome.summary.networks
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
