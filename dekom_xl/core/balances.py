"""Balances carried forward: the user table ``Saldo`` and the rule that unspent money reduces
the new allocation (as for the direct allocation to UH in 2024). Pure, integer kroner.

A row is one recipient's part (``nettverk`` or ``UH``) of one year's grant: granted, paid,
reported used, unspent, and where the figure came from. Unspent is what the row says, or
granted − reported used when only those are given.
"""

from __future__ import annotations

from dataclasses import dataclass

from dekom_xl.core.load import _data_rows, _loc, amount_at, check_columns, text
from dekom_xl.core.model import NOWHERE, Location, Problem, YearData
from dekom_xl.core.names import fold
from dekom_xl.core.problems import problem
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


def unspent_by_recipient(balances: list[Balance]) -> dict[tuple[str, str], int]:
    """(recipient, part) → total unspent money (rows without a figure count as 0)."""
    out: dict[tuple[str, str], int] = {}
    for b in balances:
        if b.unspent:
            key = (b.recipient, b.part)
            out[key] = out.get(key, 0) + b.unspent
    return out


@dataclass(frozen=True)
class Reduction:
    """Unspent money taken off one recipient's new allocation (``reduced`` ≤ ``allocated``)."""

    network: str
    part: str
    unspent: int
    allocated: int
    reduced: int

    @property
    def after(self) -> int:
        return self.allocated - self.reduced


def parse_rule(raw: object) -> tuple[str, ...] | None:
    """``UH`` → ("UH",); ``ingen``/blank → (); unknown → None."""
    key = fold(text(raw)).strip() or "ingen"
    return RULES.get(key)


def reductions(parts: tuple[str, ...], balances: list[Balance],
               allocated: dict[tuple[str, str], int]) -> list[Reduction]:
    """Each (network, part) the rule names loses its unspent money, at most what it is given.

    ``allocated``: (network, part) → the new allocation. Sums reconcile: Σ after = Σ allocated
    − Σ reduced, exactly.
    """
    unspent = unspent_by_recipient(balances)
    out = []
    for (network, part), amount in allocated.items():
        left = unspent.get((network, part), 0)
        if part in parts and left > 0:
            out.append(Reduction(network, part, left, amount, min(left, amount)))
    return out


def recommended_parts(outcome) -> dict[tuple[str, str], int]:
    """(network, part) → the recommended amount split between the network and its UH: the UH
    part is its UH cost lines (at most the recommended amount), the network keeps the rest."""
    subs = {s.network: s for s in outcome.submissions}
    out: dict[tuple[str, str], int] = {}
    for row in outcome.summary.networks:
        if row.recommended is None:
            continue
        sub = subs.get(row.network)
        uh = min(sum(c.uh_cost for c in sub.lines), row.recommended) if sub else 0
        out[(row.network, PART_NETWORK)] = row.recommended - uh
        out[(row.network, PART_UH)] = uh
    return out


def evaluate_reductions(data: YearData, outcome) -> tuple[list[Reduction], list[Problem]]:
    """The rule on Oppsett applied to ``Saldo`` and the recommended amounts."""
    parts = parse_rule(data.reduction_rule)
    if parts is None:
        return [], [problem("reduction-rule-unknown", where=data.reduction_where,
                            found=data.reduction_rule)]
    if not parts or not data.balances:
        return [], []
    from dekom_xl.core.money import format_kr

    found = reductions(parts, data.balances, recommended_parts(outcome))
    problems = [problem("reduction-capped", network=r.network, where=data.reduction_where,
                        unspent=format_kr(r.unspent), part=r.part,
                        allocated=format_kr(r.allocated), rest=format_kr(r.unspent - r.reduced))
                for r in found if r.unspent > r.allocated]
    return found, problems
