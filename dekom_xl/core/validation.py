"""Validation: pure checks that return located problems, never stopping at the first.

Each ``check_*`` takes domain records and returns a list of :class:`~dekom_xl.core.model.Problem`.
:func:`dekom_xl.core.engine.evaluate` runs them all.
"""

from __future__ import annotations

from dekom_xl.core.allocation import Frame
from dekom_xl.core.model import (
    POOL_LINE,
    BudgetLine,
    Location,
    Network,
    Problem,
    Recommendation,
    Setup,
    Submission,
)
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.names import NameIndex, name_key
from dekom_xl.core.problems import problem


def check_budget(setup: Setup, budget: list[BudgetLine], grant_where: Location) -> list[Problem]:
    """The budget against the grant: over (error), over with uncertain lines (warning),
    unallocated money (info), and a missing pool line."""
    out: list[Problem] = []
    certain = sum(b.amount for b in budget if not b.uncertain)
    uncertain = sum(b.amount for b in budget if b.uncertain)
    if not any(b.line_id == POOL_LINE for b in budget):
        out.append(problem(
            "pool-missing", f"Budsjettet har ingen post med kode «{POOL_LINE}» (potten til "
            "partnerskapene). Legg til posten i tabellen Budsjett.", where=grant_where))
    if certain > setup.grant:
        out.append(problem(
            "budget-over-grant",
            f"Budsjettpostene er til sammen kr {kr(certain)}, som er kr {kr(certain - setup.grant)} "
            f"mer enn tildelt beløp kr {kr(setup.grant)}. Reduser postene eller rett tildelt beløp.",
            where=grant_where))
    elif certain + uncertain > setup.grant:
        over = certain + uncertain - setup.grant
        out.append(problem(
            "budget-over-grant-uncertain",
            f"Med de usikre postene (kr {kr(uncertain)}) blir budsjettet kr {kr(over)} høyere enn "
            f"tildelt beløp kr {kr(setup.grant)}. Avklar de usikre postene før vedtak.",
            where=grant_where))
    if certain < setup.grant:
        rest = setup.grant - certain
        msg = f"Kr {kr(rest)} av tildelt beløp er ikke fordelt (udisponerte midler)."
        if uncertain:
            msg += (f" Blir de usikre postene (kr {kr(uncertain)}) stående, gjenstår "
                    f"kr {kr(rest - uncertain)}.")
        out.append(problem("unallocated", msg, where=grant_where))
    return out


def check_networks(networks: list[Network]) -> list[Problem]:
    """The same network twice (also when written differently)."""
    out: list[Problem] = []
    seen: dict[frozenset[str], Network] = {}
    for n in networks:
        key = name_key(n.name)
        if key in seen:
            first = seen[key]
            out.append(problem(
                "duplicate-network",
                f"Nettverket «{n.name}» står to ganger (også i {first.where.cell}). Slett den ene "
                "raden eller slå dem sammen.", network=n.name, where=n.where))
        else:
            seen[key] = n
    return out


def check_frames(pool: int, frames: dict[str, Frame], where: Location) -> list[Problem]:
    """Decided frames (where all are entered) must sum to the pool exactly."""
    out: list[Problem] = []
    key_total = sum(f.frame for f in frames.values())
    if frames and key_total != pool:  # cannot happen with largest remainder; a guard
        out.append(problem("frames-not-pool", f"Rammene etter nøkkelen summerer til kr "
                           f"{kr(key_total)}, men potten er kr {kr(pool)}.", where=where))
    decided = [f.decided for f in frames.values()]
    if frames and all(d is not None for d in decided):
        total = sum(d for d in decided if d is not None)
        if total != pool:
            diff = total - pool
            direction = "mer" if diff > 0 else "mindre"
            out.append(problem(
                "frames-not-pool",
                f"De vedtatte rammene summerer til kr {kr(total)}, som er kr {kr(abs(diff))} "
                f"{direction} enn potten til partnerskapene kr {kr(pool)}. Rett de vedtatte "
                "rammene på arket Nettverk, eller tøm dem og bruk rammene etter nøkkelen.",
                where=where))
    return out


def check_submission(sub: Submission, frame: Frame) -> list[Problem]:
    """A decision basis against its frame incl. coordination, and coordination against its max."""
    out: list[Problem] = []
    name = sub.network
    if sub.coordination is not None and sub.coordination > frame.coordination:
        out.append(problem(
            "coordination-over-max",
            f"Planlagt koordinering kr {kr(sub.coordination)} er over maksimum kr "
            f"{kr(frame.coordination)} for {name}. Senk koordineringen til høyst "
            f"kr {kr(frame.coordination)}.", network=name, where=sub.where))
    limit = frame.incl_coordination
    diff = sub.requested - limit
    if diff > 0:
        out.append(problem(
            "over-frame",
            f"Meldt behov kr {kr(sub.requested)} er kr {kr(diff)} over rammen inkludert "
            f"koordinering kr {kr(limit)}.", network=name, where=sub.where))
    elif diff < 0:
        out.append(problem(
            "under-frame",
            f"Meldt behov kr {kr(sub.requested)} er kr {kr(-diff)} under rammen inkludert "
            f"koordinering kr {kr(limit)}.", network=name, where=sub.where))
    if sub.unspent_network or sub.unspent_uh:
        out.append(problem(
            "unspent-money",
            f"Nettverket oppgir ubrukte midler fra tidligere år: kr {kr(sub.unspent_network or 0)} "
            f"i nettverket og kr {kr(sub.unspent_uh or 0)} hos UH.", network=name,
            where=sub.where))
    return out


def check_recommendation(rec: Recommendation, frame: Frame) -> list[Problem]:
    """A recommendation above the frame incl. coordination needs a remark."""
    if rec.amount is not None and rec.amount > frame.incl_coordination and not rec.remark:
        over = rec.amount - frame.incl_coordination
        return [problem(
            "recommendation-over-frame",
            f"Innstilt beløp kr {kr(rec.amount)} er kr {kr(over)} over rammen inkludert "
            f"koordinering kr {kr(frame.incl_coordination)}, uten merknad. Skriv en merknad som "
            "begrunner beløpet, eller sett beløpet ned til rammen.",
            network=rec.network, where=rec.where)]
    return []


def resolve(index: NameIndex, written: str, what: str, where: Location,
            known_list: str) -> tuple[str | None, list[Problem]]:
    """Map a written network name to the known one; unknown or ambiguous is an error."""
    found = index.match(written)
    if len(found) == 1:
        return found[0], []
    if not found:
        return None, [problem(
            "unknown-network",
            f"{what} gjelder «{written}», som ikke er et kjent nettverk. Bruk et av navnene "
            f"på arket Nettverk ({known_list}), eller legg navnet til som alias der.",
            network=written, where=where)]
    return None, [problem(
        "ambiguous-network",
        f"{what} gjelder «{written}», som passer på flere nettverk: {', '.join(found)}. "
        "Skriv hele navnet på nettverket.", network=written, where=where)]
