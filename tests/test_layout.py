"""Every fixed cell address lives in dekom_xl/core/layout.py (A1 notation in core/cells.py).

The source holds no hand-written A1 reference anywhere else, and the workbooks the builders
write put their fields, live checks and buttons where the layout says.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import openpyxl
import pytest

from dekom_xl.core import layout as L
from dekom_xl.core import tables as T
from dekom_xl.core.cells import a1

ROOT = Path(__file__).resolve().parent.parent
OWNERS = {ROOT / "dekom_xl" / "core" / "cells.py", ROOT / "dekom_xl" / "core" / "layout.py"}
SOURCES = sorted(set((ROOT / "dekom_xl").rglob("*.py")) - OWNERS) + [
    ROOT / "docs" / "xlwings-lite" / "main.py"]
# An A1 reference in a string: B19, $B$12, A32:E2031 (not part of a longer word).
A1_REF = re.compile(r"(?<![A-Za-z0-9_#])\$?[A-Z]{1,3}\$?[1-9][0-9]*(?![A-Za-z0-9_])")
COLOUR = re.compile(r"^#?[0-9A-F]{6}$")  # FFD966 is a colour, not a cell


def _strings(tree: ast.AST):
    """Every string constant outside docstrings (f-string parts included)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hand_written_cell_address_outside_the_layout(path):
    found = [(node.lineno, node.value) for node in _strings(ast.parse(path.read_text("utf-8")))
             if A1_REF.search(node.value) and not COLOUR.match(node.value)]
    assert found == []


def test_the_scan_would_catch_one():
    tree = ast.parse('ws.write_formula(18, 2, f"=IF(B19>{grant},1,0)")\nx = "$B$12"\n')
    assert sorted(n.value for n in _strings(tree) if A1_REF.search(n.value)) == ["$B$12",
                                                                                 "=IF(B19>"]


def test_the_layout_names_the_cells_it_always_named():
    """The addresses users, macros and docs know stay where they were."""
    assert (L.GRANT, L.SUM_FIXED, L.UNALLOCATED_IF_UNCERTAIN) == ("B13", "B19", "B22")
    assert [b.cell for b in L.BUTTONS] == ["D11", "D14", "D17", "D21", "D23"]
    assert [b.lite for b in L.BUTTONS if b.shape] == ["[knapp_rammer]Oppsett!D11",
                                                      "[knapp_sammendrag]Oppsett!D17"]


def test_the_allocation_workbook_puts_fields_and_checks_where_the_layout_says(demo_dir):
    wb = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    ws = wb[T.S_SETUP]
    grant = wb.defined_names[T.N_GRANT].attr_text
    assert grant == f"'{T.S_SETUP}'!{L.absolute(L.GRANT)}"
    assert ws[L.GRANT].value == 14_239_000
    assert ws[L.UNALLOCATED].value == f"={L.absolute(L.GRANT)}-{L.SUM_FIXED}"
    assert ws[L.UNALLOCATED_IF_UNCERTAIN].value == (
        f"={L.absolute(L.GRANT)}-{L.SUM_FIXED}-{L.SUM_UNCERTAIN}")
    table = ws.tables[T.BUDGET]
    assert table.ref.startswith(a1(L.BUDGET_HEADER_ROW, 1) + ":")


def test_the_template_puts_fields_and_table_where_the_layout_says(demo_dir):
    path = sorted((demo_dir / "maler").glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(path)
    ws = wb[T.TEMPLATE_SHEET]
    target = wb.defined_names[T.N_COORDINATION].attr_text
    assert target == (f"'{T.TEMPLATE_SHEET}'!"
                      f"{L.absolute(L.template_value(L.TEMPLATE_COORDINATION_ROW))}")
    frame_incl = ws[L.template_value(L.TEMPLATE_FRAME_INCL_ROW)].value
    assert frame_incl == (f"={L.template_value(L.TEMPLATE_FRAME_ROW)}+"
                          f"{L.template_value(L.TEMPLATE_COORDINATION_MAX_ROW)}")
    assert ws.tables[T.MEASURES].ref.startswith(a1(L.TABLE_HEADER_ROW, 1) + ":")
    assert ws[a1(L.TEMPLATE_KIND_ROW, L.TEMPLATE_MARKER_COL)].value == T.KIND_TEMPLATE


def test_the_lite_main_py_takes_its_button_cells_from_the_layout(monkeypatch):
    import importlib.util

    import xlwings as xw

    seen: list[str] = []

    def script(function=None, *, button=None, **_k):
        if function is not None:  # a bare @script
            return function
        seen.append(button)
        return lambda f: f

    monkeypatch.setattr(xw, "script", script)
    path = ROOT / "docs" / "xlwings-lite" / "main.py"
    spec = importlib.util.spec_from_file_location("lite_main_layout", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert seen == [b.lite for b in L.BUTTONS if b.shape]


def test_the_xlsm_builder_takes_its_button_cells_from_the_layout():
    from dekom_xl.tools.xlsm import BUTTONS

    assert BUTTONS == [(b.cell, b.caption, b.macro) for b in L.BUTTONS]
