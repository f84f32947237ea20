"""Stable problem codes, their severities, and the bokmål title shown for each.

Tests and tools rely on the codes; never rename one. Add new codes at the end of a group.
"""

from __future__ import annotations

from dekom_xl.core.model import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # feil, advarsel, info (note)

CODES: dict[str, tuple[Severity, str]] = {
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
    "file-empty": (E, "Tom fil"),
    "file-not-xlsx": (E, "Ikke en Excel-fil"),
    "file-old-format": (E, "Gammelt filformat"),
    "file-encrypted": (E, "Passordbeskyttet fil"),
    "file-too-large": (E, "Filen er for stor"),
    "file-unsafe": (E, "Filen er avvist av sikkerhetshensyn"),
    "file-locked": (N, "Låsefil fra Excel hoppet over"),
    "file-other": (N, "Fil som ikke er et beslutningsgrunnlag"),
    "table-missing": (E, "Tabellen mangler"),
    "column-missing": (E, "Kolonne mangler"),
    "column-extra": (N, "Ekstra kolonne ignorert"),
    "merged-cells": (W, "Sammenslåtte celler i tabellen"),
    "hidden-row": (W, "Skjult rad i tabellen"),
    "template-old": (W, "Eldre malversjon"),
    "not-allocation-workbook": (E, "Ikke en fordelingsarbeidsbok"),
    "drawing-on-user-sheet": (E, "Diagram eller bilde på et brukerark"),
}


def severity(code: str) -> Severity:
    """The severity of a known code (unknown codes are errors, so they are not missed)."""
    return CODES.get(code, (Severity.ERROR, ""))[0]


def problem(code: str, message: str, *, network: str | None = None, where=None,
            file: str | None = None, sheet: str | None = None, cell: str | None = None):
    """A :class:`~dekom_xl.core.model.Problem` with the code's severity and a location."""
    from dekom_xl.core.model import Problem

    if where is not None:
        file = file if file is not None else where.file
        sheet = sheet if sheet is not None else where.sheet
        cell = cell if cell is not None else where.cell
    return Problem(code, severity(code), message, network, file, sheet, cell)
