"""Restmidler (undisposed money) before and after the decision, and their equal split.

Pure. Before the meeting: grant − certain budget lines (as the budget check shows). After
it: grant − certain lines other than the pool and coordination − what was recommended
(recommended amounts include coordination, so the coordination line is replaced by what
the networks were actually given) + unspent money taken off the settlement (Saldo). Both also
without the uncertain lines.

The equal split goes to the networks the setting ``Restmidler fordeles på`` names (names
separated by «;»); empty means the networks recommended an amount (rejected ones are left
out). It is exact by largest remainder: the networks that get the extra krone are named.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dekom_xl.core.allocation import equal_split
from dekom_xl.core.model import COORDINATION_LINE, POOL_LINE, BudgetLine, Location, Problem
from dekom_xl.core.names import NameIndex
from dekom_xl.core.problems import problem
from dekom_xl.core.settlement import Settlement


@dataclass(frozen=True)
class Rest:
    grant: int
    before: int  # grant − certain lines
    uncertain: int  # the uncertain lines
    after: int  # grant − certain lines other than pool/coordination − recommended
    decided: bool  # any recommendation made (``after`` means something)
    shares: dict[str, int] = field(default_factory=dict)  # network → share of max(after, 0)
    named: bool = False  # the setting names the networks (else: the networks recommended)

    @property
    def before_if_uncertain(self) -> int:
        return self.before - self.uncertain

    @property
    def after_if_uncertain(self) -> int:
        return self.after - self.uncertain

    @property
    def to_split(self) -> int:
        return max(self.after if self.decided else self.before, 0)

    @property
    def extra(self) -> list[str]:
        """The networks that get one krone more than the others (largest remainder)."""
        if not self.shares:
            return []
        low = min(self.shares.values())
        return [n for n, v in self.shares.items() if v > low]


def restmidler(grant: int, budget: list[BudgetLine], settlement: Settlement,
               networks: list[str], setting: str = "", setting_where: Location | None = None,
               aliases: dict[str, tuple[str, ...]] | None = None
               ) -> tuple[Rest, list[Problem]]:
    """The restmidler and their equal split (see module doc)."""
    certain = [b for b in budget if not b.uncertain]
    uncertain = sum(b.amount for b in budget if b.uncertain)
    before = grant - sum(b.amount for b in certain)
    others = sum(b.amount for b in certain if b.line_id not in (POOL_LINE, COORDINATION_LINE))
    decided = any(n.decision is not None for n in settlement.networks)
    after = grant - others - settlement.recommended_total + settlement.reduced_total
    problems: list[Problem] = []
    names: list[str] = []
    if setting.strip():
        index = NameIndex((n, (aliases or {}).get(n, ())) for n in networks)
        for written in (w.strip() for w in setting.split(";")):
            if not written:
                continue
            found = index.resolve(written)
            if found is None:
                problems.append(problem("rest-network-unknown", where=setting_where,
                                        name=written, known=", ".join(networks)))
            elif found not in names:
                names.append(found)
    else:
        names = [n.network for n in settlement.networks if n.recommended > 0]
        if not decided:
            names = list(networks)
    rest = Rest(grant, before, uncertain, after, decided, named=bool(setting.strip()))
    total = rest.to_split
    shares = equal_split(total, names) if names and total else {}
    return Rest(grant, before, uncertain, after, decided, shares, rest.named), problems
