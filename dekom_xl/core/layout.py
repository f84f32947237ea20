"""The fixed cells of the two workbooks: the one place that says where things sit.

Everything else finds values by table name, defined name or header text; these are the few
anchors the builders place and the formulas, buttons and charts point at. Rows and columns
are 1-based like Excel's; the A1 text is made with :mod:`dekom_xl.core.cells`. Moving a
field means changing it here, and every formula, defined name and button follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from dekom_xl.core.cells import a1, col_letter, parse_a1, quote_sheet
from dekom_xl.core.tables import S_SETUP

# -- the allocation workbook, sheet Oppsett ---------------------------------------------------
SETUP_VALUE_COL = 2  # labels in A, values in B
SETUP_FIRST_ROW = 11  # the first field (År); the fields follow one per row
SETUP_GRANT_ROW = SETUP_FIRST_ROW + 2  # Tildelt beløp, the third field
BUDGET_CHECKS_TITLE_ROW = 18  # "Kontroll av budsjettet", then one live check per row:
BUDGET_CHECKS_ROW = 19  # sum fixed, sum uncertain, unallocated, unallocated if uncertain
BUDGET_HEADER_ROW = 25  # the header of the Budsjett table
BUDGET_STATUS_COL = 4  # the Status column of the Budsjett table (D)
BUTTON_COL = 4  # the buttons sit in column D, beside the fields


def setup_value(row: int) -> str:
    """The value cell of the field in ``row`` on Oppsett: ``B11``."""
    return a1(row, SETUP_VALUE_COL)


def absolute(ref: str) -> str:
    """``B13`` → ``$B$13``."""
    row, col = parse_a1(ref)
    return f"${col_letter(col)}${row}"


GRANT = setup_value(SETUP_GRANT_ROW)  # B13
SUM_FIXED = setup_value(BUDGET_CHECKS_ROW)  # B19
SUM_UNCERTAIN = setup_value(BUDGET_CHECKS_ROW + 1)  # B20
UNALLOCATED = setup_value(BUDGET_CHECKS_ROW + 2)  # B21
UNALLOCATED_IF_UNCERTAIN = setup_value(BUDGET_CHECKS_ROW + 3)  # B22


@dataclass(frozen=True)
class Button:
    """A button on Oppsett: its cell, caption, the VBA sub it runs and its xlwings Lite shape."""

    row: int
    caption: str
    macro: str
    shape: str | None = None  # the shape name of the Lite button (None: desktop only)

    @property
    def cell(self) -> str:
        return a1(self.row, BUTTON_COL)

    @property
    def lite(self) -> str:
        """The ``button=`` of xlwings Lite's ``@script``: ``[knapp_rammer]Oppsett!D11``."""
        return f"[{self.shape}]{S_SETUP}!{self.cell}"


BUTTONS = (
    Button(11, "Beregn rammer", "BeregnRammer", "knapp_rammer"),
    Button(14, "Hent beslutningsgrunnlag", "HentBeslutningsgrunnlag"),
    Button(17, "Oppdater sammendrag", "OppdaterSammendrag", "knapp_sammendrag"),
    Button(21, "Skriv tildelingsbrev", "SkrivTildelingsbrev"),  # desktop: files beside the book
    Button(23, "Nytt år", "NyttAr"),  # desktop: next year's workbook beside this one
)


def button(macro: str) -> Button:
    """The button that runs ``macro``."""
    return next(b for b in BUTTONS if b.macro == macro)


# -- the decision-base template (one sheet) -----------------------------------------------------
TEMPLATE_VALUE_COL = 2  # labels in A, values in B
TEMPLATE_HEAD_ROW = 4  # Nettverk, År, Ordning, Ramme, Koordinering (maksimum): rows 4–8
TEMPLATE_FRAME_ROW = TEMPLATE_HEAD_ROW + 3
TEMPLATE_COORDINATION_MAX_ROW = TEMPLATE_HEAD_ROW + 4
TEMPLATE_FRAME_INCL_ROW = 9  # Ramme inkl. koordinering
TEMPLATE_COORDINATION_ROW = 10  # planned coordination (input)
TEMPLATE_REQUESTED_ROW = 11  # Meldt behov
TEMPLATE_DISTANCE_ROW = 12  # Avstand til rammen, and its verdict in the next column
TEMPLATE_WARNING_ROW = 13  # the warning about text typed under the table (column A)
TEMPLATE_UNSPENT_ROW = 14  # the title "Ubrukte midler"; the two inputs follow
TEMPLATE_MARKER_COL = 5  # the kind and version markers: E4 and E5
TEMPLATE_KIND_ROW, TEMPLATE_VERSION_ROW = 4, 5
TABLE_HEADER_ROW = 31  # the Tiltak table is last on the sheet so it can grow downwards
TABLE_LAST_COL = 5  # Tiltak … Merknad: A–E
UH_LIST_COL = 8  # the hidden column H holds the UH list behind the drop-down
UH_LIST_ROW = 4  # its first name


def template_value(row: int) -> str:
    """The value cell of the template field in ``row``: ``B10``."""
    return a1(row, TEMPLATE_VALUE_COL)


def defined(sheet: str, ref: str) -> str:
    """The target of a defined name: ``='Beslutningsgrunnlag'!$B$10``."""
    return f"={quote_sheet(sheet)}!{absolute(ref)}"


# -- the tool sheets ----------------------------------------------------------------------------
CHART_COL = 5  # charts on Sammendrag sit beside the narrow tables, from column E
