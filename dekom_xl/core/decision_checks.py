"""Checks the secretariat expects before a decision: the recommendation against the request
and the decision words, and the coordination budget line against the networks' maxima."""

from __future__ import annotations

from dekom_xl.core.allocation import Frame
from dekom_xl.core.model import (
    COORDINATION_LINE,
    BudgetLine,
    Decision,
    Location,
    Problem,
    Recommendation,
    Submission,
)
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.problems import problem


def check_decision(rec: Recommendation, sub: Submission | None) -> list[Problem]:
    """The decision words and the amount of one recommendation."""
    out = []
    name = rec.network
    where = rec.amount_where if rec.amount_where.cell else rec.where
    if rec.decision is Decision.REJECT and rec.amount:
        out.append(problem("recommendation-reject-amount", network=name, where=where,
                           amount=kr(rec.amount)))
    if rec.decision is Decision.PARTLY:
        if rec.amount is None:
            out.append(problem("recommendation-amount-missing", network=name, where=where))
        if not rec.remark:
            out.append(problem("recommendation-partly-no-remark", network=name, where=rec.where))
    if (rec.decision is not None and rec.decision is not Decision.REJECT and rec.amount
            and sub is not None and rec.amount > sub.requested):
        out.append(problem("recommendation-over-request", network=name, where=where,
                           amount=kr(rec.amount), over=kr(rec.amount - sub.requested),
                           requested=kr(sub.requested)))
    return out


def check_coordination_budget(budget: list[BudgetLine], frames: dict[str, Frame]
                              ) -> list[Problem]:
    """The coordination budget line against the sum of the networks' coordination maxima."""
    line = next((b for b in budget if b.line_id == COORDINATION_LINE), None)
    if line is None or not frames:
        return []
    total = sum(f.coordination for f in frames.values())
    if line.amount == total:
        return []
    return [problem("coordination-budget", where=line.where, budget=kr(line.amount),
                    networks=kr(total), count=len(frames))]


def check_frame_sent(sub: Submission, frame: Frame, where: Location) -> list[Problem]:
    """The frame and coordination the template was made with against the workbook's now."""
    sent = (sub.frame_sent, sub.coordination_sent)
    now = (frame.used, frame.coordination)
    if sent[0] is None or sent == now or (sent[1] is None and sent[0] == now[0]):
        return []
    return [problem("template-frame-changed", network=sub.network, where=where,
                    file_name=sub.where.file or "beslutningsgrunnlaget",
                    sent_frame=kr(sent[0]), sent_coordination=kr(sent[1] or 0),
                    frame=kr(now[0]), coordination=kr(now[1]))]
