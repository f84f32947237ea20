"""The problem catalogue: every problem code, its severity, a short bokmål title and the
message template its message is made from; and the one formatter of a problem.

Tests and tools rely on the codes; never rename one. Each code means one thing. A problem is
always made through :func:`problem`::

    problem("over-frame", network="Fosen", where=loc, requested=kr(643_042), frame=kr(600_000))

fills the code's template from the keyword fields (``str.format`` style). Entries still given
as ``(severity, title)`` take their message from the caller (``message=``) until they are
moved to a template; new codes always get a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from dekom_xl.core.model import Location, Problem, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # feil, advarsel, info (note)


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: severity, short title, and the message template (bokmål)."""

    severity: Severity
    title: str
    template: str | None = None


CODES: dict[str, tuple[Severity, str] | Entry] = {
    # amounts (dekom_xl.core.money)
    "amount-uncertain": (E, "Beløp med spørsmålstegn"),
    "amount-approximate": (E, "Omtrentlig beløp"),
    "amount-negative": (E, "Negativt beløp"),
    "amount-ore": (E, "Beløp med øre"),
    "amount-excel-error": (E, "Feilverdi i beløpscelle"),
    "amount-not-number": (E, "Beløpet er ikke et tall"),
    "amount-formula-no-value": (W, "Formel uten beregnet verdi"),
    "amount-missing": (E, "Beløp mangler"),
    # setup and budget
    "setup-missing": (E, "Oppsett mangler en verdi"),
    "budget-over-grant": (E, "Budsjettet overstiger tildelt beløp"),
    "unallocated": (N, "Udisponerte midler"),
    "budget-uncertain": (N, "Usikre poster"),
    "budget-over-grant-uncertain": (W, "Budsjettet med usikre poster overstiger tildelt beløp"),
    "budget-status": (E, "Ukjent status på budsjettpost"),
    "pool-missing": (E, "Potten til partnerskapene mangler"),
    "pool-below-base": (E, "Potten er mindre enn grunntilskuddene"),
    "frames-not-pool": (E, "Rammene summerer ikke til potten"),
    "key-missing": (E, "Nøkkeltall mangler"),
    "key-negative": (E, "Negativt nøkkeltall"),
    # networks and names
    "network-missing-name": (E, "Nettverk uten navn"),
    "duplicate-network": (E, "Samme nettverk to ganger"),
    "unknown-network": (E, "Ukjent nettverk"),
    "ambiguous-network": (E, "Navnet passer på flere nettverk"),
    "unknown-uh": (W, "Ukjent UH-institusjon"),
    "uh-missing": (W, "UH-institusjon mangler"),
    # decision bases
    "over-frame": (W, "Over rammen"),
    "under-frame": (N, "Under rammen"),
    "coordination-over-max": (E, "Koordinering over maksimum"),
    "no-submission": (W, "Beslutningsgrunnlag mangler"),
    "duplicate-submission": (E, "To beslutningsgrunnlag for samme nettverk"),
    "wrong-year": (E, "Beslutningsgrunnlag for et annet år"),
    "measure-missing-name": (W, "Tiltak uten navn"),
    "unspent-money": (N, "Ubrukte midler fra tidligere år"),
    # recommendations
    "recommendation-over-frame": (W, "Innstilling over rammen uten merknad"),
    "recommendation-unknown-decision": (E, "Ukjent vedtak i innstillingen"),
    "recommendation-missing": (N, "Innstilling mangler"),
    # files (dekom_xl.adapters.files)
    "file-unreadable": (E, "Filen kan ikke leses"),
    "folder-missing": Entry(E, "Mappen finnes ikke",
        "Fant ikke mappen {path}. {fix}"),
    "file-empty": (E, "Tom fil"),
    "file-not-xlsx": (E, "Ikke en Excel-fil"),
    "file-old-format": (E, "Gammelt filformat"),
    "file-encrypted": (E, "Passordbeskyttet fil"),
    "file-too-large": (E, "Filen er for stor"),
    "file-unsafe": (E, "Filen er avvist av sikkerhetshensyn"),
    "file-locked": (N, "Låsefil fra Excel hoppet over"),
    "file-other": Entry(N, "Fil som ikke er et beslutningsgrunnlag",
        "{file} er {kind}, ikke et beslutningsgrunnlag, og er ikke lest."),
    "table-missing": (E, "Tabellen mangler"),
    "column-missing": (E, "Kolonne mangler"),
    "column-extra": (N, "Ekstra kolonne ignorert"),
    "merged-cells": Entry(W, "Sammenslåtte celler i tabellen",
        "Tabellen «{table}» har sammenslåtte celler ({ranges}). Bare verdien øverst til venstre "
        "i hver sammenslåing er lest. Opphev sammenslåingen og fyll inn hver celle."),
    "hidden-row": (W, "Skjult rad i tabellen"),
    "template-old": (W, "Eldre malversjon"),
    "not-allocation-workbook": Entry(E, "Ikke en fordelingsarbeidsbok",
        "{file} er {kind}. Oppgi fordelingsarbeidsboken (den med arkene Oppsett, Nettverk og "
        "Innstilling); ingenting er skrevet."),
    "drawing-on-user-sheet": (E, "Diagram eller bilde på et brukerark"),
}


def entry(code: str) -> Entry:
    """The catalogue entry of ``code`` (an unknown code is a bug: KeyError)."""
    e = CODES[code]
    return e if isinstance(e, Entry) else Entry(e[0], e[1])


def severity(code: str) -> Severity:
    """The severity of a known code."""
    return entry(code).severity


def problem(code: str, message: str | None = None, *, network: str | None = None,
            where: Location | None = None, file: str | None = None, sheet: str | None = None,
            cell: str | None = None, **fields: object) -> Problem:
    """A :class:`~dekom_xl.core.model.Problem` with the code's severity, message and location.

    The message is the code's template filled from ``fields`` (and ``network``); ``message``
    is only for entries that have no template yet.
    """
    e = entry(code)
    if where is not None:
        file = file if file is not None else where.file
        sheet = sheet if sheet is not None else where.sheet
        cell = cell if cell is not None else where.cell
    if e.template is not None:
        if message is not None:
            raise TypeError(f"{code} has a template: pass its fields, not a message")
        message = e.template.format(network=network, **({"file": file or "filen"} | fields))
    elif message is None:
        raise TypeError(f"{code} has no template: pass message=")
    return Problem(code, e.severity, message, network, file, sheet, cell)


def format_problem(p: Problem) -> str:
    """``fosen.xlsx: 'Behovsmelding'!C17: feil [amount-uncertain] (Fosen): Beløpet …``

    The one way a problem is shown as a line of text (command line, logs).
    """
    from dekom_xl.core.cells import where as place

    loc = place(p.file, p.sheet, p.cell)
    head = f"{loc}: " if loc else ""
    net = f" ({p.network})" if p.network and p.network not in p.message else ""
    return f"{head}{p.severity.value} [{p.code}]{net}: {p.message}"
