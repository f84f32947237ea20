"""The Excel doors: xlwings scripts (buttons) and custom functions. Thin: each button is one
operation of :mod:`dekom_xl.app.ops`, pressed through :func:`dekom_xl.app.button.press`.

- ``run_main(book)``: the one button (xlwings add-in *Run main*, xlwings Lite): collects the
  decision bases when the folder named on Oppsett holds any (desktop), otherwise regenerates
  the tool sheets from the tables and pasted decision-base sheets (:func:`ops.update`).
- ``beregn_rammer(book)`` and ``oppdater_sammendrag(book)`` are ``@script``s: xlwings Lite
  shows them in its task pane and binds them to sheet buttons; both regenerate every tool
  sheet (:func:`ops.frames`).
- ``hent_beslutningsgrunnlag(book)`` (desktop Excel) collects the decision bases from the
  folder named on Oppsett next to the workbook (:func:`ops.collect`); a missing folder is
  refused as on the command line.
- ``skriv_tildelingsbrev(book)`` (desktop Excel) writes one allocation letter per recipient
  into ``brev/`` beside the workbook (:func:`decision_out.letters_button`); without the
  optional docxtpl it says so in bokmål.
- ``nytt_ar(book)`` (desktop Excel) writes next year's allocation workbook beside this one
  (:func:`newyear.new_year_button`, as ``dekom-xl new-year``); an existing file is refused.
- ``@func`` custom functions: ``DEKOM_RAMMER``, ``DEKOM_FORDEL``, ``DEKOM_LIKT``,
  ``DEKOM_BELOP``.

Nothing raises into Excel: a button shows a short bokmål message (``book.app.alert``) for a
refusal or a failure and writes problems in the data to ``Kontroll`` like the command line;
a custom function returns a bokmål error text in the cell. Each button returns the
:class:`~dekom_xl.core.engine.Outcome`, or None when it did not run.
"""

from __future__ import annotations

import os
import sys

import xlwings as xw
from xlwings import script  # real in xlwings Lite; a marker elsewhere (plain call)

from dekom_xl.app import decision_out, newyear, ops
from dekom_xl.app.button import press, press_async
from dekom_xl.core.allocation import AllocationError, equal_split, frames, largest_remainder
from dekom_xl.core.engine import Outcome
from dekom_xl.core.money import parse_amount

if os.environ.get("XLWINGS_LICENSE_KEY") and sys.platform.startswith("linux"):
    # xlwings Server / remote engine: decorators that record conversion metadata.
    from xlwings.server import arg, func, ret
else:  # desktop Excel (Windows/macOS) and xlwings Lite (Pyodide)
    from xlwings import arg, func, ret


# -- what the buttons do (plain functions: safe to call from any runtime) ---------------------
def run_main(book: xw.Book) -> Outcome | None:
    """The one button: collect from the folder on Oppsett if it holds workbooks, regenerate."""
    return press(book, ops.update)


def rammer(book: xw.Book) -> Outcome | None:
    """Recompute frames and every tool sheet in ``book``."""
    return press(book, ops.frames)


def sammendrag(book: xw.Book) -> Outcome | None:
    """Regenerate the tool sheets from the tables and pasted decision-base sheets."""
    return press(book, ops.frames)


async def oppdater_sammendrag_lite(book: xw.Book) -> Outcome | None:
    """xlwings Lite (``@script async def``): like ``sammendrag``, and first reads hidden
    rows, formulas without a value and merged cells with Lite's asynchronous getters, so the
    button makes the same checks as the command line."""
    return await press_async(book, ops.frames)


def hent_beslutningsgrunnlag(book: xw.Book) -> Outcome | None:
    """Hent beslutningsgrunnlag fra mappen på Oppsett (ved siden av arbeidsboken) — desktop."""
    return press(book, lambda wb: ops.collect(wb, progress=False))


def skriv_tildelingsbrev(book: xw.Book) -> Outcome | None:
    """Skriv tildelingsbrev (.docx) i mappen «brev» ved siden av arbeidsboken — desktop."""
    return decision_out.letters_button(book)


def nytt_ar(book: xw.Book) -> Outcome | None:
    """Lag neste års arbeidsbok ved siden av denne (som «dekom-xl new-year») — desktop."""
    return newyear.new_year_button(book)


# -- scripts (buttons) ---------------------------------------------------------------------
# Where ``script`` is live (xlwings Lite/Server) it wraps the function for the runtime, so
# other code (the VBA buttons, xlwings Lite's main.py) calls the plain functions above.
@script
def beregn_rammer(book: xw.Book) -> Outcome | None:
    """Beregn rammer: grunntilskudd + resten etter nøkkel, og lag verktøyarkene på nytt."""
    return rammer(book)


@script
def oppdater_sammendrag(book: xw.Book) -> Outcome | None:
    """Oppdater sammendrag: les tabellene og innlimte beslutningsgrunnlag, kontroller, og lag
    Rammer, Beslutningsgrunnlag, Sammendrag, Kontroll og Vedtak på nytt."""
    return sammendrag(book)


# -- for RunPython from the VBA buttons (desktop Excel) --------------------------------------
def knapp_beregn_rammer() -> None:
    """Called by the VBA button «Beregn rammer»."""
    rammer(xw.Book.caller())


def knapp_hent_beslutningsgrunnlag() -> None:
    """Called by the VBA button «Hent beslutningsgrunnlag»."""
    hent_beslutningsgrunnlag(xw.Book.caller())


def knapp_oppdater_sammendrag() -> None:
    """Called by the VBA button «Oppdater sammendrag»."""
    sammendrag(xw.Book.caller())


def knapp_skriv_tildelingsbrev() -> None:
    """Called by the VBA button «Skriv tildelingsbrev»."""
    skriv_tildelingsbrev(xw.Book.caller())


def knapp_nytt_ar() -> None:
    """Called by the VBA button «Nytt år»."""
    nytt_ar(xw.Book.caller())


# -- custom functions -----------------------------------------------------------------------
def _key(value, row: int) -> int | float:
    """A key figure from a cell: a number, or text that reads as one («1 234,5»)."""
    if value is None or value == "":
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"Nøkkeltallet i rad {row} («{value}») er ikke et tall. Velg én "
                         "kolonne med tall, eller to kolonner: navn og tall.") from None


def _names_and_keys(keys) -> dict[str, object]:
    """A key range: one column of numbers (named 1, 2, …) or two columns (name, number)."""
    rows = keys if isinstance(keys, list) else [keys]
    rows = [r if isinstance(r, list) else [r] for r in rows]
    out: dict[str, object] = {}
    for i, r in enumerate(rows, start=1):
        if len(r) >= 2:
            name, value = str(r[0]), r[1]
        else:
            name, value = f"{i:06d}", r[0]  # ties then go to the earlier row
        out[name if name not in out else f"{name} ({i})"] = _key(value, i)
    return out


def _whole(x, what: str) -> int:
    parsed = parse_amount(x)
    if parsed.code:
        raise AllocationError(parsed.code, what=what, found=parsed.found)
    if parsed.value is None:
        raise AllocationError("amount-missing", what=what)
    return parsed.value


@func
@arg("nokkel", ndim=2)
@ret(expand="table")
def dekom_rammer(pott, nokkel, grunntilskudd=0):
    """Rammer: grunntilskudd + resten av potten etter nøkkel, hele kroner, summen = potten.

    ``nokkel`` er én kolonne med nøkkeltall (eller navn og nøkkeltall). Gir én ramme per rad.
    """
    try:
        fr = frames(_whole(pott, "Potten"), _whole(grunntilskudd, "Grunntilskuddet"),
                    _names_and_keys(nokkel))
    except (AllocationError, ValueError) as err:
        return [[f"Feil: {err}"]]
    return [[f.frame] for f in fr.values()]


@func
@arg("vekter", ndim=2)
@ret(expand="table")
def dekom_fordel(belop, vekter):
    """Fordel et beløp etter vekter med største-rest-metoden (hele kroner, summen går opp)."""
    try:
        parts = largest_remainder(_whole(belop, "Beløpet"), _names_and_keys(vekter))
    except (AllocationError, ValueError) as err:
        return [[f"Feil: {err}"]]
    return [[v] for v in parts.values()]


@func
@ret(expand="table")
def dekom_likt(belop, antall):
    """Fordel et beløp likt på ``antall`` mottakere (hele kroner, summen går opp)."""
    try:
        n = int(antall)
    except (TypeError, ValueError):
        return [[f"Feil: Antallet («{antall}») må være et helt tall."]]
    try:
        parts = equal_split(_whole(belop, "Beløpet"), [f"{i:06d}" for i in range(1, n + 1)])
    except (AllocationError, ValueError, TypeError) as err:
        return [[f"Feil: {err}"]]
    return [[v] for v in parts.values()]


@func
def dekom_belop(tekst):
    """Tolk et beløp slik folk skriver det («kr 754 521», «1 660 100,-») → hele kroner,
    eller en feiltekst på bokmål («985 000?» gir en forklaring)."""
    parsed = parse_amount(tekst)
    if parsed.code:
        return f"Feil: {parsed.message}"
    return parsed.value if parsed.value is not None else ""
