"""The decision text (Vedtak) for the minutes, generated from the numbers, in bokmål.

Written in the style of the forum's minutes: "Kroner 1 300 000 tildeles koordinering i
kompetansenettverkene." One string per paragraph. Part a) holds the annual budget lines, part
b) the networks with decision, amount, remarks and conditions; then the amounts per recipient
from the settlement (:mod:`dekom_xl.core.settlement`) and the restmidler
(:mod:`dekom_xl.core.restmidler`). An error in the settlement blocks the text.
"""

from __future__ import annotations

import re

from dekom_xl.core.engine import Outcome
from dekom_xl.core.model import COORDINATION_LINE, POOL_LINE, Decision
from dekom_xl.core.money import format_kr
from dekom_xl.core.settlement import NETWORK

NBSP = "\u00a0"  # inside amounts in prose, so "100 000" never breaks across lines


def kr(amount: int | None) -> str:
    """An amount for prose: ``1 234 567`` with non-breaking spaces between the groups."""
    return format_kr(amount, sep=NBSP)


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _and(parts: list[str]) -> str:
    """``a``, ``a og b``, ``a, b og c``."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def _signed(n: int) -> str:
    return f"+{kr(n)}" if n > 0 else f"−{kr(-n)}"


def keep_amounts(text: str) -> str:
    """Typed text with its amounts kept whole: ``300 000`` gets a non-breaking space."""
    return re.sub(r"(?<=\d) (?=\d{3}(?!\d))", NBSP, text)


def _sentence(text: str) -> str:
    text = keep_amounts(text.strip())
    return text if not text or text[-1] in ".!?" else text + "."


def decision_paragraphs(outcome: Outcome) -> list[str]:
    """The decision text, one paragraph per item."""
    s = outcome.summary
    setup = outcome.data.setup
    st = outcome.settlement
    out: list[str] = []
    scheme = f"{setup.scheme} {setup.year}".strip()
    if s.budget.grant:
        out.append(f"Tildelt beløp for {scheme} er kroner {kr(s.budget.grant)}.")
    else:
        out.append(f"Tildelt beløp for {scheme} er ikke fylt ut ennå (feltet «Tildelt beløp» på "
                   "Oppsett).")
    if st.blocked:
        errors = [p for p in st.problems if p.severity.value == "feil"]
        out.append(f"Vedtaksteksten kan ikke lages før {len(errors)} feil i fordelingen til "
                   "mottakerne er rettet (se arket Kontroll). Ingen penger kan gå til en ukjent "
                   "mottaker:")
        out += [f"– {keep_amounts(p.message)}" for p in errors]
        return out
    out.append("Samarbeidsforum vedtar følgende fordeling:")
    out += _part_a(outcome)
    out += _part_b(outcome)
    out += _recipients(outcome)
    from dekom_xl.core.reduction_view import paragraph  # (render imports this module)

    out += [p for p in [paragraph(outcome)] if p]  # unspent money taken off (Saldo)
    out += _rest(outcome)
    return out


def _part_a(outcome: Outcome) -> list[str]:
    out = ["a) Årlige poster"]
    for line in outcome.summary.budget.lines:
        if line.line_id == POOL_LINE:
            continue
        label = _lower_first(line.label)
        amount = kr(line.amount)
        if line.amount == 0:
            out.append(f"Ingen nye midler settes av til {label}.")
        elif line.amount < 0:  # money carried back in (a fixed line without a recipient)
            out.append(f"Kroner {kr(-line.amount)} føres tilbake ({label}) og kan disponeres "
                       "i tillegg til tildelt beløp.")
        elif line.uncertain:
            who = f" (mottaker {line.recipient})" if line.recipient else ""
            out.append(f"Kroner {amount} settes foreløpig av til {label}{who}. Beløpet er "
                       "usikkert og avklares senere.")
        elif line.recipient:
            out.append(f"Kroner {amount} tildeles {line.recipient} ({label}).")
        elif line.line_id == COORDINATION_LINE:
            out.append(f"Kroner {amount} tildeles {label}. Koordineringen er med i beløpene "
                       "til nettverkene under b).")
        else:
            out.append(f"Kroner {amount} tildeles {label}.")
    return out


def _part_b(outcome: Outcome) -> list[str]:
    s = outcome.summary
    setup = outcome.data.setup
    st = outcome.settlement
    n = len(s.networks)
    whom = "det ene kompetansenettverket" if n == 1 else f"de {n} kompetansenettverkene"
    how = (f"et grunntilskudd på kroner {kr(s.base_grant)} per nettverk og resten fordelt etter "
           f"{setup.key_label}" if s.base_grant else f"fordelt etter {setup.key_label}")
    out = ["b) Partnerskapene",
           f"Kroner {kr(s.pool)} er satt av til partnerskapene som forhåndsrammer til {whom}: "
           f"{how}. Innstillingen per nettverk (beløpene inkluderer koordinering):"]
    rows = {r.network: r for r in s.networks}
    if not any(ns.decision is not None for ns in st.networks):
        for r in s.networks:
            out.append(f"– {r.network}: ramme kroner {kr(r.frame_incl)} inkludert koordinering "
                       f"kroner {kr(r.coordination)}. Innstillingen er ikke fylt ut ennå.")
        return out
    for ns in st.networks:
        row = rows[ns.network]
        if ns.decision is None:
            out.append(f"– {ns.network}: ingen innstilling ennå.")
            continue
        if ns.rejected:
            text = f"– {ns.network}: avslås."
        else:
            word = "innstilles delvis" if ns.decision is Decision.PARTLY else "innstilles"
            text = (f"– {ns.network}: {word} med kroner {kr(ns.recommended)} inkludert "
                    f"koordinering kroner {kr(row.coordination)}")
            if ns.requested is not None and ns.adjustment:
                text += f" (meldt behov kroner {kr(ns.requested)})"
            text += "."
        if ns.remark:
            text += f" Merknad: {_sentence(ns.remark)}"
        if ns.held:
            text += f" Vilkår for utbetaling: {_sentence(ns.condition)}"
        out.append(text)
    out.append(f"Samlet utgjør denne delen av innstillingen {kr(st.recommended_total)} kroner, "
               "under forutsetning av at merknadene følges opp.")
    held = [ns for ns in st.networks if ns.held]
    if held:
        names = _and([f"kroner {kr(ns.recommended)} til {ns.network}" for ns in held])
        out.append(f"Av dette holdes {names} tilbake til vilkåret er oppfylt.")
    return out


def _recipients(outcome: Outcome) -> list[str]:
    st = outcome.settlement
    if not any(ns.decision is not None for ns in st.networks):
        return []
    out = ["Fordeling per mottaker (innstilte beløp fordelt etter nettverkenes "
           "beslutningsgrunnlag, og direktetildelinger fra budsjettet):"]
    for r in st.recipients:
        if r.kind == NETWORK:
            continue
        text = f"– {r.recipient}: kroner {kr(r.amount)}"
        direct = sum(p.amount for p in r.parts if p.source not in
                     {ns.network for ns in st.networks} and not p.uncertain)
        notes = []
        if direct:
            notes.append(f"herav kroner {kr(direct)} i direktetildeling")
        if r.held:
            notes.append(f"herav kroner {kr(r.held)} holdt tilbake til vilkåret er oppfylt")
        if notes:
            text += f" ({'; '.join(notes)})"
        out.append(text + ".")
    own_req = sum(ns.own_requested for ns in st.networks if ns.recommended)
    adjusted = [ns for ns in st.networks if ns.recommended and ns.adjustment
                and not ns.overridden]
    text = (f"Nettverkene disponerer selv kroner {kr(st.own_total)} til egne tiltak og "
            f"koordinering")
    if adjusted:
        text += (f": kroner {kr(own_req)} etter beslutningsgrunnlagene, justert med forskjellen "
                 "mellom innstilt beløp og meldt behov (" +
                 _and([f"{ns.network} {_signed(ns.adjustment)}" for ns in adjusted]) + ")")
    out.append(text + ".")
    overridden = [ns.network for ns in st.networks if ns.overridden]
    if overridden:
        out.append(f"For {_and(overridden)} er fordelingen mellom nettverket og UH satt av "
                   "sekretariatet (kolonnen «Til nettverket» på arket Innstilling).")
    return out


def _rest(outcome: Outcome) -> list[str]:
    rest = outcome.rest
    if rest is None:
        return []
    uncertain = [b for b in outcome.summary.budget.lines if b.uncertain]
    out = []
    if rest.decided and rest.after == rest.before:
        text = (f"Udisponerte midler er kroner {kr(rest.before)} både før møtet (tildelt beløp "
                "minus faste poster) og etter innstillingen.")
        after = rest.after
    elif rest.decided:
        text = (f"Udisponerte midler var kroner {kr(rest.before)} før møtet (tildelt beløp "
                f"minus faste poster) og er kroner {kr(rest.after)} etter innstillingen.")
        after = rest.after
    else:
        text = f"Udisponerte midler er kroner {kr(rest.before)} (tildelt beløp minus faste poster)."
        after = rest.before
    out.append(text)
    if uncertain:
        names = _and([f"«{b.label}» (kroner {kr(b.amount)})" for b in uncertain])
        one = len(uncertain) == 1
        out.append(f"{'Usikker post' if one else 'Usikre poster'}: {names}. Brukes også "
                   f"{'den' if one else 'disse'}, er udisponerte midler kroner "
                   f"{kr(after - rest.uncertain)}.")
    if after < 0:
        out.append(f"Budsjettet overstiger tildelt beløp med kroner {kr(-after)} og må justeres "
                   "før vedtak.")
        return out
    if after == 0 or not rest.shares:
        return out
    n = len(rest.shares)
    who = "nettverkene som er nevnt i oppsettet" if rest.named else "nettverkene som er innstilt"
    low, high = min(rest.shares.values()), max(rest.shares.values())
    text = (f"Restmidlene på kroner {kr(rest.to_split)} foreslås fordelt likt på de {n} "
            f"{who}")
    extra = rest.extra
    lows = [k for k, v in rest.shares.items() if v == low]
    if not extra:
        text += f": kroner {kr(low)} til hvert"
    elif len(extra) > len(lows):
        text += (f": kroner {kr(high)} til hvert nettverk unntatt {_and(lows)}, som får kroner "
                 f"{kr(low)}, slik at summen går opp (største-rest-metoden)")
    else:
        text += (f": kroner {kr(low)} til hvert nettverk unntatt {_and(extra)}, som får kroner "
                 f"{kr(high)}, slik at summen går opp (største-rest-metoden)")
    out.append(text + ". Samarbeidsforum disponerer restmidlene i neste møte.")
    return out
