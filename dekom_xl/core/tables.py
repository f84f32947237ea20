"""Raw tables as read from a workbook, before any parsing, and the table schemas.

A :class:`RawTable` is what an I/O adapter hands the core: the values of one Excel
Table (or of a block found by its header), with enough position information to name
the cell of every value. Columns are found by their header text (folded), so a user
who reorders columns is still read correctly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from dekom_xl.core.cells import a1
from dekom_xl.core.model import Problem
from dekom_xl.core.names import fold
from dekom_xl.core.problems import problem


@dataclass
class RawTable:
    """The values of one table, exactly as found, with their positions.

    ``first_row``/``first_col`` are the 1-based Excel row and column of the first data
    cell; ``row_numbers`` gives each data row's Excel row when rows are not contiguous.
    """

    name: str
    sheet: str
    columns: list[str]
    rows: list[list[object]]
    first_row: int
    first_col: int
    file: str | None = None
    row_numbers: list[int] | None = None
    hidden_rows: set[int] = field(default_factory=set)
    formula_cells: dict[str, str] = field(default_factory=dict)  # A1 → formula without value
    formulas: dict[str, str] = field(default_factory=dict)  # A1 → every formula in the rows
    merged: list[str] = field(default_factory=list)  # merged ranges overlapping the table (A1:B2)

    _index: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)
    _index_of: list[str] | None = field(default=None, init=False, repr=False, compare=False)

    def column_index(self, header: str) -> int | None:
        """Position of the column whose header folds to ``header`` (None when missing)."""
        if self._index is None or self._index_of != self.columns:  # made again if they change
            index: dict[str, int] = {}
            for i, col in enumerate(self.columns):
                index.setdefault(_norm(col), i)
            self._index, self._index_of = index, list(self.columns)
        return self._index.get(_norm(header))

    def excel_row(self, i: int) -> int:
        """The Excel row (1-based) of data row ``i`` (0-based)."""
        if self.row_numbers is not None:
            return self.row_numbers[i]
        return self.first_row + i

    def cell(self, i: int, header: str) -> str | None:
        """A1 address of data row ``i`` in the column named ``header``."""
        j = self.column_index(header)
        if j is None:
            return None
        return a1(self.excel_row(i), self.first_col + j)

    @property
    def header_cell(self) -> str:
        return a1(self.first_row - 1, self.first_col)

    def value(self, i: int, header: str) -> object:
        j = self.column_index(header)
        if j is None:
            return None
        row = self.rows[i]
        return row[j] if j < len(row) else None

    def is_blank(self, i: int) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.rows[i])


def _norm(header: object) -> str:
    return _norm_text(str(header or ""))


@lru_cache(maxsize=4096)
def _norm_text(header: str) -> str:
    """Folded header text; cached: a collect folds the same few headers ~300 000 times."""
    return " ".join(fold(header).replace("\n", " ").split())


# --- The schemas (contract with product.md) -----------------------------------------------

BUDGET = "Budsjett"
BUDGET_COLUMNS = ["Kode", "Post", "Beløp", "Status", "Merknad", "Mottaker"]

NETWORKS = "Nettverk"
NETWORK_COLUMNS = ["Nettverk", "Kortnavn", "Nøkkeltall", "Koordinering", "Vedtatt ramme", "Alias",
                   "Organisasjonsnummer"]

UNIVERSITIES = "UH"
UNIVERSITY_COLUMNS = ["UH-institusjon", "Alias", "Organisasjonsnummer"]

RECOMMENDATIONS = "Innstilling"
RECOMMENDATION_COLUMNS = ["Nettverk", "Vedtak", "Beløp", "Merknad", "Vilkår", "Til nettverket"]

MEASURES = "Tiltak"  # in each decision-base template
MEASURE_COLUMNS = ["Tiltak", "Kostnad nettverk", "Kostnad UH", "UH-institusjon", "Merknad"]

LINES = "Tiltakslinjer"  # consolidated on Beslutningsgrunnlag
LINE_COLUMNS = [
    "Nettverk", "Tiltak", "Kostnad nettverk", "Kostnad UH", "UH-institusjon", "Merknad",
    "Fil", "Ark", "Celle",
]

SUBMISSIONS = "Innmeldinger"  # one row per decision basis, on Beslutningsgrunnlag
SUBMISSION_COLUMNS = [
    "Nettverk", "Koordinering", "Ubrukt nettverk", "Ubrukt UH", "Meldt behov", "Fil", "Ark",
    "Celle", "Ramme i malen", "Koordinering i malen",
]

# Defined names on Oppsett (allocation workbook).
N_YEAR = "dekom_ar"
N_SCHEME = "dekom_ordning"
N_GRANT = "dekom_tildelt"
N_BASE = "dekom_grunntilskudd"
N_KEY = "dekom_nokkel"
N_FOLDER = "dekom_mappe"
N_REST = "dekom_restmidler"  # who shares the restmidler (Innstilling sheet)
N_SENDER = "dekom_avsender"
N_REFERENCE = "dekom_referanse"
N_LEGAL = "dekom_hjemmel"
N_KIND = "dekom_type"  # "fordeling" in the allocation workbook, "beslutningsgrunnlag" in templates

# Defined names in the decision-base template.
N_NETWORK = "dekom_nettverk"
N_FRAME = "dekom_ramme"  # the frame the template was made with ("sent")
N_COORDINATION_SENT = "dekom_koordinering_maks"  # the coordination maximum it was made with
N_COORDINATION = "dekom_koordinering"
N_UNSPENT_NETWORK = "dekom_ubrukt_nettverk"
N_UNSPENT_UH = "dekom_ubrukt_uh"
N_VERSION = "dekom_malversjon"
CRITERIA = "abcdefghij"
N_ANSWER = "dekom_svar_{}"  # dekom_svar_a … dekom_svar_j

KIND_ALLOCATION = "fordeling"
KIND_TEMPLATE = "beslutningsgrunnlag"


X = TypeVar("X")


def pick_name(names: Iterable[tuple[str, str | None, X]], wanted: str, sheet: str | None
              ) -> X | None:
    """The target of the defined name ``wanted`` (any case) among ``(name, scope, target)``.

    With a ``sheet``, only the name scoped to that sheet (None when there is none); without
    one, the workbook-level name, else the first of that name.
    """
    fallback = None
    for name, scope, target in names:
        if name.casefold() != wanted.casefold():
            continue
        if scope == sheet:
            return target
        if fallback is None:
            fallback = target
    return fallback if sheet is None else None


def names_on(names: Iterable[tuple[str, str | None, X]], sheet: str,
             sheet_of: Callable[[X], str | None]) -> dict[str, X]:
    """The ``dekom_`` names (lower case) whose cell is on ``sheet``; a name scoped to that
    sheet wins over a workbook-level one of the same name."""
    out: dict[str, X] = {}
    for name, scope, target in names:
        key = name.lower()
        if not key.startswith("dekom_") or sheet_of(target) != sheet:
            continue
        if scope == sheet or key not in out:
            out[key] = target
    return out


def wrong_kind(file: str, found: str | None, wanted: str) -> Problem | None:
    """The problem when a workbook of kind ``found`` (its ``dekom_type``) is not ``wanted``.

    One refusal for both doors: the command line and the buttons say the same.
    """
    if found == wanted:
        return None
    if wanted == KIND_ALLOCATION:
        kind = ("et beslutningsgrunnlag (en mal fra et nettverk)" if found == KIND_TEMPLATE
                else "ikke en fordelingsarbeidsbok fra dekom-xl")
        return problem("not-allocation-workbook", file=file, kind=kind)
    kind = ("fordelingsarbeidsboken" if found == KIND_ALLOCATION
            else "en annen arbeidsbok enn malen fra dekom-xl")
    return problem("file-other", file=file, kind=kind)

TEMPLATE_VERSION = 1

# Sheets
S_SETUP = "Oppsett"
S_NETWORKS = "Nettverk"
S_RECOMMENDATIONS = "Innstilling"
S_FRAMES = "Rammer"
S_LINES = "Beslutningsgrunnlag"
S_SUMMARY = "Sammendrag"
S_CHECK = "Kontroll"
S_DECISION = "Vedtak"
S_PAYMENTS = "Utbetaling"
S_SCENARIOS = "Scenarier"  # user sheet with the table Modeller (optional: old workbooks lack it)
S_MODEL_FRAMES = "Modellrammer"  # tool sheet: frames per model, written when Modeller exists
MODELS = "Modeller"
USER_SHEETS = (S_SETUP, S_NETWORKS, S_RECOMMENDATIONS)
TOOL_SHEETS = (S_FRAMES, S_LINES, S_SUMMARY, S_CHECK, S_DECISION, S_PAYMENTS, S_MODEL_FRAMES)
TEMPLATE_SHEET = "Behovsmelding"  # the sheet in each network's template
