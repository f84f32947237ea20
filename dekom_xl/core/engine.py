"""The engine: one pure function from a year's data to frames, problems and a summary.

Every door (command line, xlwings buttons, Python) calls :func:`evaluate` and renders its
:class:`Outcome`; none computes anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dekom_xl.core import validation as V
from dekom_xl.core.allocation import AllocationError, Frame, frames
from dekom_xl.core.balances import evaluate_reductions
from dekom_xl.core.model import (
    POOL_LINE,
    Location,
    Network,
    Problem,
    Recommendation,
    Severity,
    Submission,
    YearData,
)
from dekom_xl.core.names import NameIndex
from dekom_xl.core.problems import problem
from dekom_xl.core.resolve import Names, resolve_recommendations, resolve_submissions, unique_networks
from dekom_xl.core.restmidler import Rest, restmidler
from dekom_xl.core.scenarios import Scenarios, compare
from dekom_xl.core.settlement import Settlement, settle
from dekom_xl.core.summary import BudgetSummary, Summary, budget_summary, network_rows, recipients


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
    settlement: Settlement = field(default_factory=Settlement)
    rest: Rest | None = None
    reductions: list = field(default_factory=list)  # unspent money off the new allocation

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
        st = self.settlement
        rest = self.rest
        return {"problems": [p.as_dict() for p in self.problems],
                "summary": self.summary.as_dict(),
                "settlement": {
                    "recommended_total": st.recommended_total, "held_total": st.held_total,
                    "own_total": st.own_total, "direct_total": st.direct_total,
                    "total": st.total, "blocked": st.blocked,
                    "recipients": [{"recipient": r.recipient, "kind": r.kind,
                                    "amount": r.amount, "held": r.held}
                                   for r in st.recipients],
                    "rest_before": rest.before if rest else None,
                    "rest_after": rest.after if rest else None,
                    "rest_shares": rest.shares if rest else {}}}


def _sort_key(p: Problem) -> tuple:
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return (order[p.severity], p.file or "", p.sheet or "", _cell_order(p.cell), p.code)


def _cell_order(cell: str | None) -> tuple:
    if not cell:
        return (0, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, letters)


_GRANT_UNREADABLE = {"setup-missing", "setup-name-missing"}


def evaluate(data: YearData) -> Outcome:
    """Compute frames, validate everything and summarise one year.

    Never raises for bad data: everything wrong becomes a located problem.
    """
    setup = data.setup
    grant_where = data.grant_where if data.grant_where.cell else Location(None, "Oppsett", None)
    pool_line = next((b for b in data.budget if b.line_id == POOL_LINE), None)
    pool_where = pool_line.where if pool_line else grant_where
    budget = budget_summary(setup.grant, data.budget)
    problems: list[Problem] = list(data.problems)
    grant_known = not any(p.code in _GRANT_UNREADABLE or p.code.startswith("amount-")
                          for p in data.problems
                          if (p.sheet, p.cell) == (grant_where.sheet, grant_where.cell))
    problems += V.check_budget(budget, grant_where, grant_known)
    problems += V.check_networks(data.networks)
    networks = unique_networks(data.networks)
    names = Names.of(networks)
    frame_map, found = _frames(data, networks, pool_where)
    problems += found
    by_network, found = resolve_submissions(data.submissions, names, setup, data.universities)
    problems += found
    ordered = [by_network[n.name] for n in networks if n.name in by_network]
    problems += V.check_submissions(networks, ordered, frame_map, bool(data.submissions))
    recs, found = resolve_recommendations(data.recommendations, names)
    problems += found
    for name, rec in recs.items():
        problems += V.check_recommendation(rec, frame_map[name])
    scenarios = None
    if data.scenario_models is not None:
        scenarios, found = compare(data.pool, networks, {k: f.used for k, f in frame_map.items()},
                                   data.scenario_models, data.key_columns)
        problems += found
    settlement, rest, reduced, found = _decide(data, frame_map, ordered, recs, networks)
    problems += found
    summary = _summarise(data, budget, networks, frame_map, by_network, recs, rest.shares)
    outcome = Outcome(data, frame_map, ordered,
                      [recs[n.name] for n in networks if n.name in recs], summary, [], scenarios,
                      settlement=settlement, rest=rest, reductions=reduced)
    problems = _dedupe(problems)
    problems.sort(key=_sort_key)
    outcome.problems = problems
    return outcome


def _frames(data: YearData, networks: list[Network], where: Location
            ) -> tuple[dict[str, Frame], list[Problem]]:
    """Every network's frame; when the pool cannot be split, zero frames and the problem."""
    try:
        frame_map = frames(
            data.pool, data.setup.base_grant, {n.name: n.key for n in networks},
            {n.name: n.coordination_max for n in networks},
            {n.name: n.frame_decided for n in networks})
    except AllocationError as err:
        zero = {n.name: Frame(n.name, 0, 0, n.coordination_max, n.frame_decided)
                for n in networks}
        return zero, [problem(err.code, network=err.network, where=where, **err.fields)]
    return frame_map, V.check_frames(data.pool, frame_map, where)


def _summarise(data: YearData, budget: BudgetSummary, networks: list[Network],
               frame_map: dict[str, Frame], by_network: dict[str, Submission],
               recs: dict[str, Recommendation], shares: dict[str, int]) -> Summary:
    """The summary: per network (with its share of the restmidler), per recipient."""
    setup = data.setup
    return Summary(
        year=setup.year, scheme=setup.scheme, pool=data.pool, base_grant=setup.base_grant,
        budget=budget,
        networks=network_rows(frame_map, {n.name: n.short_name for n in networks},
                              by_network, recs, shares),
        recipients=recipients([by_network[n.name] for n in networks if n.name in by_network]))


def _decide(data: YearData, frame_map: dict[str, Frame], ordered: list[Submission],
            recs: dict[str, Recommendation], networks: list
            ) -> tuple[Settlement, Rest, list, list]:
    """Settlement per recipient (reduced for unspent money, core/balances.py), restmidler,
    the reductions and the decision checks (see core/settlement.py)."""
    from dekom_xl.core.decision_checks import (
        check_coordination_budget,
        check_decision,
        check_frame_sent,
    )

    subs = {s.network: s for s in ordered}
    found: list[Problem] = []
    for rec in recs.values():
        found += check_decision(rec, subs.get(rec.network))
    found += check_coordination_budget(data.budget, frame_map)
    by_name = {n.name: n for n in networks}
    for sub in ordered:
        found += check_frame_sent(sub, frame_map[sub.network], by_name[sub.network].where)
    unis = [u.name for u in data.universities]
    aliases = {u.name: u.aliases for u in data.universities}
    settlement = settle(frame_map, ordered, [recs[n] for n in frame_map if n in recs],
                        data.budget, unis, [n.name for n in networks], aliases)
    found += settlement.problems
    index = NameIndex([(u, aliases.get(u, ())) for u in unis]
                      + [(n.name, n.aliases) for n in networks])
    reduced, more = evaluate_reductions(data, settlement, index.resolve)
    found += more
    net_aliases = {n.name: n.aliases + ((n.short_name,) if n.short_name else ())
                   for n in networks}
    rest, more = restmidler(data.setup.grant, data.budget, settlement, list(frame_map),
                            data.setup.rest_networks, data.setup.rest_where, net_aliases)
    return settlement, rest, reduced, found + more


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """The problems without repeats (the same problem found twice is shown once)."""
    seen = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
