"""After the meeting: the allocation letters and the payment list from the workbook.

Both read the workbook (nothing is written to it), evaluate it, and write nothing when the
settlement has an error (money to an unknown recipient): the caller reports the problems.
:func:`letters_button` is the desktop button «Skriv tildelingsbrev»: the letters go into
``brev/`` beside the workbook, and a message box says how many and where.
"""

from __future__ import annotations

from pathlib import Path

from dekom_xl.adapters.files import FileProblem, open_workbook
from dekom_xl.adapters.letters import LettersUnavailable, write_letters, write_payments
from dekom_xl.app.ports import WorkbookIO
from dekom_xl.app.workbook import read_allocation
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import Refused
from dekom_xl.core.money import format_kr
from dekom_xl.core.problems import problem

LETTERS_DIR = "brev"  # beside the workbook, for the button


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


def letters_beside(wb: WorkbookIO, template: Path | None = None
                   ) -> tuple[Outcome, list[Path], Path]:
    """The letters into ``brev/`` beside the open workbook: (outcome, files, folder).

    Nothing is written to the workbook; without docxtpl the press is refused in bokmål."""
    folder = (wb.location() or Path.cwd()) / LETTERS_DIR
    outcome = evaluate(read_allocation(wb))
    if outcome.settlement.blocked:
        return outcome, [], folder
    try:
        return outcome, write_letters(outcome, folder, template), folder
    except LettersUnavailable:
        raise Refused(problem("letters-unavailable")) from None


def letters_message(outcome: Outcome, files: list[Path], folder: Path) -> str:
    """What the button says when it is done (bokmål)."""
    if outcome.settlement.blocked:
        errors = sum(p.severity.value == "feil" for p in outcome.settlement.problems)
        return (f"Ingen tildelingsbrev er skrevet: {errors} feil i fordelingen til mottakerne "
                "må rettes først. Trykk «Oppdater sammendrag» og se arket Kontroll.")
    total = format_kr(outcome.settlement.total, kr=True)
    return f"Skrev {len(files)} tildelingsbrev (til sammen {total}) i mappen {folder}."


def letters_button(book) -> Outcome | None:
    """The button «Skriv tildelingsbrev» on a live workbook (an ``xlwings.Book``)."""
    from dekom_xl.adapters.live import alert
    from dekom_xl.app.button import TITLE, press

    done: list[tuple[list[Path], Path]] = []

    def operation(wb: WorkbookIO) -> Outcome:
        outcome, files, folder = letters_beside(wb)
        done.append((files, folder))
        return outcome

    outcome = press(book, operation)
    if outcome is not None and done:
        alert(book, letters_message(outcome, *done[0]), TITLE)
    return outcome
