"""After the meeting: the allocation letters and the payment list from the workbook.

Both read the workbook (nothing is written to it), evaluate it, and write nothing when the
settlement has an error (money to an unknown recipient): the caller reports the problems.
"""

from __future__ import annotations

from pathlib import Path

from dekom_xl.adapters.files import FileProblem, open_workbook
from dekom_xl.adapters.letters import LettersUnavailable, write_letters, write_payments
from dekom_xl.app.workbook import read_allocation
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.problems import problem


def _outcome(path: Path) -> Outcome:
    return evaluate(read_allocation(open_workbook(path, kind=T.KIND_ALLOCATION)))


def letters(path: Path, out_dir: Path, template: Path | None = None
            ) -> tuple[Outcome, list[Path]]:
    """One .docx letter per recipient into ``out_dir`` (none when the settlement is blocked)."""
    outcome = _outcome(Path(path))
    if outcome.settlement.blocked:
        return outcome, []
    try:
        return outcome, write_letters(outcome, Path(out_dir), template)
    except LettersUnavailable:
        raise FileProblem(problem("letters-unavailable")) from None


def payment_list(path: Path, out: Path) -> tuple[Outcome, Path | None]:
    """The payment list as .xlsx or .csv (none when the settlement is blocked)."""
    outcome = _outcome(Path(path))
    if outcome.settlement.blocked:
        return outcome, None
    return outcome, write_payments(outcome, Path(out))
