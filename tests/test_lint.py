"""The code base stays clean: ruff, and the core imports no Excel library."""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ["model", "money", "names", "allocation", "codes", "cells", "tables", "load",
        "validation", "engine", "summary", "decision", "render", "workbook", "csvin"]
FORBIDDEN = {"openpyxl", "xlsxwriter", "xlwings", "dekom_xl.cli", "dekom_xl.io.files",
             "dekom_xl.io.build", "dekom_xl.io.live"}


@pytest.mark.parametrize("module", CORE)
def test_core_is_pure(module):
    tree = ast.parse((ROOT / "dekom_xl" / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            assert not any(n == f or n.startswith(f + ".") for f in FORBIDDEN), (module, n)


def test_ruff():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    out = subprocess.run([ruff, "check", "dekom_xl", "tests"], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout


def test_every_module_has_a_docstring():
    for path in (ROOT / "dekom_xl").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), path


def test_packaging_ships_every_subpackage_and_the_sample():
    """A plain `pip install .` must carry dekom_xl.io and the sample year (not only -e)."""
    import tomllib

    from setuptools import find_packages

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    found = find_packages(where=str(ROOT), **conf["setuptools"]["packages"]["find"])
    assert {"dekom_xl", "dekom_xl.io"} <= set(found)
    data = conf["setuptools"]["data-files"]
    assert any("samples/kompetanseloftet_2025/*.csv" in v for v in data.values())
