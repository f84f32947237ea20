"""The domain model: plain, immutable records. Money is always ``int`` kroner.

Nothing here imports an Excel library; the I/O adapters build these records from
workbooks and the engine turns them into frames, problems and a summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dekom_xl.core.balances import Balance
    from dekom_xl.core.scenarios import ScenarioModel


class Severity(str, Enum):
    """How bad a problem is. The values are the bokmål words users see and JSON carries."""

    ERROR = "feil"
    WARNING = "advarsel"
    INFO = "info"


class Decision(str, Enum):
    """The forum's recommendation for a network's decision basis."""

    APPROVE = "innstilles"
    PARTLY = "delvis"
    REJECT = "avslås"


class Status(str, Enum):
    """Whether a budget line is certain (fast) or uncertain (usikker, red in the slides)."""

    FIXED = "fast"
    UNCERTAIN = "usikker"


@dataclass(frozen=True)
class Location:
    """Where a value came from: file, sheet and A1 cell (any may be unknown)."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None


NOWHERE = Location()


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about the data, with where it is.

    ``code`` is stable and meant for tests and tools; ``message`` is bokmål for people.
    """

    code: str
    severity: Severity
    message: str
    network: str | None = None
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def as_dict(self) -> dict:
        """The JSON shape of the CLI contract."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "network": self.network,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
        }


@dataclass(frozen=True)
class Setup:
    """The year's settings from ``Oppsett``."""

    year: int
    scheme: str
    grant: int
    base_grant: int
    key_label: str = "nøkkeltall"
    folder: str = "maler"


@dataclass(frozen=True)
class BudgetLine:
    """A line of the budget. ``line_id`` ``partnerships`` is the networks' pool."""

    line_id: str
    label: str
    amount: int
    status: Status = Status.FIXED
    note: str = ""
    where: Location = NOWHERE

    @property
    def uncertain(self) -> bool:
        return self.status is Status.UNCERTAIN


POOL_LINE = "partnerships"
COORDINATION_LINE = "coordination"


@dataclass(frozen=True)
class Network:
    """A competence network. ``key`` is the key figure (pupils, teacher FTEs)."""

    name: str
    short_name: str = ""
    key: Fraction = Fraction(0)
    coordination_max: int = 0
    frame_decided: int | None = None
    aliases: tuple[str, ...] = ()
    where: Location = NOWHERE


@dataclass(frozen=True)
class University:
    """A UH institution (university or university college) with its aliases."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostLine:
    """One cost line of a measure in a decision basis. ``uh`` is normalised when known."""

    network: str
    measure: str
    network_cost: int
    uh_cost: int
    uh: str = ""
    remark: str = ""
    where: Location = NOWHERE


@dataclass(frozen=True)
class Submission:
    """One network's decision basis (beslutningsgrunnlag) as read from a file or sheet."""

    network: str
    lines: tuple[CostLine, ...] = ()
    coordination: int | None = None
    unspent_network: int | None = None
    unspent_uh: int | None = None
    answers: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    where: Location = NOWHERE
    scheme: str | None = None  # the template's dekom_ordning (None in old templates)
    year_where: Location = NOWHERE  # the cells holding the year and the scheme
    scheme_where: Location = NOWHERE
    coordination_where: Location = NOWHERE  # the planned-coordination cell

    @property
    def requested(self) -> int:
        """Requested total: cost lines plus planned coordination."""
        return (
            sum(c.network_cost + c.uh_cost for c in self.lines) + (self.coordination or 0)
        )


@dataclass(frozen=True)
class Recommendation:
    """The forum's recommendation for one network (amount includes coordination)."""

    network: str
    decision: Decision | None
    amount: int | None
    remark: str = ""
    condition: str = ""
    where: Location = NOWHERE


@dataclass
class YearData:
    """Everything the engine needs for one year, as read from the workbook and files.

    ``problems`` holds what was found while reading (bad amounts, unreadable files).
    """

    setup: Setup
    budget: list[BudgetLine] = field(default_factory=list)
    networks: list[Network] = field(default_factory=list)
    universities: list[University] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    grant_where: Location = NOWHERE  # the county grant's cell, where budget problems point
    scenario_models: list[ScenarioModel] | None = None  # table Modeller (None: no such table)
    key_columns: dict[str, dict[str, Fraction]] = field(default_factory=dict)  # extra keys
    balances: list[Balance] | None = None  # table Saldo (None: no such table)
    reduction_rule: str = ""  # Oppsett, dekom_avkorting: whose unspent money reduces new money
    reduction_where: Location = NOWHERE
    municipalities: list[tuple[str, str, str]] | None = None  # Kommuner rows, for a new build

    @property
    def pool(self) -> int:
        return sum(b.amount for b in self.budget if b.line_id == POOL_LINE)


class Refused(Exception):
    """An input that cannot be used at all: nothing is written. ``problem`` says why (bokmål).

    Raised by the adapters and the application layer (a file that is not a workbook, the
    wrong workbook, a missing folder); both doors catch it and show ``problem`` the same way.
    """

    def __init__(self, prob: Problem):
        super().__init__(prob.message)
        self.problem = prob
