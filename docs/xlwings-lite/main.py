"""main.py for xlwings Lite: paste this into the xlwings Lite editor of the allocation workbook.

Everything delegates to dekom_xl (listed in requirements.txt); nothing is computed here.
It calls dekom_xl's plain functions (``rammer``, ``sammendrag``): in xlwings Lite the
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
def beregn_rammer(book: xw.Book):
    """Beregn rammer og lag verktøyarkene på nytt."""
    dekom.rammer(book)


@script(button=button("OppdaterSammendrag").lite)
def oppdater_sammendrag(book: xw.Book):
    """Les tabellene og innlimte beslutningsgrunnlag, kontroller og lag sammendraget på nytt."""
    dekom.sammendrag(book)


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
