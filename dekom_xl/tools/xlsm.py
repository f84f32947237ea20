"""The macro-enabled allocation workbook: VBA from ``macros/*.bas``, buttons on ``Oppsett``.

``vbaProject.bin`` is compiled from the ``.bas`` text by :mod:`dekom_xl.tools.vba` (ms-ovba's
API, a build/test dependency); XlsxWriter embeds it and wires form buttons to the subs. The result is checked
by reading the VBA back with oletools (see tests/test_xlsm.py).

``python -m dekom_xl.tools.xlsm`` rebuilds ``xlsx_templates/fordeling.xlsm``.

The buttons sit on ``Oppsett`` (a user sheet that the tool never rewrites): tool sheets such
as ``Sammendrag`` are replaced whole on every run, and a button on them would go with them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation
from dekom_xl.core import layout
from dekom_xl.core import tables as T
from dekom_xl.core.model import YearData

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"

BUTTONS = [(b.cell, b.caption, b.macro) for b in layout.BUTTONS]  # where: core/layout.py


def build_vba_project(macros: Path, out: Path, sheets: int = 8) -> Path:
    """Compile every ``.bas`` in ``macros`` into ``out`` (one document module per sheet)."""
    from dekom_xl.tools.vba import build_vba_project as build

    codenames = tuple(f"Sheet{i}" for i in range(1, sheets + 1))
    return build(sorted(Path(macros).glob("*.bas")), out, sheet_codenames=codenames)


def build_xlsm(data: YearData, path: Path, *, macros: Path = MACROS) -> Path:
    """The allocation workbook as .xlsm with the VBA project and the three buttons."""
    with tempfile.TemporaryDirectory(prefix="dekom-vba-") as tmp:
        vba = build_vba_project(macros, Path(tmp) / "vbaProject.bin")
        return build_allocation(data, Path(path), vba_project=vba,
                                buttons={T.S_SETUP: BUTTONS})


def main(argv: list[str] | None = None) -> int:
    from dekom_xl.app.samples import sample_year

    out = Path(argv[0]) if argv else ROOT / "xlsx_templates"
    target = build_xlsm(sample_year(with_submissions=False), out / "fordeling.xlsm")
    from dekom_xl.adapters.files import backups

    for old in backups(target):  # a generated file: no backups beside the committed one
        old.unlink()
    print(f"Skrev {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
