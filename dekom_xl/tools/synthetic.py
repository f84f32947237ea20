"""Synthetic counties: the sample year repeated ``scale`` times, for tests and the benchmark.

Scale 1 is the sample year; scale 16 is about all of Norway (≈ 180 networks, 7 000 lines
when ``lines_per_network`` is raised). Names get a suffix per copy so every network is new.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from dekom_xl.app.samples import sample_year
from dekom_xl.core.model import BudgetLine, CostLine, Recommendation, Submission, YearData


def synthetic_year(scale: int = 1, *, lines_per_network: int | None = None) -> YearData:
    """The sample year × ``scale``: networks, budget and decision bases all scaled.

    ``lines_per_network`` pads (or trims) each decision basis to that many cost lines,
    splitting its amounts so the totals stay those of the sample.
    """
    base = sample_year(with_submissions=True)
    if scale == 1 and lines_per_network is None:
        return base
    subs = {s.network: s for s in base.submissions}
    recs = {r.network: r for r in base.recommendations}
    networks, submissions, recommendations = [], [], []
    for k in range(1, scale + 1):
        suffix = "" if k == 1 else f" {k}"
        for n in base.networks:
            name = n.name + suffix
            networks.append(replace(n, name=name, short_name=(n.short_name + suffix),
                                    aliases=tuple(a + suffix for a in n.aliases) if k == 1 else (),
                                    key=n.key + Fraction(k - 1, 7)))
            lines = [replace(c, network=name) for c in subs[n.name].lines]
            if lines_per_network:
                lines = _pad(lines, lines_per_network)
            submissions.append(replace(subs[n.name], network=name, lines=tuple(lines)))
            if n.name in recs:
                recommendations.append(replace(recs[n.name], network=name))
    budget = [BudgetLine(b.line_id, b.label, b.amount * scale, b.status, b.note, b.where)
              for b in base.budget]
    setup = replace(base.setup, grant=base.setup.grant * scale)
    return YearData(setup, budget, networks, list(base.universities), recommendations,
                    submissions, [])


def _pad(lines: list[CostLine], n: int) -> list[CostLine]:
    """Split the lines into ``n`` lines with the same totals (measures numbered)."""
    out = list(lines)
    i = 0
    while len(out) < n:
        c = out[i % len(out)]
        half_n, half_u = c.network_cost // 2, c.uh_cost // 2
        out[i % len(out)] = replace(c, network_cost=c.network_cost - half_n,
                                    uh_cost=c.uh_cost - half_u)
        out.append(replace(c, measure=f"{c.measure} (del {len(out) + 1})",
                           network_cost=half_n, uh_cost=half_u))
        i += 1
    return out[:n] if len(out) > n else out


__all__ = ["synthetic_year", "Submission", "Recommendation"]
