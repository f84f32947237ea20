"""The macro-enabled workbook: VBA built from macros/*.bas, read back, buttons wired."""

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import soffice_or_skip

from dekom_xl.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "xlsx_templates" / "fordeling.xlsm"

olevba = pytest.importorskip("oletools.olevba")
pytest.importorskip("ms_ovba")


def vba_modules(path: Path) -> dict[str, str]:
    parser = olevba.VBA_Parser(str(path))
    try:
        return {name: code for (_f, _s, name, code) in parser.extract_macros()}
    finally:
        parser.close()


def button_macros(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        vml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                      if n.endswith(".vml"))
    return re.findall(r"<x:FmlaMacro>\[0\]!([A-Za-z]+)</x:FmlaMacro>", vml)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from dekom_xl.tools.xlsm import main as build

    out = tmp_path_factory.mktemp("xlsm")
    build([str(out)])
    return out / "fordeling.xlsm"


@pytest.mark.parametrize("which", ["built", "committed"])
def test_vba_reads_back_exactly_as_the_bas_source(built, which):
    path = built if which == "built" else COMMITTED
    modules = vba_modules(path)
    for bas in sorted((ROOT / "macros").glob("*.bas")):
        source = bas.read_bytes().decode("ascii")
        assert modules[bas.name] == source, bas.name


def test_buttons_call_subs_that_exist(built):
    macros = button_macros(built)
    assert macros == ["BeregnRammer", "HentBeslutningsgrunnlag", "OppdaterSammendrag"]
    code = "".join(vba_modules(built).values())
    for m in macros:
        assert re.search(rf"Public Sub {m}\(\)", code), m
    # Each sub calls the matching thin Python entry point.
    import dekom_xl.xl as xl

    for fn in re.findall(r'Kjor "(\w+)"', code):
        assert callable(getattr(xl, fn)), fn


def test_macro_only_calls_dekom_xl_and_runs_no_shell():
    code = (ROOT / "macros" / "DekomKnapper.bas").read_text(encoding="ascii")
    assert "import dekom_xl.xl" in code
    for forbidden in ("Shell", "WScript", "CreateObject", "Kill ", "Open "):
        assert forbidden not in code, forbidden


def test_command_line_keeps_macros_and_buttons(built, tmp_path, capsys):
    book = tmp_path / "fordeling.xlsm"
    shutil.copy(built, book)
    assert main(["frames", str(book)]) == 0
    assert button_macros(book) == button_macros(built)
    assert vba_modules(book)["DekomKnapper.bas"] == vba_modules(built)["DekomKnapper.bas"]


def test_libreoffice_opens_the_xlsm(built, tmp_path):
    soffice_or_skip()
    from dekom_xl.tools.lo import error_cells, recalc

    assert error_cells(recalc(built, tmp_path)) == []


def test_committed_xlsm_matches_the_code(built):
    from test_build import _content

    assert _content(COMMITTED) == _content(built), "run: python -m dekom_xl.tools.xlsm"


def test_every_module_is_whole_and_builds_are_reproducible(built, tmp_path):
    from dekom_xl.tools.xlsm import MACROS, build_vba_project

    modules = vba_modules(built)
    assert {f"Sheet{i}.cls" for i in range(1, 9)} | {"ThisWorkbook.cls"} <= set(modules)
    for name, code in modules.items():
        assert code.count("Attribute VB_Name") == 1, name  # no appended copies
    a = build_vba_project(MACROS, tmp_path / "a.bin")
    b = build_vba_project(MACROS, tmp_path / "b.bin")
    assert a.read_bytes() == b.read_bytes()


def test_non_ascii_and_long_modules_round_trip(tmp_path):
    from dekom_xl.tools.vba import build_vba_project

    src = tmp_path / "Melding.bas"
    body = ['Attribute VB_Name = "Melding"', "Public Sub Vis()",
            '    MsgBox "Fant ikke xlwings-tillegget. Kjør «xlwings addin install» – æøå ÆØÅ."',
            "End Sub"]
    body += [f"' linje {i}: " + "x" * 300 for i in range(8)]  # long repeats: compression
    text = "\r\n".join(body) + "\r\n"
    src.write_bytes(text.encode("utf-8"))
    out = build_vba_project([src], tmp_path / "vbaProject.bin")
    assert vba_modules(out)["Melding.bas"] == text
