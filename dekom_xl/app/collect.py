"""Collect: read every decision base in a folder into submissions, never stopping at a bad file.

Each file is found to be a decision base by its content (the ``Tiltak`` table and the
``dekom_*`` names), never by its file name. Unreadable files become located problems.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from dekom_xl.adapters.files import BACKUP_INFIX, FileProblem, open_workbook
from dekom_xl.app.workbook import is_measure_table, table_shape_problems
from dekom_xl.core import tables as T
from dekom_xl.core.load import Field, submission_from_template
from dekom_xl.core.model import Location, Problem, Submission
from dekom_xl.core.problems import problem

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
REFUSED_SUFFIXES = {".xls", ".ods", ".csv", ".xlsb", ".numbers"}


def read_decision_base(path: Path) -> tuple[Submission | None, list[Problem]]:
    """One decision-base file → its submission and problems (never raises for bad files)."""
    path = Path(path)
    try:
        wb = open_workbook(path)
    except FileProblem as err:
        return None, [err.problem]
    try:
        return _read(wb, path)
    except Exception as err:  # one odd file never stops the whole collect
        return None, [problem("file-unreadable", error=type(err).__name__, file=path.name)]


def _read(wb, path: Path) -> tuple[Submission | None, list[Problem]]:
    problems: list[Problem] = []
    measure_tables = {n: s for n, s in wb.table_names().items() if is_measure_table(n)}
    kind = wb.kind()
    if not measure_tables:
        if kind == T.KIND_ALLOCATION:
            return None, [problem("file-other", file=path.name, kind="en fordelingsarbeidsbok")]
        names = ", ".join(sorted(wb.table_names())) or "ingen"
        return None, [problem("table-missing", table=T.MEASURES, tables=names, file=path.name)]
    if len(measure_tables) > 1:
        problems.append(problem("table-several", tables=", ".join(measure_tables),
                                table=sorted(measure_tables)[0], file=path.name))
    tname = sorted(measure_tables)[0]
    table = wb.read_table(tname)
    sheet = measure_tables[tname]
    fields: dict[str, Field] = {}
    for name in [T.N_NETWORK, T.N_YEAR, T.N_SCHEME, T.N_COORDINATION, T.N_UNSPENT_NETWORK, T.N_UNSPENT_UH,
                 T.N_VERSION, *(T.N_ANSWER.format(c) for c in T.CRITERIA)]:
        f = wb.read_field(name)
        if f is not None:
            fields[name] = f
    version = fields.get(T.N_VERSION)
    if version is None or str(version.value) != str(T.TEMPLATE_VERSION):
        found = "ingen" if version is None else str(version.value)
        problems.append(problem("template-old", found=found, current=T.TEMPLATE_VERSION,
                                file=path.name, sheet=sheet))
    problems += table_shape_problems(table) if table is not None else []
    problems += _never_guess(wb, tname, measure_tables, fields)
    sub, read = submission_from_template(fields, table, Location(path.name, sheet, None))
    return sub, problems + read


_FIELD_LABELS = {T.N_COORDINATION: "Planlagt koordinering", T.N_YEAR: "År",
                 T.N_UNSPENT_NETWORK: "Ubrukte midler i nettverket",
                 T.N_UNSPENT_UH: "Ubrukte midler hos UH", T.N_NETWORK: "Nettverket"}


def _never_guess(wb, tname: str, measure_tables: dict[str, str],
                 fields: dict[str, Field]) -> list[Problem]:
    """What could be read two ways in a decision base, each a located problem: things typed
    outside the table, other tables with the template's columns, hidden sheets with content,
    named fields whose formula was never calculated."""
    from dekom_xl.core.load import text
    from dekom_xl.core.tables import _norm

    out: list[Problem] = []
    name = wb.file_name
    for cell, value, place in wb.outside(tname):
        out.append(problem("data-outside-table", table=tname, place=place, at=cell,
                           found=text(value)[:60],
                           file=name, sheet=measure_tables[tname], cell=cell))
    wanted = {_norm(c) for c in ("Tiltak", "Kostnad nettverk", "Kostnad UH")}
    for other, sheet in sorted(wb.table_names().items()):
        if other == tname:
            continue
        t = wb.read_table(other)
        if t is not None and wanted <= {_norm(c) for c in t.columns}:
            out.append(problem("table-like-measures", table=other, on=sheet, measures=tname,
                               file=name, sheet=sheet, cell=t.header_cell))
    hidden_tables = {s for s in wb.table_names().values()}
    for sheet, first in wb.hidden_sheets():
        what = " (en tabell)" if sheet in hidden_tables else ""
        out.append(problem("hidden-sheet", what=what, name=sheet, file=name, sheet=sheet,
                           cell=first))
    for fname, label in _FIELD_LABELS.items():
        f = fields.get(fname)
        if f is None or not f.where.cell or f.where.sheet is None:
            continue
        formula = wb.formulas_without_value(f.where.sheet).get(f.where.cell)
        if formula:
            out.append(problem("amount-formula-no-value", what=label, formula=formula,
                               where=f.where))
    return out


def excel_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The files in ``folder`` to read, and problems for files that are skipped."""
    files, problems = [], []
    for p in sorted(Path(folder).iterdir(), key=lambda p: p.name.casefold()):
        if p.is_dir() or p.name.startswith("."):
            continue
        suffix = p.suffix.lower()
        if BACKUP_INFIX + "." in p.name or suffix.startswith(".bak"):
            continue  # our own backups (<name>.forrige.xlsx), never a decision base
        if p.name.startswith("~$"):
            problems.append(problem("file-locked", file=p.name))
        elif suffix in EXCEL_SUFFIXES:
            files.append(p)
        elif suffix in REFUSED_SUFFIXES:
            kind = {".xls": "i det gamle Excel-formatet (.xls)", ".ods": "en OpenDocument-fil",
                    ".csv": "en CSV-fil"}.get(suffix, f"en {suffix}-fil")
            problems.append(problem("file-not-xlsx", kind=kind, folder="mappen", file=p.name))
        else:
            problems.append(problem("file-other", kind="ikke en Excel-fil", file=p.name))
    return files, problems


def collect_folder(folder: Path, *, progress: bool | None = None
                   ) -> tuple[list[Submission], list[Problem]]:
    """Read every decision base in ``folder``. ``progress``: show a bar (default: on a TTY)."""
    folder = Path(folder)
    files, problems = excel_files(folder)
    subs: list[Submission] = []
    for path in _progress(files, progress):
        sub, found = read_decision_base(path)
        problems += found
        if sub is not None:
            subs.append(sub)
    return subs, problems


def _progress(files: list[Path], show: bool | None) -> Iterable[Path]:
    if show is None:
        show = sys.stderr.isatty()
    if not show or not files:
        return files
    from tqdm import tqdm

    return tqdm(files, desc="Leser beslutningsgrunnlag", unit="fil", file=sys.stderr,
                leave=False)
