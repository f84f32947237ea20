"""``dekom-xl keys WORKBOOK FILE.csv``: fill a key column of ``Nettverk`` with the sums of a
per-municipality file, through the user table ``Kommuner``. Only that column's cells change."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from dekom_xl.adapters.files import FileWorkbook
from dekom_xl.app.ops import open_allocation
from dekom_xl.app.workbook import read_allocation
from dekom_xl.core import tables as T
from dekom_xl.core.keys import MUNICIPALITIES, KeyFigures, decode, key_sums, parse_rows
from dekom_xl.core.model import Problem, Refused, Severity
from dekom_xl.core.problems import problem


@dataclass
class KeysResult:
    column: str
    figures: KeyFigures
    written: dict[str, Fraction]  # network → value written (empty when nothing was written)

    @property
    def problems(self) -> list[Problem]:
        return self.figures.problems

    @property
    def exit_status(self) -> int:
        return 1 if any(p.severity is Severity.ERROR for p in self.problems) else 0


def _not_text(data: bytes, suffix: str) -> str | None:
    """What a file given as the municipality figures is when it is no text file (None: text)."""
    if data.startswith(b"PK\x03\x04"):
        return {".xlsx": "en Excel-arbeidsbok", ".xlsm": "en Excel-arbeidsbok",
                ".ods": "et OpenDocument-regneark (.ods)"}.get(suffix.lower(), "en zip-fil")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "en gammel Excel-fil (.xls)"
    if b"\x00" in data[:4096]:
        return "ikke en tekstfil"
    return None


def fill_keys(path: Path, csv_path: Path, *, column: str = "Nøkkeltall") -> KeysResult:
    """Sum ``csv_path`` per network and write the sums into ``column`` of ``Nettverk``.

    With any error nothing is written (a wrong sum is worse than last year's figure).
    """
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise Refused(problem("file-missing", file=csv_path.name, path=str(csv_path)))
    wb = open_allocation(Path(path))
    data = read_allocation(wb, include_collected=False)
    table = wb.read_table(MUNICIPALITIES)
    if table is None:
        raise Refused(problem("keys-table-missing", file=wb.file_name, table=MUNICIPALITIES))
    table.file = table.file or wb.file_name
    raw = csv_path.read_bytes()
    kind = _not_text(raw, csv_path.suffix)
    if kind:
        raise Refused(problem("keys-file-not-csv", file=csv_path.name, kind=kind))
    _, rows = parse_rows(decode(raw))
    figures = key_sums(table, csv_path.name, rows, data.networks)
    nets = wb.read_table(T.NETWORKS)
    if nets is None or nets.column_index(column) is None:
        figures.problems.append(problem("keys-column-missing", file=wb.file_name,
                                        sheet=T.S_NETWORKS, column=column))
    if any(p.severity is Severity.ERROR for p in figures.problems) or nets is None:
        return KeysResult(column, figures, {})
    cells: dict[str, object] = {}
    written: dict[str, Fraction] = {}
    names = {n.name for n in data.networks}
    for i in range(len(nets.rows)):
        name = str(nets.value(i, "Nettverk") or "").strip()
        if name in names and figures.counts.get(name):
            value = figures.sums[name]
            ref = nets.cell(i, column)
            if ref is not None:
                cells[ref] = int(value) if value.denominator == 1 else float(value)
                written[name] = value
    if not isinstance(wb, FileWorkbook):  # the command line only
        raise TypeError("keys writes files")
    wb.set_cells(T.S_NETWORKS, cells)
    wb.save()
    return KeysResult(column, figures, written)
