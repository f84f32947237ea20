"""The decision text (Vedtak) for the minutes, generated from the numbers, in bokmål.

Written in the style of the forum's minutes: "Kroner 1 300 000 tildeles koordinering i
kompetansenettverkene." One string per paragraph.
"""

from __future__ import annotations

from dekom_xl.core.engine import Outcome
from dekom_xl.core.model import POOL_LINE
from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.summary import OWN_USE


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def decision_paragraphs(outcome: Outcome) -> list[str]:
    """The decision text, one paragraph per item."""
    s = outcome.summary
    setup = outcome.data.setup
    b = s.budget
    out: list[str] = []
    scheme = f"{setup.scheme} {setup.year}".strip()
    out.append(f"Tildelt beløp for {scheme} er kroner {kr(b.grant)}.")
    out.append("Samarbeidsforum vedtar følgende fordeling:")
    for line in b.lines:
        label = _lower_first(line.label)
        if line.line_id == POOL_LINE:
            continue
        if line.amount == 0:
            out.append(f"Ingen nye midler settes av til {label} (kroner 0).")
        elif line.uncertain:
            out.append(f"Kroner {kr(line.amount)} settes foreløpig av til {label}. Beløpet er "
                       "usikkert og avklares senere.")
        else:
            out.append(f"Kroner {kr(line.amount)} tildeles {label}.")
    n = len(s.networks)
    out.append(
        f"Kroner {kr(s.pool)} tildeles partnerskapene som forhåndsrammer til de {n} "
        f"kompetansenettverkene: et grunntilskudd på kroner {kr(s.base_grant)} per nettverk og "
        f"resten fordelt etter {setup.key_label}.")
    for row in s.networks:
        decided = " (vedtatt ramme)" if row.frame_decided is not None else ""
        out.append(f"– {row.network}: kroner {kr(row.frame)}{decided}, inkludert koordinering "
                   f"kroner {kr(row.frame_incl)}.")
    uh_rows = [r for r in s.recipients if r.recipient != OWN_USE]
    if uh_rows:
        parts = [f"kroner {kr(r.amount)} til {r.recipient}" for r in uh_rows]
        text = ", ".join(parts[:-1]) + (" og " if len(parts) > 1 else "") + parts[-1]
        out.append(f"Av nettverkenes meldte behov går {text}.")
    own = next((r for r in s.recipients if r.recipient == OWN_USE), None)
    if own is not None:
        out.append(f"Nettverkene disponerer selv kroner {kr(own.amount)}: kroner "
                   f"{kr(own.own_costs)} til egne tiltak og kroner {kr(own.coordination)} til "
                   "koordinering.")
    if b.unallocated > 0:
        shares = sorted({r.rest_share for r in s.networks}, reverse=True)
        text = (f"Udisponerte midler på kroner {kr(b.unallocated)} foreslås fordelt likt på de "
                f"{n} kompetansenettverkene")
        if len(shares) == 1 and n:
            text += f", kroner {kr(shares[0])} til hvert nettverk"
        elif shares:
            low = [r.network for r in s.networks if r.rest_share == shares[-1]]
            text += (f", kroner {kr(shares[0])} til hvert nettverk og kroner {kr(shares[-1])} til "
                     f"{' og '.join(low)} (største-rest-metoden, slik at summen går opp)")
        text += ". Fordelingen vedtas i et senere møte."
        out.append(text)
        if b.uncertain:
            out.append(f"Blir de usikre postene på kroner {kr(b.uncertain)} stående, er de "
                       f"udisponerte midlene kroner {kr(b.unallocated_if_uncertain)}.")
    elif b.unallocated < 0:
        out.append(f"Budsjettet overstiger tildelt beløp med kroner {kr(-b.unallocated)} og må "
                   "justeres før vedtak.")
    return out
