"""Resolution: map what people wrote to the year's known networks and UH institutions.

Decision bases and recommendations name their network as someone typed it; here each is
matched to one known network (aliases and short names count), duplicates and wrong years are
set aside, and UH names are normalised. Everything set aside becomes a located problem.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dekom_xl.core.cells import where as place
from dekom_xl.core.model import (
    CostLine,
    Location,
    Network,
    Problem,
    Recommendation,
    Setup,
    Submission,
    University,
)
from dekom_xl.core.names import NameIndex, fold
from dekom_xl.core.problems import problem


@dataclass(frozen=True)
class Names:
    """The year's known networks, for matching written names."""

    index: NameIndex
    known: str  # the names to suggest in a message: "Fosen, Værnes, …"

    @classmethod
    def of(cls, networks: list[Network]) -> Names:
        index = NameIndex((n.name, n.aliases + ((n.short_name,) if n.short_name else ()))
                          for n in networks)
        return cls(index, ", ".join(n.short_name or n.name for n in networks))

    def resolve(self, written: str, what: str, where: Location
                ) -> tuple[str | None, list[Problem]]:
        """The known network ``written`` means; unknown or ambiguous is an error."""
        found = self.index.match(written)
        if len(found) == 1:
            return found[0], []
        if not found:
            return None, [problem("unknown-network", what=what, known=self.known,
                                  network=written, where=where)]
        return None, [problem("ambiguous-network", what=what, matches=", ".join(found),
                              network=written, where=where)]


def unique_networks(networks: list[Network]) -> list[Network]:
    """The networks, the first of a duplicate winning (validation reports the second)."""
    seen: set[str] = set()
    out = []
    for n in networks:
        if n.name not in seen:
            seen.add(n.name)
            out.append(n)
    return out


def resolve_submissions(submissions: list[Submission], names: Names, setup: Setup,
                        universities: list[University]
                        ) -> tuple[dict[str, Submission], list[Problem]]:
    """Accepted decision bases by canonical network name, in file order; and the problems.

    A decision base for another year or scheme, or a second one for the same network, is set
    aside.
    """
    year = setup.year
    uh_index = NameIndex((u.name, u.aliases) for u in universities)
    problems: list[Problem] = []
    by_network: dict[str, Submission] = {}
    for sub in sorted(submissions, key=lambda s: (s.where.file or "", s.where.sheet or "")):
        name, found = names.resolve(sub.network, "Beslutningsgrunnlaget", sub.where)
        problems += found
        if name is None:
            continue
        if sub.year is not None and year and sub.year != year:
            problems.append(problem("wrong-year", found=sub.year, year=year, network=name,
                                    where=sub.year_where if sub.year_where.cell else sub.where))
            continue
        if sub.scheme and setup.scheme and fold(sub.scheme).strip() != fold(setup.scheme).strip():
            problems.append(problem(
                "wrong-scheme", network=name,
                where=sub.scheme_where if sub.scheme_where.cell else sub.where,
                found=sub.scheme, expected=setup.scheme, year=year))
            continue
        if name in by_network:
            problems.append(problem("duplicate-submission", first=_file(by_network[name].where),
                                    second=_file(sub.where), network=name, where=sub.where))
            continue
        lines = []
        for line in sub.lines:
            line, found = _resolve_uh(replace(line, network=name), uh_index)
            problems += found
            lines.append(line)
        by_network[name] = replace(sub, network=name, lines=tuple(lines))
    return by_network, problems


def _resolve_uh(line: CostLine, uh_index: NameIndex) -> tuple[CostLine, list[Problem]]:
    """The line with its UH name normalised; an unknown or missing UH is a warning."""
    if line.uh:
        uh = uh_index.resolve(line.uh)
        if uh is None:
            return line, [problem("unknown-uh", uh=line.uh, known=", ".join(uh_index.canonical),
                                  network=line.network, where=line.where)]
        return replace(line, uh=uh), []
    if line.uh_cost:
        return line, [problem("uh-missing", measure=line.measure, network=line.network,
                              where=line.where)]
    return line, []


def resolve_recommendations(recommendations: list[Recommendation], names: Names
                            ) -> tuple[dict[str, Recommendation], list[Problem]]:
    """Recommendations by canonical network name; a second row for a network is an error."""
    problems: list[Problem] = []
    recs: dict[str, Recommendation] = {}
    for rec in recommendations:
        name, found = names.resolve(rec.network, "Innstillingen", rec.where)
        problems += found
        if name is None:
            continue
        if name in recs:
            problems.append(problem("duplicate-recommendation", first=recs[name].where.cell,
                                    network=name, where=rec.where))
            continue
        recs[name] = replace(rec, network=name)
    return recs, problems


def _file(where: Location) -> str:
    return place(where.file, where.sheet, None) or "arbeidsboken"
