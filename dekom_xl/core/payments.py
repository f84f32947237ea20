"""The payment list: one row per recipient and status, from the settlement. Pure.

A recipient whose money is partly held gets two rows (utbetales / holdes tilbake). A rejected
network gets one row of kr 0 (avslått). Totals reconcile to the settlement: the sum of the
rows equals :attr:`Settlement.total`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dekom_xl.core.engine import Outcome
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.settlement import NETWORK

PAY, HOLD, REJECTED = "utbetales", "holdes tilbake til vilkåret er oppfylt", "avslått"
HEADER = ["Mottaker", "Type", "Organisasjonsnummer", "Beløp", "Status", "Vilkår", "År",
          "Ordning", "Referanse", "Grunnlag"]


@dataclass(frozen=True)
class Payment:
    recipient: str
    kind: str  # "nettverk" | "uh"
    org_number: str
    amount: int
    status: str
    condition: str
    year: int
    scheme: str
    reference: str
    basis: str  # the networks / budget lines the money comes from

    def row(self) -> list[object]:
        return [self.recipient, self.kind, self.org_number, self.amount, self.status,
                self.condition, self.year, self.scheme, self.reference, self.basis]


def payments(o: Outcome) -> list[Payment]:
    """Payment rows in settlement order (networks first, then UH)."""
    setup = o.data.setup
    st = o.settlement
    orgs = {n.name: n.org_number for n in o.data.networks}
    orgs |= {u.name: u.org_number for u in o.data.universities}
    rejected = {ns.network for ns in st.networks if ns.rejected}
    undecided = {ns.network for ns in st.networks if ns.decision is None}
    out: list[Payment] = []

    def add(r, amount: int, status: str, condition: str, parts) -> None:
        basis = "; ".join(f"{p.source} kr {kr(p.amount)}" for p in parts)
        out.append(Payment(r.recipient, r.kind, orgs.get(r.recipient, ""), amount, status,
                           condition, setup.year, setup.scheme, setup.reference, basis))

    for r in st.recipients:
        parts = [p for p in r.parts if not p.uncertain]
        if r.kind == NETWORK and r.recipient in rejected and r.amount == 0:
            add(r, 0, REJECTED, "", [])
            continue
        paid = [p for p in parts if not p.held and p.amount]
        if not paid and r.amount == 0 and r.recipient in undecided:
            continue  # no recommendation yet: not «utbetales kr 0»
        if paid or (not r.held and r.kind == NETWORK and r.amount == 0):
            add(r, r.payable, PAY, "", paid)
        conditions: dict[str, list] = {}
        for p in parts:
            if p.held and p.amount:
                conditions.setdefault(p.condition, []).append(p)
        for cond, held in conditions.items():
            add(r, sum(p.amount for p in held), HOLD, cond, held)
    return out
