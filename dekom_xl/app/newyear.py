"""``dekom-xl new-year OLD NEW --year Y``: next year's allocation workbook from last year's.

Carries the networks (names, short names, aliases, coordination maxima), the UH institutions,
the key names and columns, the models on ``Scenarier``, and the long-term plan's fixed budget
lines (marked "sjekk beløpet"); every key figure is marked "skal oppdateres"; the grant is
left empty; last year's balances come forward to ``Saldo``. The old workbook is only read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation
from dekom_xl.adapters.files import open_workbook
from dekom_xl.app.ports import WorkbookIO
from dekom_xl.app.workbook import read_allocation, regenerate
from dekom_xl.core import tables as T
from dekom_xl.core.balances import Balance, carried_forward
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.layout import SETUP_FIRST_ROW, setup_value
from dekom_xl.core.model import POOL_LINE, BudgetLine, Location, Refused, Status, YearData
from dekom_xl.core.money import format_kr
from dekom_xl.core.names import fold
from dekom_xl.core.problems import problem

PLAN = "langsiktig plan"


@dataclass
class NewYear:
    path: Path
    old_year: int
    outcome: Outcome  # the new workbook's first evaluation (errors until it is filled in)
    networks: int
    budget_lines: list[BudgetLine]
    balances: list[Balance]
    year: int  # the new workbook's


def carried_budget(data: YearData) -> list[BudgetLine]:
    """The long-term plan's fixed lines and the networks' pool, each marked "sjekk beløpet"."""
    y = data.setup.year
    out = []
    for b in data.budget:
        planned = PLAN in fold(f"{b.label} {b.note}")
        if b.status is Status.FIXED and (planned or b.line_id == POOL_LINE):
            mark = f"sjekk beløpet ({y}: kr {format_kr(b.amount)})"
            out.append(replace(b, note=f"{mark}. {b.note}".strip(" .") if b.note else mark))
    return out


def new_year(old: Path, new: Path, year: int | None = None, *, force: bool = False) -> NewYear:
    """Write ``new`` for ``year`` from the allocation workbook ``old`` (never written)."""
    old, new = Path(old), Path(new)
    if new.exists() and old.exists() and new.resolve() == old.resolve():
        raise Refused(problem("new-year-same-file", file=new.name))
    if new.exists() and not force:
        raise Refused(problem("new-year-exists", file=new.name))
    return new_year_from(open_workbook(old, kind=T.KIND_ALLOCATION), new, year, force=force)


def _no_year(wb: WorkbookIO) -> Refused:
    """The refusal for a workbook without a year, at the year's cell on Oppsett."""
    field = wb.read_field(T.N_YEAR)
    where = field.where if field is not None and field.where.cell else Location(
        wb.file_name, T.S_SETUP, setup_value(SETUP_FIRST_ROW))
    return Refused(problem("new-year-no-year", where=where, file=wb.file_name))


def new_year_from(wb: WorkbookIO, new: Path, year: int | None = None, *,
                  force: bool = False, data: YearData | None = None) -> NewYear:
    """Write ``new`` for ``year`` (default: the year after ``wb``'s) from the open allocation
    workbook ``wb`` (only read; ``data``: what was already read from it)."""
    data = read_allocation(wb) if data is None else data
    if year is None:
        if not data.setup.year:
            raise _no_year(wb)
        year = data.setup.year + 1
    if data.setup.year and year <= data.setup.year:  # a typo: this year again, or an old one
        raise Refused(problem("new-year-not-later", file=wb.file_name, year=year,
                              old=data.setup.year, next=data.setup.year + 1))
    last = evaluate(data)
    granted = {}
    for row in last.summary.networks:
        amount = row.recommended if row.recommended is not None else row.frame_incl
        granted[row.network] = amount
    s = data.setup
    networks = [replace(n, frame_decided=None) for n in data.networks]
    fresh = YearData(
        setup=replace(s, year=year, grant=0),
        budget=carried_budget(data),
        networks=networks,
        universities=list(data.universities),
        recommendations=[],
        scenario_models=data.scenario_models,
        key_columns={c: dict(v) for c, v in data.key_columns.items()},
        balances=carried_forward(data, granted),
        reduction_rule=data.reduction_rule,
        municipalities=_municipalities(wb),
    )
    build_allocation(fresh, new, keys_to_update=s.year)
    # The tool sheets from what the new workbook holds (key figures to be updated, no grant),
    # so Rammer and Kontroll say what is left to fill in.
    wb_new = open_workbook(new, kind=T.KIND_ALLOCATION, for_update=True)
    outcome = regenerate(wb_new)
    wb_new.save()
    from dekom_xl.adapters.files import backup_path

    if not force:
        backup_path(new).unlink(missing_ok=True)  # the first version of a new file
    return NewYear(new, s.year, outcome, len(networks), fresh.budget, fresh.balances or [],
                   year)


def _municipalities(wb) -> list[tuple[str, str, str]] | None:
    """The rows of last year's ``Kommuner`` (kommunenummer, kommune, nettverk)."""
    from dekom_xl.core.keys import MUNICIPALITIES, knr
    from dekom_xl.core.load import text

    t = wb.read_table(MUNICIPALITIES)
    if t is None:
        return None
    return [(knr(t.value(i, "Kommunenummer")), text(t.value(i, "Kommune")),
             text(t.value(i, "Nettverk"))) for i in range(len(t.rows)) if not t.is_blank(i)]


def next_name(name: str, old_year: int, year: int) -> str:
    """The new workbook's file name: last year's with the year replaced (``fordeling_2025.xlsm``
    → ``fordeling_2026.xlsx``), or the year added; always ``.xlsx`` (built without macros)."""
    stem = Path(name).stem
    if str(old_year) in stem:
        return stem.replace(str(old_year), str(year)) + ".xlsx"
    return f"{stem}_{year}.xlsx"


def new_year_button(book) -> Outcome | None:
    """The button «Nytt år» on a live workbook (desktop Excel): next year's workbook beside
    this one, named like it with the year after; an existing file is never written over."""
    from dekom_xl.adapters.live import alert
    from dekom_xl.app.button import TITLE, press

    done: list[NewYear] = []

    def operation(wb: WorkbookIO) -> Outcome:
        data = read_allocation(wb)  # read once: the year names the file, then it is built
        old_year = data.setup.year
        if not old_year:
            raise _no_year(wb)
        folder = wb.location() or Path.cwd()
        new = folder / next_name(wb.file_name, old_year, old_year + 1)
        if new.exists():
            raise Refused(problem("new-year-button-exists", file=new.name, folder=str(folder)))
        done.append(new_year_from(wb, new, old_year + 1, data=data))
        return done[0].outcome

    outcome = press(book, operation)
    if outcome is not None and done:
        alert(book, new_year_message(done[0]), TITLE)
    return outcome


def new_year_message(r: NewYear) -> str:
    """What the button says when it is done (bokmål)."""
    return (f"Laget {r.path.name} for {r.year} i mappen {r.path.parent}. "
            f"{r.networks} nettverk, {len(r.budget_lines)} budsjettposter fra langsiktig plan "
            f"(merket «sjekk beløpet») og {len(r.balances)} rader på arket Saldo er tatt med. "
            "Åpne den, skriv inn tildelt beløp på Oppsett og oppdater nøkkeltallene (merket "
            "«skal oppdateres»). Denne arbeidsboken er ikke endret.")
