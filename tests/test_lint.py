"""The code base stays clean: the layers import only downwards, ruff and mypy pass, docstrings.

The layers (docs/architecture.md):

- ``dekom_xl.core``: the pure domain; imports nothing outside the standard library and the core;
- ``dekom_xl.adapters``: files and live Excel; imports the core and its libraries;
- ``dekom_xl.app``: the operations both doors share; imports core and adapters;
- the doors ``dekom_xl.cli`` and ``dekom_xl.xl``: import the application layer (and the core's
  records they print);
- ``dekom_xl.tools``: tooling users never run (benchmark, payloads, docs renderer, .xlsm build).
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "dekom_xl"
STDLIB = set(sys.stdlib_module_names) | {"__future__"}

# package → what it may import from dekom_xl, and which third-party libraries
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "core": ({"core"}, set()),
    "adapters": ({"core", "adapters"}, {"openpyxl", "xlsxwriter", "xlwings", "defusedxml",
                                        "docxtpl"}),  # docxtpl: the allocation letters
    "app": ({"core", "adapters", "app"}, {"tqdm"}),  # tqdm: the progress bar of a long collect
    "doors": ({"core", "app", "doors", "version"}, {"xlwings"}),
}


def _layer(path: Path) -> str:
    rel = path.relative_to(PKG).parts
    if rel[0] in ("core", "adapters", "app", "tools"):
        return rel[0]
    return "doors"  # cli/, xl.py, __main__.py, bench.py (a shim), __init__.py


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "dekom_xl":
                out += [f"dekom_xl.{a.name}" for a in node.names]
            else:
                out.append(node.module)
    return out


def _target(module: str) -> str | None:
    """The layer a ``dekom_xl.*`` import lands in (None for a third-party or stdlib import)."""
    parts = module.split(".")
    if parts[0] != "dekom_xl":
        return None
    if len(parts) == 1 or parts[1] == "__version__":
        return "version"
    if parts[1] in ("core", "adapters", "app", "tools"):
        return parts[1]
    return "doors"


SOURCES = sorted(p for p in PKG.rglob("*.py") if _layer(p) != "tools" and p.name != "bench.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path):
    layer = _layer(path)
    inner, libs = ALLOWED[layer]
    for module in _imports(path):
        target = _target(module)
        if target is None:
            top = module.split(".")[0]
            assert top in STDLIB or top in libs, f"{path.name} ({layer}) imports {module}"
        else:
            assert target in inner, f"{path.name} ({layer}) imports {module} ({target})"


def test_the_layer_rule_catches_a_wrong_import(tmp_path):
    """The check above is not vacuous: a core module importing openpyxl or an adapter fails it."""
    bad = PKG / "core" / "model.py"
    assert "openpyxl" not in _imports(bad)
    fake = tmp_path / "x.py"
    fake.write_text("import openpyxl\nfrom dekom_xl.adapters import files\n", encoding="utf-8")
    mods = _imports(fake)
    assert mods == ["openpyxl", "dekom_xl.adapters"]
    inner, libs = ALLOWED["core"]
    assert "openpyxl" not in libs and _target(mods[1]) not in inner


def test_ruff():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "dekom_xl", "tests"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy():
    """mypy with its default checks passes on the package (never skipped: it is a test extra)."""
    out = subprocess.run([sys.executable, "-m", "mypy", "dekom_xl"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_module_has_a_docstring():
    for path in (ROOT / "dekom_xl").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert ast.get_docstring(tree), path


def test_packaging_ships_every_subpackage_and_the_sample():
    """A plain `pip install .` must carry every subpackage and the sample year (not only -e)."""
    import tomllib

    from setuptools import find_packages

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    found = find_packages(where=str(ROOT), **conf["setuptools"]["packages"]["find"])
    assert {"dekom_xl", "dekom_xl.core", "dekom_xl.app", "dekom_xl.adapters",
            "dekom_xl.tools"} <= set(found)
    data = conf["setuptools"]["data-files"]
    assert any("samples/kompetanseloftet_2025/*.csv" in v for v in data.values())
