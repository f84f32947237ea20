"""The engine: one pure function from a year's data to frames, problems and a summary.

Every door (command line, xlwings buttons, Python) calls :func:`evaluate` and renders its
:class:`Outcome`; none computes anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from dekom_xl.core import validation as V
from dekom_xl.core.allocation import AllocationError, Frame, equal_split, frames
from dekom_xl.core.model import (
    POOL_LINE,
    Location,
    Problem,
    Recommendation,
    Severity,
    Submission,
    YearData,
)
from dekom_xl.core.names import NameIndex, fold
from dekom_xl.core.problems import problem
from dekom_xl.core.scenarios import Scenarios, compare
from dekom_xl.core.summary import Summary, budget_summary, network_rows, recipients


@dataclass
class Outcome:
    """What the engine found for one year."""

    data: YearData
    frames: dict[str, Frame]
    submissions: list[Submission]  # accepted, names normalised, in network order
    recommendations: list[Recommendation]
    summary: Summary
    problems: list[Problem] = field(default_factory=list)
    scenarios: Scenarios | None = None  # frames per model (when the workbook has Modeller)

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity is Severity.WARNING for p in self.problems)

    @property
    def exit_status(self) -> int:
        """0 without errors (warnings allowed), 1 with errors in the data."""
        return 1 if self.errors else 0

    def as_dict(self) -> dict:
        """The ``--json`` object of the CLI contract."""
        return {"problems": [p.as_dict() for p in self.problems],
                "summary": self.summary.as_dict()}


def _sort_key(p: Problem) -> tuple:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return (order[p.severity], p.file or "", p.sheet or "", _cell_order(p.cell), p.code)


def _cell_order(cell: str | None) -> tuple:
    if not cell:
        return (0, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, letters)


def evaluate(data: YearData) -> Outcome:
    """Compute frames, validate everything and summarise one year.

    Never raises for bad data: everything wrong becomes a located problem.
    """
    problems: list[Problem] = list(data.problems)
    setup = data.setup
    grant_where = data.grant_where if data.grant_where.cell else Location(None, "Oppsett", None)
    pool_line = next((b for b in data.budget if b.line_id == POOL_LINE), None)
    pool_where = pool_line.where if pool_line else grant_where
    problems += V.check_budget(setup, data.budget, grant_where)
    problems += V.check_networks(data.networks)

    networks = []
    seen = set()
    for n in data.networks:  # the first of a duplicate wins; the second is reported above
        if n.name not in seen:
            seen.add(n.name)
            networks.append(n)
    index = NameIndex((n.name, n.aliases + ((n.short_name,) if n.short_name else ()))
                      for n in networks)
    known = ", ".join(n.short_name or n.name for n in networks)

    try:
        frame_map = frames(
            data.pool, setup.base_grant, {n.name: n.key for n in networks},
            {n.name: n.coordination_max for n in networks},
            {n.name: n.frame_decided for n in networks})
    except AllocationError as err:
        problems.append(problem(err.code, network=err.network, where=pool_where, **err.fields))
        frame_map = {n.name: Frame(n.name, 0, 0, n.coordination_max, n.frame_decided)
                     for n in networks}
    else:
        problems += V.check_frames(data.pool, frame_map, pool_where)

    # Decision bases: resolve names, years, duplicates, UH names.
    uh_index = NameIndex((u.name, u.aliases) for u in data.universities)
    by_network: dict[str, Submission] = {}
    for sub in sorted(data.submissions, key=lambda s: (s.where.file or "", s.where.sheet or "")):
        name, found = V.resolve(index, sub.network, "Beslutningsgrunnlaget", sub.where, known)
        problems += found
        if name is None:
            continue
        if sub.year is not None and setup.year and sub.year != setup.year:
            problems.append(problem("wrong-year", found=sub.year, year=setup.year, network=name,
                                    where=sub.year_where if sub.year_where.cell else sub.where))
            continue
        if sub.scheme and setup.scheme and fold(sub.scheme).strip() != fold(setup.scheme).strip():
            problems.append(problem(
                "wrong-scheme", network=name,
                where=sub.scheme_where if sub.scheme_where.cell else sub.where,
                found=sub.scheme, expected=setup.scheme, year=setup.year))
            continue
        if name in by_network:
            first = by_network[name].where
            problems.append(problem("duplicate-submission", first=_place(first),
                                    second=_place(sub.where), network=name, where=sub.where))
            continue
        lines = []
        for line in sub.lines:
            line = replace(line, network=name)
            if line.uh:
                uh = uh_index.resolve(line.uh)
                if uh is None:
                    problems.append(problem("unknown-uh", uh=line.uh,
                                            known=", ".join(uh_index.canonical), network=name,
                                            where=line.where))
                else:
                    line = replace(line, uh=uh)
            elif line.uh_cost:
                problems.append(problem("uh-missing", measure=line.measure, network=name,
                                        where=line.where))
            lines.append(line)
        by_network[name] = replace(sub, network=name, lines=tuple(lines))

    ordered = [by_network[n.name] for n in networks if n.name in by_network]
    for sub in ordered:
        problems += V.check_submission(sub, frame_map[sub.network])
    if data.submissions or ordered:
        for n in networks:
            if n.name not in by_network:
                problems.append(problem("no-submission", network=n.name, where=n.where))

    recs: dict[str, Recommendation] = {}
    for rec in data.recommendations:
        name, found = V.resolve(index, rec.network, "Innstillingen", rec.where, known)
        problems += found
        if name is None:
            continue
        if name in recs:
            problems.append(problem("duplicate-recommendation", first=recs[name].where.cell,
                                    network=name, where=rec.where))
            continue
        rec = replace(rec, network=name)
        recs[name] = rec
        problems += V.check_recommendation(rec, frame_map[name])

    scenarios = None
    if data.scenario_models is not None:
        scenarios, found = compare(data.pool, networks, {k: f.used for k, f in frame_map.items()},
                                   data.scenario_models, data.key_columns)
        problems += found

    budget = budget_summary(setup.grant, data.budget)
    rest = max(budget.unallocated, 0)
    shares = equal_split(rest, [n.name for n in networks]) if networks else {}
    summary = Summary(
        year=setup.year, scheme=setup.scheme, pool=data.pool, base_grant=setup.base_grant,
        budget=budget,
        networks=network_rows(frame_map, {n.name: n.short_name for n in networks},
                              by_network, recs, shares),
        recipients=recipients(ordered))
    problems = _dedupe(problems)
    problems.sort(key=_sort_key)
    return Outcome(data, frame_map, ordered, [recs[n.name] for n in networks if n.name in recs],
                   summary, problems, scenarios)


def _place(where: Location) -> str:
    from dekom_xl.core.cells import where as fmt

    return fmt(where.file, where.sheet, None) or "arbeidsboken"


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
