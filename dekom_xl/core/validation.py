"""Validation: pure checks that return located problems, never stopping at the first.

Each ``check_*`` takes domain records and returns a list of :class:`~dekom_xl.core.model.Problem`.
:func:`dekom_xl.core.engine.evaluate` runs them all.
"""

from __future__ import annotations

from dekom_xl.core.allocation import Frame
from dekom_xl.core.model import (
    POOL_LINE,
    Location,
    Network,
    Problem,
    Recommendation,
    Submission,
)
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.names import name_key
from dekom_xl.core.problems import problem
from dekom_xl.core.summary import BudgetSummary


def check_budget(budget: BudgetSummary, grant_where: Location,
                 grant_known: bool = True) -> list[Problem]:
    """The budget against the grant: over (error), over with uncertain lines (warning),
    unallocated money (info), and a missing pool line. With ``grant_known`` False (the grant
    cell is empty or unreadable, already a problem of its own) the budget is not compared
    with it: "kr 11 900 000 more than kr 0" would only repeat that problem."""
    out: list[Problem] = []
    grant, certain, uncertain = budget.grant, budget.allocated, budget.uncertain
    if not any(b.line_id == POOL_LINE for b in budget.lines):
        out.append(problem("pool-missing", line=POOL_LINE, where=grant_where))
    if not grant_known:
        pass
    elif budget.unallocated < 0:
        out.append(problem("budget-over-grant", total=kr(certain), over=kr(-budget.unallocated),
                           grant=kr(grant), where=grant_where))
    elif budget.unallocated_if_uncertain < 0:
        out.append(problem("budget-over-grant-uncertain", uncertain=kr(uncertain),
                           over=kr(-budget.unallocated_if_uncertain), grant=kr(grant),
                           where=grant_where))
    for line in budget.lines:
        if line.amount < 0:
            out.append(problem("budget-line-negative", label=line.label, amount=kr(line.amount),
                               allocated=kr(certain), where=line.where))
    if budget.unallocated > 0:
        out.append(problem("unallocated", rest=kr(budget.unallocated),
                           uncertain=kr(uncertain) if uncertain else None,
                           left=kr(budget.unallocated_if_uncertain), where=grant_where))
    return out


def check_networks(networks: list[Network]) -> list[Problem]:
    """The same network twice (also when written differently)."""
    out: list[Problem] = []
    seen: dict[frozenset[str], Network] = {}
    for n in networks:
        key = name_key(n.name)
        if key in seen:
            first = seen[key]
            out.append(problem("duplicate-network", first=first.where.cell, network=n.name,
                               where=n.where))
        else:
            seen[key] = n
    return out


def check_frames(pool: int, frames: dict[str, Frame], where: Location) -> list[Problem]:
    """Decided frames (where all are entered) must sum to the pool exactly.

    The frames the key gives always do: largest remainder guarantees it (tested).
    """
    out: list[Problem] = []
    decided = [f.decided for f in frames.values()]
    if frames and all(d is not None for d in decided):
        total = sum(d for d in decided if d is not None)
        if total != pool:
            diff = total - pool
            direction = "mer" if diff > 0 else "mindre"
            out.append(problem("frames-not-pool", total=kr(total), diff=kr(abs(diff)),
                               direction=direction, pool=kr(pool), where=where))
    return out


def check_submission(sub: Submission, frame: Frame) -> list[Problem]:
    """A decision basis against its frame incl. coordination, and coordination against its max."""
    out: list[Problem] = []
    name = sub.network
    if sub.coordination is not None and sub.coordination > frame.coordination:
        out.append(problem("coordination-over-max", planned=kr(sub.coordination),
                           most=kr(frame.coordination), network=name,
                           where=sub.coordination_where if sub.coordination_where.cell
                           else sub.where))
    limit = frame.incl_coordination
    diff = sub.requested - limit
    if diff > 0:
        out.append(problem("over-frame", requested=kr(sub.requested), over=kr(diff),
                           limit=kr(limit), network=name, where=sub.where))
    elif diff < 0:
        out.append(problem("under-frame", requested=kr(sub.requested), under=kr(-diff),
                           limit=kr(limit), network=name, where=sub.where))
    if sub.unspent_network or sub.unspent_uh:
        out.append(problem("unspent-money", in_network=kr(sub.unspent_network or 0),
                           at_uh=kr(sub.unspent_uh or 0), network=name, where=sub.where))
    return out


def check_submissions(networks: list[Network], accepted: list[Submission],
                      frames: dict[str, Frame], any_read: bool) -> list[Problem]:
    """Every accepted decision basis against its frame; once any was read, a network
    without one is a warning."""
    out: list[Problem] = []
    for sub in accepted:
        out += check_submission(sub, frames[sub.network])
    if any_read or accepted:
        have = {s.network for s in accepted}
        out += [problem("no-submission", network=n.name, where=n.where)
                for n in networks if n.name not in have]
    return out


def check_recommendation(rec: Recommendation, frame: Frame) -> list[Problem]:
    """A recommendation above the frame incl. coordination needs a remark."""
    if rec.amount is not None and rec.amount > frame.incl_coordination and not rec.remark:
        over = rec.amount - frame.incl_coordination
        return [problem("recommendation-over-frame", amount=kr(rec.amount), over=kr(over),
                        limit=kr(frame.incl_coordination), network=rec.network,
                        where=rec.where)]
    return []
