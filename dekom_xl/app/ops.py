"""The operations behind the command line (and the desktop button that collects a folder).

Each function opens files, calls the core through :mod:`dekom_xl.app.workbook`, saves
atomically and returns the :class:`~dekom_xl.core.engine.Outcome`. Unusable input raises
:class:`~dekom_xl.adapters.files.FileProblem` with a bokmål message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation, build_template, fill_template, template_filename
from dekom_xl.adapters.files import (
    BACKUP_DIR,
    FileProblem,
    FileWorkbook,
    check_writable,
    open_workbook,
)
from dekom_xl.adapters.live import LiveWorkbook
from dekom_xl.app.collect import collect_folder, read_decision_base
from dekom_xl.app.csvin import CsvError, read_year
from dekom_xl.app.workbook import read_allocation, regenerate
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.problems import problem


def open_allocation(path: Path) -> FileWorkbook:
    """Open the allocation workbook; refuse a template or any other workbook."""
    return open_workbook(path, kind=T.KIND_ALLOCATION, for_update=True)


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


def compute_frames(path: Path) -> Outcome:
    """Recompute frames and every tool sheet from what the workbook holds; save."""
    check_writable(Path(path))
    wb = open_allocation(path)
    outcome = regenerate(wb)
    wb.save()
    return outcome


def check(path: Path) -> Outcome:
    """Validate and summarise only; writes nothing."""
    return evaluate(read_allocation(open_allocation(path)))


def write_templates(path: Path, out_dir: Path, *, skipped: list | None = None) -> list[Path]:
    """One prefilled decision-base template per network, into ``out_dir``.

    A file there that has lines in it (or cannot be read as a template) is never overwritten;
    a problem for each such file goes to ``skipped``."""
    data = read_allocation(open_allocation(path), include_collected=False)
    outcome = evaluate(data)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for net in data.networks:
        if net.name not in outcome.frames:
            continue
        target = out_dir / template_filename(data.setup.year, net)
        if target.exists():
            sub, found = read_decision_base(target)
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


def collect(path: Path, folder: Path, *, progress: bool | None = None) -> Outcome:
    """Read every decision base in ``folder`` (and sheets pasted in), regenerate, save."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileProblem(problem("folder-missing", path=folder,
                                  fix="Oppgi mappen med beslutningsgrunnlagene."))
    check_writable(Path(path))
    wb = open_allocation(path)
    data = read_allocation(wb, include_collected=False)
    subs, problems = collect_folder(folder, progress=progress)
    if not subs and not data.submissions:  # an empty or wrong folder never empties it
        data.problems += problems + [problem("no-decision-bases", folder=folder, file=str(folder))]
        return evaluate(data)
    data.submissions += subs
    data.problems += problems
    outcome = regenerate(wb, data)
    wb.save()
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
    templates = write_templates(path, out_dir / "maler")
    by_name = {s.network: s for s in full.submissions}
    for net, target in zip(bare.networks, templates, strict=True):
        sub = by_name[net.name]
        fill_template(target, list(sub.lines), coordination=sub.coordination)
    outcome = collect(path, out_dir / "maler", progress=progress)
    return DemoReport(path, templates, outcome)


__all__ = ["FileProblem", "LiveWorkbook"]  # for the doors, which never import an adapter
