"""What each allocation letter (tildelingsbrev) says: one merge context per recipient. Pure.

The Word template (``dekom_xl/templates/tildelingsbrev.docx``, docxtpl/Jinja fields) decides
the layout; this module decides the content, from the settlement, so the letters' amounts
(``amount``: what this recipient receives) sum to the settlement total.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from dekom_xl.core.decision import keep_amounts, kr  # amounts with non-breaking spaces (prose)
from dekom_xl.core.engine import Outcome
from dekom_xl.core.settlement import NETWORK

DEFAULT_SENDER = "Statsforvalteren i Trøndelag"
DEFAULT_BASIS = "forskrift om tilskudd til kompetanseutvikling i barnehage og skole"


def slug(name: str) -> str:
    """A file-name-safe name: ``Værnes-nettverket`` → ``vaernes_nettverket``."""
    text = name.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = text.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "mottaker"


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def letter_contexts(o: Outcome, today: dt.date | None = None) -> list[dict]:
    """One context per recipient (networks first, then UH), for the template's fields; none
    for a recipient that gets nothing because its network has no recommendation yet."""
    setup = o.data.setup
    st = o.settlement
    today = today or dt.date.today()
    orgs = {n.name: n.org_number for n in o.data.networks}
    orgs |= {u.name: u.org_number for u in o.data.universities}
    by_net = {ns.network: ns for ns in st.networks}
    rows = {r.network: r for r in o.summary.networks}
    common = {
        "sender": setup.sender or DEFAULT_SENDER,
        "date": today.strftime("%d.%m.%Y"),
        "reference": setup.reference or "",
        "scheme": setup.scheme,
        "year": setup.year,
        "legal_basis": _lower_first(setup.legal_basis or DEFAULT_BASIS),
        "report_by": f"1. mars {setup.year + 1}" if setup.year else "1. mars neste år",
    }
    out = []
    for r in st.recipients:
        ns = by_net.get(r.recipient)
        if r.amount == 0 and (ns is None or ns.decision is None):
            continue  # no recommendation yet: no letter saying «tildeles kroner 0»
        ctx = dict(common)
        ctx |= {"recipient": r.recipient, "org_number": orgs.get(r.recipient, ""),
                "is_network": r.kind == NETWORK, "amount": kr(r.amount),
                "amount_int": r.amount, "held": kr(r.held), "held_int": r.held,
                "payable": kr(r.payable), "payable_int": r.payable,
                "file": f"tildelingsbrev_{setup.year}_{slug(r.recipient)}.docx"}
        conditions = sorted({p.condition for p in r.parts if p.held and p.condition})
        ctx["conditions"] = conditions
        ctx["parts"] = [{"source": p.source, "amount": kr(p.amount),
                         "held": p.held, "uncertain": p.uncertain}
                        for p in r.parts if p.amount and not p.uncertain]
        ctx["rejected"] = bool(ns and ns.rejected)
        if ns is not None:
            row = rows.get(ns.network)
            ctx |= {
                "decision": ns.decision.value if ns.decision else "",
                "recommended": kr(ns.recommended),
                "coordination": kr(row.coordination) if row else "0",
                "requested": kr(ns.requested) if ns.requested is not None else "",
                "own": kr(ns.own),
                "uh_split": [{"uh": uh, "amount": kr(a)} for uh, a in ns.uh if a],
                "remark": keep_amounts(ns.remark or ""),
            }
        else:
            ctx |= {"decision": "", "recommended": "", "coordination": "", "requested": "",
                    "own": "", "uh_split": [], "remark": ""}
        ctx["summary"] = _summary(ctx)
        out.append(ctx)
    return out


def _summary(ctx: dict) -> str:
    """The letter's one-sentence decision."""
    who = ctx["recipient"]
    scheme = f"{ctx['scheme']} {ctx['year']}".strip()
    if ctx["rejected"]:
        return f"Søknaden fra {who} om midler fra {scheme} er avslått."
    return f"{who} tildeles kroner {ctx['amount']} fra {scheme}."
