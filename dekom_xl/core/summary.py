"""The summary the secretariat needs: per network, per recipient, budget against grant.

Pure records built from frames, submissions and recommendations; :meth:`Summary.as_dict`
gives the JSON shape of the CLI contract (with a few extra keys).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dekom_xl.core.allocation import Frame
from dekom_xl.core.model import BudgetLine, Recommendation, Submission

OWN_USE = "Nettverkene (egen bruk)"
UNKNOWN_UH = "UH ikke oppgitt"


@dataclass(frozen=True)
class NetworkRow:
    network: str
    short_name: str
    frame_key: int
    frame_decided: int | None
    frame: int  # the frame that applies (decided when entered, else the key's)
    coordination: int  # planned when a decision basis gives it, else the maximum
    coordination_max: int
    frame_incl: int
    requested: int | None  # cost lines + planned coordination
    recommended: int | None
    decision: str
    remark: str
    condition: str
    rest_share: int = 0  # this network's share of the unallocated rest, split equally

    @property
    def difference(self) -> int | None:
        """Requested minus frame incl. coordination (positive: over the frame)."""
        return None if self.requested is None else self.requested - self.frame_incl


@dataclass(frozen=True)
class Recipient:
    recipient: str
    amount: int
    own_costs: int | None = None  # only for the networks' own use
    coordination: int | None = None


@dataclass(frozen=True)
class BudgetSummary:
    grant: int
    allocated: int  # certain lines
    uncertain: int  # uncertain lines
    lines: tuple[BudgetLine, ...] = ()

    @property
    def unallocated(self) -> int:
        """Grant minus the certain lines (what the forum can dispose of)."""
        return self.grant - self.allocated

    @property
    def unallocated_if_uncertain(self) -> int:
        """What is left if the uncertain lines are also spent."""
        return self.grant - self.allocated - self.uncertain


@dataclass
class Summary:
    year: int
    scheme: str
    pool: int
    base_grant: int
    budget: BudgetSummary
    networks: list[NetworkRow] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)

    @property
    def frames_total(self) -> int:
        return sum(n.frame_key for n in self.networks)

    def total(self, attr: str) -> int:
        return sum(getattr(n, attr) or 0 for n in self.networks)

    def as_dict(self) -> dict:
        b = self.budget
        return {
            "year": self.year,
            "scheme": self.scheme,
            "grant": b.grant,
            "allocated": b.allocated,
            "uncertain": b.uncertain,
            "unallocated": b.unallocated,
            "unallocated_if_uncertain": b.unallocated_if_uncertain,
            "pool": self.pool,
            "base_grant": self.base_grant,
            "frames_total": self.frames_total,
            "networks": [
                {
                    "network": n.network,
                    "frame": n.frame_key,
                    "frame_decided": n.frame_decided,
                    "frame_used": n.frame,
                    "coordination": n.coordination,
                    "frame_incl_coordination": n.frame_incl,
                    "requested": n.requested,
                    "recommended": n.recommended,
                    "difference": n.difference,
                }
                for n in self.networks
            ],
            "recipients": [
                {"recipient": r.recipient, "amount": r.amount}
                | ({"own_costs": r.own_costs, "coordination": r.coordination}
                   if r.own_costs is not None else {})
                for r in self.recipients
            ],
        }


def budget_summary(grant: int, lines: list[BudgetLine]) -> BudgetSummary:
    allocated = sum(b.amount for b in lines if not b.uncertain)
    uncertain = sum(b.amount for b in lines if b.uncertain)
    return BudgetSummary(grant, allocated, uncertain, tuple(lines))


def recipients(submissions: list[Submission]) -> list[Recipient]:
    """Split the requested cost lines: each UH, then the networks' own use (own + coordination).

    UH rows come largest first (ties by name), the networks' own use last.
    """
    per_uh: dict[str, int] = {}
    own = 0
    coordination = 0
    for sub in submissions:
        coordination += sub.coordination or 0
        for line in sub.lines:
            own += line.network_cost
            if line.uh_cost:
                uh = line.uh or UNKNOWN_UH
                per_uh[uh] = per_uh.get(uh, 0) + line.uh_cost
    rows = [Recipient(uh, amt) for uh, amt in sorted(per_uh.items(), key=lambda kv: (-kv[1], kv[0]))]
    rows.append(Recipient(OWN_USE, own + coordination, own, coordination))
    return rows


def network_rows(frames: dict[str, Frame], short_names: dict[str, str],
                 submissions: dict[str, Submission], recs: dict[str, Recommendation],
                 rest_shares: dict[str, int]) -> list[NetworkRow]:
    rows = []
    for name, fr in frames.items():
        sub = submissions.get(name)
        rec = recs.get(name)
        coordination = fr.coordination
        if sub is not None and sub.coordination is not None:
            coordination = sub.coordination
        frame_used = fr.used
        rows.append(NetworkRow(
            network=name, short_name=short_names.get(name, ""), frame_key=fr.frame,
            frame_decided=fr.decided, frame=frame_used, coordination=coordination,
            coordination_max=fr.coordination, frame_incl=frame_used + fr.coordination,
            requested=sub.requested if sub is not None else None,
            recommended=rec.amount if rec else None,
            decision=rec.decision.value if rec and rec.decision else "",
            remark=rec.remark if rec else "", condition=rec.condition if rec else "",
            rest_share=rest_shares.get(name, 0)))
    return rows
