"""Shared fixtures: the demo year built once per test session."""

from __future__ import annotations

import os

# xlwings reads its licence when first imported: the remote engine (xlwings Server) runs the
# Excel doors in the tests under the PolyForm Noncommercial licence, which covers government
# institutions, our users.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import shutil  # noqa: E402
from pathlib import Path

import pytest  # noqa: E402

from dekom_xl.app import ops  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A pristine ``dekom-xl demo`` output. Do not modify: copy it with ``demo_copy``."""
    out = tmp_path_factory.mktemp("demo")
    ops.demo(out, progress=False)
    return out


@pytest.fixture
def demo_copy(demo_dir, tmp_path) -> Path:
    """A private copy of the demo folder that a test may change."""
    dst = tmp_path / "demo"
    shutil.copytree(demo_dir, dst)
    return dst


def soffice_or_skip():
    from dekom_xl.tools.lo import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install "
                    "libreoffice-calc-nogui to run the spreadsheet-engine checks")


def paste_decision_base_sheet(wb, src: Path, sheet: str):
    """Excel's "Move or copy sheet" of a network's decision base into the open workbook
    ``wb`` (openpyxl): values without the template's formulas, the table renamed Tiltak2 and
    the defined names scoped to the new sheet. Returns the new sheet."""
    import openpyxl
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import Table

    from dekom_xl.core import tables as T

    tpl = openpyxl.load_workbook(src)
    ws = wb.create_sheet(sheet)
    for row in tpl[T.TEMPLATE_SHEET].iter_rows():
        for c in row:
            if c.value is not None and not (isinstance(c.value, str) and c.value.startswith("=")):
                ws[c.coordinate].value = c.value
    ws.add_table(Table(displayName="Tiltak2", ref=tpl[T.TEMPLATE_SHEET].tables["Tiltak"].ref))
    for name, dn in tpl.defined_names.items():
        ws.defined_names[name] = DefinedName(name, attr_text=dn.attr_text.replace(
            f"'{T.TEMPLATE_SHEET}'", f"'{sheet}'"))
    return ws
