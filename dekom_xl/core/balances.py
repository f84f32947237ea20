"""Balances carried forward: the user table ``Saldo`` and the rule that unspent money reduces
the new allocation (as for the direct allocation to UH in 2024). Pure, integer kroner.

A row is one recipient's part (``nettverk`` or ``UH``) of one year's grant: granted, paid,
reported used, unspent, and where the figure came from. Unspent is what the row says, or
granted − reported used when only those are given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dekom_xl.core.load import _data_rows, _loc, amount_at, check_columns, text
from dekom_xl.core.model import NOWHERE, Location, Problem, YearData
from dekom_xl.core.money import format_kr
from dekom_xl.core.names import fold
from dekom_xl.core.problems import problem
from dekom_xl.core.settlement import UH, Settlement
from dekom_xl.core.tables import RawTable

BALANCES = "Saldo"
BALANCE_COLUMNS = ["Mottaker", "Del", "Tilskuddsår", "Tildelt", "Utbetalt", "Rapportert brukt",
                   "Ubrukt", "Kilde", "Merknad"]
PART_NETWORK, PART_UH = "nettverk", "UH"
N_RULE = "dekom_avkorting"  # Oppsett: whose unspent money reduces the new allocation
RULES = {"ingen": (), "uh": (PART_UH,), "nettverk": (PART_NETWORK,),
         "alle": (PART_NETWORK, PART_UH)}


@dataclass(frozen=True)
class Balance:
    recipient: str
    part: str
    year: int | None
    granted: int | None = None
    paid: int | None = None
    used: int | None = None
    unspent_typed: int | None = None
    source: str = ""
    note: str = ""
    where: Location = NOWHERE

    @property
    def unspent(self) -> int | None:
        if self.unspent_typed is not None:
            return self.unspent_typed
        if self.granted is not None and self.used is not None:
            return self.granted - self.used
        return None


def balances_from_table(t: RawTable) -> tuple[list[Balance], list[Problem]]:
    problems = check_columns(t, BALANCE_COLUMNS, ["Mottaker", "Del", "Ubrukt"])
    if any(p.code == "column-missing" for p in problems):
        return [], problems
    out = []
    for i in _data_rows(t, problems):
        who = text(t.value(i, "Mottaker"))
        part = text(t.value(i, "Del"))
        if fold(part) not in (fold(PART_NETWORK), fold(PART_UH)):
            problems.append(problem("balance-part", network=who or None,
                                    where=_loc(t, i, "Del"), found=part or "tomt"))
            continue
        part = PART_UH if fold(part) == fold(PART_UH) else PART_NETWORK
        vals = {h: amount_at(t, i, h, problems, network=who or None, what=f"«{h}» for {who}")
                for h in ("Tildelt", "Utbetalt", "Rapportert brukt", "Ubrukt")}
        year = text(t.value(i, "Tilskuddsår"))
        out.append(Balance(who, part, int(year) if year.isdigit() else None, vals["Tildelt"],
                           vals["Utbetalt"], vals["Rapportert brukt"], vals["Ubrukt"],
                           text(t.value(i, "Kilde")), text(t.value(i, "Merknad")),
                           _loc(t, i, "Ubrukt")))
    return out, problems


def carried_forward(data: YearData, granted: dict[str, int]) -> list[Balance]:
    """The balances a new year starts from: last year's own rows, each network's unspent money
    as its decision base reported it (criterion i), and one row per network for last year's
    grant (``granted``: network → amount) whose use is reported later."""
    y = data.setup.year
    out = list(data.balances or [])
    for sub in data.submissions:
        for part, amount in ((PART_NETWORK, sub.unspent_network), (PART_UH, sub.unspent_uh)):
            if amount:
                out.append(Balance(sub.network, part, y - 1 if y else None,
                                   unspent_typed=amount,
                                   source=f"beslutningsgrunnlaget {y}: ubrukte midler {part}",
                                   note="fra tidligere år, oppgitt av nettverket"))
    for network, amount in granted.items():
        out.append(Balance(network, PART_NETWORK, y or None, granted=amount,
                           source=f"innstilling {y}",
                           note="fyll inn utbetalt og rapportert brukt når rapporten kommer"))
    return out


@dataclass(frozen=True)
class Reduction:
    """Unspent money taken off one recipient's settled amount (``reduced`` ≤ ``allocated``).

    ``recipient`` is the name on ``Saldo``; ``part`` ``UH`` with a network as recipient means
    the UH partners' money through that network."""

    recipient: str
    part: str
    unspent: int
    allocated: int
    reduced: int
    taken: tuple[tuple[str, int], ...] = ()  # (source: network or budget line, amount taken)

    @property
    def after(self) -> int:
        return self.allocated - self.reduced


def parse_rule(raw: object) -> tuple[str, ...] | None:
    """``UH`` → ("UH",); ``ingen``/blank → (); unknown → None."""
    key = fold(text(raw)).strip() or "ingen"
    return RULES.get(key)


def _slots(st: Settlement, who: str, part: str) -> list[tuple[int, int]]:
    """(recipient index, part index) of the money a reduction takes from, in the order it is
    taken: direct allocations (budget lines) first, held money last. Uncertain lines never."""
    networks = {n.network for n in st.networks}
    out = []
    for i, r in enumerate(st.recipients):
        mine = r.recipient == who and (r.kind == UH) == (part == PART_UH)
        through = part == PART_UH and who in networks and r.kind == UH
        for j, p in enumerate(r.parts):
            if p.uncertain or p.amount <= 0:
                continue
            if mine or (through and p.source == who):
                out.append((p.source in networks, p.held, i, j))
    return [(i, j) for *_, i, j in sorted(out)]


def reduce_settlement(st: Settlement, parts: tuple[str, ...], balances: list[Balance],
                      resolve: Callable[[str], str | None] = lambda name: name
                      ) -> list[Reduction]:
    """Each recipient (and part) the rule names loses its unspent money, at most what it is
    settled; ``st.recipients`` are replaced by the reduced amounts (each Part keeps what was
    taken in ``reduced``). Sums reconcile: Σ reduced amounts + Σ reduced = Σ before, exactly.
    """
    unspent: dict[tuple[str, str], int] = {}
    for b in balances:
        if b.part in parts and b.unspent:
            key = (resolve(b.recipient) or b.recipient, b.part)
            unspent[key] = unspent.get(key, 0) + b.unspent
    recipients = [list(r.parts) for r in st.recipients]
    out = []
    for (who, part), left in unspent.items():
        slots = _slots(st, who, part)
        allocated = sum(recipients[i][j].amount for i, j in slots)
        if left <= 0 or not slots:
            continue
        take = min(left, allocated)
        taken: dict[str, int] = {}
        for i, j in slots:
            p = recipients[i][j]
            cut = min(take - sum(taken.values()), p.amount)
            if cut:
                recipients[i][j] = replace(p, amount=p.amount - cut, reduced=p.reduced + cut)
                taken[p.source] = taken.get(p.source, 0) + cut
        out.append(Reduction(who, part, left, allocated, take, tuple(taken.items())))
    st.recipients = [replace(r, parts=tuple(ps)) for r, ps in zip(st.recipients, recipients, strict=True)]
    return out


def evaluate_reductions(data: YearData, st: Settlement,
                        resolve: Callable[[str], str | None] = lambda name: name
                        ) -> tuple[list[Reduction], list[Problem]]:
    """The rule on Oppsett applied to ``Saldo`` and the settlement (reduced in place)."""
    parts = parse_rule(data.reduction_rule)
    if parts is None:
        return [], [problem("reduction-rule-unknown", where=data.reduction_where,
                            found=data.reduction_rule)]
    if not parts or not data.balances:
        return [], []
    found = reduce_settlement(st, parts, data.balances, resolve)
    problems = [problem("reduction-capped", network=r.recipient, where=data.reduction_where,
                        unspent=format_kr(r.unspent), part=r.part,
                        allocated=format_kr(r.allocated), rest=format_kr(r.unspent - r.reduced))
                for r in found if r.unspent > r.allocated]
    return found, problems
