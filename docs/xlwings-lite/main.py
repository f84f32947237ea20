"""main.py for xlwings Lite: paste this into the xlwings Lite editor of the allocation workbook.

Everything delegates to dekom_xl (listed in requirements.txt); nothing is computed here.
Both buttons are ``async`` scripts (xlwings Lite awaits them): they call
``dekom_xl.xl.oppdater_sammendrag_lite``, which first reads hidden rows, formulas without a
value and merged cells with Lite's asynchronous getters, so a button checks what
``dekom-xl collect`` checks, and then regenerates every tool sheet. In xlwings Lite the
``@script`` decorator wraps a function for the runtime, so only the scripts here are wrapped.
Sheet buttons: draw a shape on Oppsett, name it (e.g. ``knapp_sammendrag``), and give it a
hyperlink to the cell named in ``button=`` (see "Running a script via sheet button" in the
xlwings Lite docs); they only respond once xlwings Lite has started for the workbook (set
Settings > Workbook > Startup Behavior to autostart).
Custom functions take key ranges with ``ndim=2`` so a one-row range stays a row.
"""

import xlwings as xw
from xlwings import arg, func, ret, script

from dekom_xl import xl as dekom
from dekom_xl.core.layout import button


@script(button=button("BeregnRammer").lite)
async def beregn_rammer(book: xw.Book):
    """Beregn rammer og lag verktøyarkene på nytt."""
    await dekom.oppdater_sammendrag_lite(book)


@script(button=button("OppdaterSammendrag").lite)
async def oppdater_sammendrag(book: xw.Book):
    """Les tabellene og innlimte beslutningsgrunnlag, kontroller og lag sammendraget på nytt."""
    await dekom.oppdater_sammendrag_lite(book)


@func
def dekom_belop(tekst):
    """Tolk et beløp («kr 754 521») til hele kroner, eller gi en feiltekst."""
    return dekom.dekom_belop(tekst)


@func
@ret(expand="table")
def dekom_likt(belop, antall):
    """Fordel et beløp likt (hele kroner, summen går opp)."""
    return dekom.dekom_likt(belop, antall)


@func
@arg("nokkel", ndim=2)
@ret(expand="table")
def dekom_rammer(pott, nokkel, grunntilskudd=0):
    """Rammer: grunntilskudd + resten etter nøkkel (én ramme per rad)."""
    return dekom.dekom_rammer(pott, nokkel, grunntilskudd)


@func
@arg("vekter", ndim=2)
@ret(expand="table")
def dekom_fordel(belop, vekter):
    """Fordel et beløp etter vekter med største-rest-metoden."""
    return dekom.dekom_fordel(belop, vekter)
