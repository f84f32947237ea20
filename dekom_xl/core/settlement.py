"""Settlement: what each recipient gets once the forum has made its recommendation.

Pure. From the recommendations (decision, amount incl. coordination, remark, condition,
optional own-share override), the accepted decision bases, the frames and the budget:

- a rejected network gets 0, and so do its UH partners through it;
- ``innstilles`` without an amount means the frame including coordination;
- the recommended amount is split between the network itself and its UH partners from its
  cost lines. The difference between recommended and requested goes to, or comes from, the
  network's own share (the 2024 precedent). When a cut is larger than the own share, the UH
  parts are reduced pro rata (largest remainder) and a warning says so;
- the column ``Til nettverket`` on Innstilling overrides the split: the network gets exactly
  that, and the rest goes to its UH partners pro rata to what they asked for;
- budget lines with a ``Mottaker`` (direct allocations) count for that recipient;
- a recommendation with a condition (``Vilkår``) is held until the condition is met.

Invariant: the recipients' totals sum to the recommended total plus the certain budget lines
with a recipient, minus what unspent money reduced (``reduced_total``, core/balances.py).
Nothing goes to an unknown UH: that is an error that blocks the decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dekom_xl.core.allocation import Frame, largest_remainder
from dekom_xl.core.model import (
    POOL_LINE,
    BudgetLine,
    Decision,
    Problem,
    Recommendation,
    Severity,
    Submission,
)
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.names import NameIndex
from dekom_xl.core.problems import problem

NETWORK, UH = "nettverk", "uh"


@dataclass(frozen=True)
class NetworkSettlement:
    """One network's recommended amount and how it is split."""

    network: str
    decision: Decision | None
    recommended: int  # incl. coordination; 0 when rejected or not decided
    requested: int | None
    own: int  # to the network itself (own measures + coordination + adjustment)
    uh: tuple[tuple[str, int], ...] = ()  # UH partner → amount, in cost-line order
    own_requested: int = 0
    remark: str = ""
    condition: str = ""
    overridden: bool = False

    @property
    def held(self) -> bool:
        return bool(self.condition) and self.recommended > 0

    @property
    def adjustment(self) -> int:
        """Recommended minus requested (what went to or came from the own share)."""
        return 0 if self.requested is None else self.recommended - self.requested

    @property
    def rejected(self) -> bool:
        return self.decision is Decision.REJECT


@dataclass(frozen=True)
class Part:
    """One piece of a recipient's money: from a network or a budget line."""

    source: str  # network name or budget line label
    amount: int
    held: bool = False
    condition: str = ""
    uncertain: bool = False
    reduced: int = 0  # unspent money taken off (Saldo, the rule on Oppsett); ``amount`` is after


@dataclass(frozen=True)
class RecipientTotal:
    recipient: str
    kind: str  # NETWORK or UH
    parts: tuple[Part, ...]

    @property
    def amount(self) -> int:
        """Everything settled for this recipient (held included, uncertain lines not)."""
        return sum(p.amount for p in self.parts if not p.uncertain)

    @property
    def held(self) -> int:
        return sum(p.amount for p in self.parts if p.held and not p.uncertain)

    @property
    def payable(self) -> int:
        return self.amount - self.held



@dataclass
class Settlement:
    networks: list[NetworkSettlement] = field(default_factory=list)
    recipients: list[RecipientTotal] = field(default_factory=list)
    direct_lines: list[BudgetLine] = field(default_factory=list)  # budget lines with a recipient
    problems: list[Problem] = field(default_factory=list)

    @property
    def recommended_total(self) -> int:
        return sum(n.recommended for n in self.networks)

    @property
    def direct_total(self) -> int:
        """Certain budget lines with a recipient."""
        return sum(b.amount for b in self.direct_lines if not b.uncertain)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.recipients)

    @property
    def reduced_total(self) -> int:
        """Unspent money taken off the recipients (core/balances.py); it stays undisposed."""
        return sum(p.reduced for r in self.recipients for p in r.parts if not p.uncertain)

    @property
    def held_total(self) -> int:
        return sum(n.recommended for n in self.networks if n.held)

    @property
    def own_total(self) -> int:
        return sum(n.own for n in self.networks)

    @property
    def blocked(self) -> bool:
        """An error in the settlement: no decision text until it is fixed."""
        return any(p.severity is Severity.ERROR for p in self.problems)

    def recipient(self, name: str) -> RecipientTotal | None:
        return next((r for r in self.recipients if r.recipient == name), None)


def settle(frames: dict[str, Frame], submissions: list[Submission],
           recommendations: list[Recommendation], budget: list[BudgetLine],
           universities: list[str], networks: list[str] | None = None,
           uh_aliases: dict[str, tuple[str, ...]] | None = None) -> Settlement:
    """Settle the year: per network split and per recipient totals (see module doc).

    ``frames`` gives network order; ``submissions``/``recommendations`` carry canonical
    network names; cost lines carry canonical UH names where known.
    """
    known_uh = set(universities)
    subs = {s.network: s for s in submissions}
    recs = {r.network: r for r in recommendations}
    out = Settlement()
    for name, frame in frames.items():
        rec = recs.get(name)
        ns, found = _settle_network(name, frame, subs.get(name), rec, known_uh)
        out.networks.append(ns)
        out.problems += found
    # Budget lines with a recipient.
    net_names = list(networks if networks is not None else frames)
    index = NameIndex([(u, (uh_aliases or {}).get(u, ())) for u in universities]
                      + [(n, ()) for n in net_names])
    direct: list[tuple[str, BudgetLine]] = []
    for line in budget:
        if not line.recipient or line.line_id in (POOL_LINE,):
            continue
        who = index.resolve(line.recipient)
        if who is None:
            out.problems.append(problem(
                "budget-unknown-recipient", where=line.where, label=line.label,
                recipient=line.recipient, amount=kr(line.amount),
                known=", ".join(universities)))
            continue
        out.direct_lines.append(line)
        direct.append((who, line))
    out.recipients = _recipients(out.networks, direct, net_names, universities)
    return out


def _settle_network(name: str, frame: Frame, sub: Submission | None,
                    rec: Recommendation | None, known_uh: set[str]
                    ) -> tuple[NetworkSettlement, list[Problem]]:
    problems: list[Problem] = []
    requested = sub.requested if sub is not None else None
    uh_req: dict[str, int] = {}
    own_req = 0
    if sub is not None:
        own_req = sub.coordination or 0
        for line in sub.lines:
            own_req += line.network_cost
            if line.uh_cost:
                uh_req[line.uh] = uh_req.get(line.uh, 0) + line.uh_cost
    decision = rec.decision if rec else None
    if rec is None or decision is None or decision is Decision.REJECT:
        amount = 0
    elif rec.amount is None:
        amount = frame.incl_coordination if decision is Decision.APPROVE else 0
    else:
        amount = rec.amount
    remark = rec.remark if rec else ""
    condition = rec.condition if rec else ""
    if amount == 0:
        return NetworkSettlement(name, decision, 0, requested, 0, (), own_req, remark,
                                 condition), problems
    # Money to an unknown UH cannot be settled.
    if sub is not None:
        for line in sub.lines:
            if line.uh_cost and line.uh not in known_uh:
                problems.append(problem(
                    "settlement-unknown-uh", network=name, where=line.where,
                    uh=line.uh or "ikke oppgitt", amount=kr(line.uh_cost)))
    uh_total = sum(uh_req.values())
    overridden = rec is not None and rec.own_share is not None
    if overridden:
        assert rec is not None and rec.own_share is not None
        own = rec.own_share
        rest = amount - own
        if rest < 0 or (rest > 0 and not uh_req):
            problems.append(problem(
                "settlement-override", network=name, where=rec.own_where,
                own=kr(own), amount=kr(amount), partners=", ".join(uh_req) or "ingen"))
            own, rest = amount, 0
    else:
        own = amount - uh_total
        rest = uh_total
        if own < 0:
            where = rec.amount_where if rec is not None else None
            problems.append(problem(
                "settlement-uh-cut", network=name, where=where, amount=kr(amount),
                uh=kr(uh_total)))
            own, rest = 0, amount
    if rest == uh_total:
        uh = dict(uh_req)
    else:
        uh = largest_remainder(rest, uh_req) if uh_req else {}
    return NetworkSettlement(name, decision, amount, requested, own, tuple(uh.items()), own_req,
                             remark, condition, overridden), problems


def _recipients(networks: list[NetworkSettlement], direct: list[tuple[str, BudgetLine]],
                net_names: list[str], universities: list[str]) -> list[RecipientTotal]:
    parts: dict[str, list[Part]] = {}
    for ns in networks:
        held = ns.held
        parts.setdefault(ns.network, []).append(
            Part(ns.network, ns.own, held, ns.condition if held else ""))
        for uh, amount in ns.uh:
            parts.setdefault(uh, []).append(
                Part(ns.network, amount, held, ns.condition if held else ""))
    for who, line in direct:
        parts.setdefault(who, []).append(Part(line.label, line.amount, uncertain=line.uncertain))
    nets = set(net_names)
    order = [n for n in net_names if n in parts]
    order += sorted((u for u in parts if u not in nets),
                    key=lambda u: (universities.index(u) if u in universities else len(universities), u))
    return [RecipientTotal(r, NETWORK if r in nets else UH,
                           tuple(p for p in parts[r] if p.amount or r in nets))
            for r in order]
