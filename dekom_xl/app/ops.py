"""The operations both doors call, over the workbook interface (:class:`WorkbookIO`).

The command line opens a file workbook with :func:`open_allocation`, the buttons a live one
with :func:`live_allocation`; both then call the same operation, so they find the same
problems, say the same things and refuse the same inputs:

- :func:`frames` — recompute frames and every tool sheet;
- :func:`check` — validate and summarise only, write nothing;
- :func:`templates` — one prefilled decision-base template per network, into a folder;
- :func:`collect` — read the decision bases in a folder (and sheets pasted in), regenerate;
- :func:`update` — what *Run main* and the Lite button do: collect from the folder named on
  Oppsett when it holds workbooks, otherwise regenerate from what the workbook holds.

None of them saves: the caller does (``wb.save()``: atomic for a file, nothing for live
Excel). Unusable input raises :class:`~dekom_xl.core.model.Refused` (a bokmål problem;
nothing written), the same in both doors.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation, build_template, fill_template, template_filename
from dekom_xl.adapters.files import BACKUP_DIR, FileProblem, FileWorkbook, check_writable
from dekom_xl.app.collect import EXCEL_SUFFIXES, collect_folder, read_decision_base
from dekom_xl.app.csvin import CsvError, read_year
from dekom_xl.app.ports import WorkbookIO
from dekom_xl.app.workbook import read_allocation, regenerate
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import Refused
from dekom_xl.core.problems import problem


# -- opening the allocation workbook (one refusal for both doors) ---------------------------
def _require_allocation(wb: WorkbookIO) -> WorkbookIO:
    kind = wb.read_field(T.N_KIND)
    found = str(kind.value).strip() if kind is not None and kind.value is not None else None
    wrong = T.wrong_kind(wb.file_name, found, T.KIND_ALLOCATION)
    if wrong is not None:
        raise Refused(wrong)
    return wb


def open_allocation(path: Path) -> WorkbookIO:
    """The allocation workbook file; a template or any other workbook is refused."""
    return _require_allocation(FileWorkbook(Path(path), for_update=True))


def live_allocation(book, extras: dict | None = None) -> WorkbookIO:
    """The allocation workbook open in Excel (an ``xlwings.Book``), refused like a file.
    ``extras``: hidden rows, formulas and merged cells fetched beforehand (xlwings Lite).

    Tool sheets are replaced whole, so running in another workbook could replace sheets that
    merely share a name (Rammer, Sammendrag …): nothing is written there.
    """
    from dekom_xl.adapters.live import LiveWorkbook

    return _require_allocation(LiveWorkbook(book, extras))


# -- the operations ------------------------------------------------------------------------
def frames(wb: WorkbookIO) -> Outcome:
    """Recompute frames and every tool sheet from what the workbook holds (no save)."""
    return regenerate(wb)


def check(wb: WorkbookIO) -> Outcome:
    """Validate and summarise only; writes nothing."""
    return evaluate(read_allocation(wb))


def templates(wb: WorkbookIO, out_dir: Path, *, skipped: list | None = None) -> list[Path]:
    """One prefilled decision-base template per network, into ``out_dir``.

    A file there that has lines in it (or cannot be read as a template) is never overwritten;
    a problem for each such file goes to ``skipped``."""
    data = read_allocation(wb, include_collected=False)
    outcome = evaluate(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for net in data.networks:
        if net.name not in outcome.frames:
            continue
        target = out_dir / template_filename(data.setup.year, net, data.setup.scheme)
        if target.exists():
            sub, _found = read_decision_base(target)
            lines = len(sub.lines) if sub is not None else None
            if lines != 0:
                if skipped is not None:
                    skipped.append(problem(
                        "template-has-lines", network=net.name, file=target.name,
                        lines=lines if lines is not None else "ukjent antall"))
                continue
        build_template(data, net.name, target, outcome=outcome)
        written.append(target)
    return written


def setup_folder(wb: WorkbookIO) -> Path:
    """The folder named on Oppsett (``dekom_mappe``), relative to the workbook's folder."""
    data = read_allocation(wb, include_collected=False)
    folder = Path(data.setup.folder or "maler")
    base = wb.location()
    return folder if folder.is_absolute() or base is None else base / folder


def collect(wb: WorkbookIO, folder: Path | None = None, *,
            progress: bool | None = None) -> Outcome:
    """Read every decision base in ``folder`` (default: the one named on Oppsett) and the
    sheets pasted in; regenerate the tool sheets (no save). A missing folder is refused."""
    folder = setup_folder(wb) if folder is None else Path(folder)
    if folder.is_file():  # one decision base given where the folder of them is wanted
        raise Refused(problem(
            "folder-missing", path=folder, file=wb.file_name,
            fix=f"{folder.name} er en fil. Oppgi mappen den ligger i ({folder.parent}); alle "
                "beslutningsgrunnlagene i mappen hentes inn. Ingenting er endret."))
    if not folder.is_dir():
        raise Refused(problem(
            "folder-missing", path=folder, file=wb.file_name,
            fix="Skriv riktig mappe i feltet «Mappe med beslutningsgrunnlag» på Oppsett (eller "
                "oppgi den på kommandolinjen), og legg beslutningsgrunnlagene der. Ingenting er "
                "endret."))
    data = read_allocation(wb, include_collected=False)
    subs, problems = collect_folder(folder, progress=progress)
    if not subs and not data.submissions:  # an empty or wrong folder never empties the sheets
        data.problems += problems + [problem("no-decision-bases", folder=folder,
                                             file=str(folder))]
        return evaluate(data)  # nothing regenerated: nothing to save
    data.submissions += subs
    data.problems += problems
    return regenerate(wb, data)


def update(wb: WorkbookIO) -> Outcome:
    """The one button (*Run main*, Lite): collect from the folder on Oppsett when it holds
    workbooks (desktop), otherwise regenerate from the tables and pasted sheets (no save)."""
    folder = setup_folder(wb)
    if folder.is_dir() and any(p.suffix.lower() in EXCEL_SUFFIXES for p in folder.iterdir()):
        return collect(wb, folder, progress=False)
    return regenerate(wb)


# -- files only ----------------------------------------------------------------------------
def new_workbook(path: Path, csv_dir: Path, *, year: int | None = None,
                 scheme: str | None = None, base_grant: int | None = None,
                 force: bool = False) -> Outcome:
    """A new allocation workbook from the import layout in ``csv_dir``.

    An existing file is refused unless ``force`` (then it is backed up first)."""
    path = Path(path)
    if path.exists() and not force:
        raise FileProblem(problem("file-exists", file=path.name, backups=BACKUP_DIR))
    check_writable(path)
    try:
        data = read_year(Path(csv_dir), year=year, scheme=scheme, base_grant=base_grant)
    except CsvError as err:
        raise FileProblem(err.problem) from None
    outcome = evaluate(data)
    build_allocation(data, path, outcome=outcome)  # backs the old file up first (--force)
    return outcome


@dataclass
class DemoReport:
    workbook: Path
    templates: list[Path]
    outcome: Outcome


def demo(out_dir: Path, *, progress: bool | None = None) -> DemoReport:
    """The whole sample year: workbook, 11 templates filled from samples/, collect, summary."""
    from dekom_xl.app.samples import sample_year

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    full = sample_year(with_submissions=True)
    bare = replace(full, submissions=[], problems=list(full.problems))
    path = out_dir / f"fordeling_{full.setup.year}.xlsx"
    build_allocation(bare, path)
    written = templates(open_allocation(path), out_dir / "maler")
    by_name = {s.network: s for s in full.submissions}
    for net, target in zip(bare.networks, written, strict=True):
        sub = by_name[net.name]
        fill_template(target, list(sub.lines), coordination=sub.coordination)
    wb = open_allocation(path)
    outcome = collect(wb, out_dir / "maler", progress=progress)
    wb.save()
    return DemoReport(path, written, outcome)


__all__ = ["DemoReport", "Refused", "check", "collect", "demo", "frames", "live_allocation",
           "new_workbook", "open_allocation", "setup_folder", "templates", "update"]
