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
    assert macros == ["BeregnRammer", "HentBeslutningsgrunnlag", "OppdaterSammendrag",
                      "SkrivTildelingsbrev", "NyttAr"]
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


# -- the VBA project compared with one saved by Excel ---------------------------------------
# xlwings ships quickstart_standalone.xlsm, whose project Excel saved (then stripped of its
# performance cache, as ours has none). XlsxWriter's test projects (vbaProject0*.bin, saved by
# Excel with the cache) have the same streams plus VBA/__SRP_*, and the same dir records.
def _ole(path: Path):
    import io

    import olefile

    with zipfile.ZipFile(path) as z:
        return olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))


def _dir_records(ole) -> list[int]:
    import struct

    data = olevba.decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    ids, i = [], 0
    while i < len(data):
        rid, size = struct.unpack_from("<HI", data, i)
        ids.append(rid)
        i += 6 + (6 if rid == 0x0009 else size)  # PROJECTVERSION: Reserved=4, then 6 bytes
    return ids


def _project_lines(ole) -> tuple[list[str], list[str]]:
    """PROJECT stream: (its keys and sections, the module names it declares)."""
    text = ole.openstream("PROJECT").read().decode("cp1252")
    keys, modules, section = [], [], None
    for line in text.split("\r\n"):
        if line.startswith("["):
            section = line
            keys.append(line)
        elif line and section is None:
            key, _, value = line.partition("=")
            if key in ("Document", "Module", "Class"):
                modules.append(value.split("/")[0])
            elif key != "ID":
                keys.append(key)
    return keys, modules


@pytest.fixture(scope="module")
def excel_saved() -> Path:
    xlwings = pytest.importorskip("xlwings")
    return Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"


@pytest.mark.parametrize("which", ["built", "committed"])
def test_vba_project_has_the_streams_and_records_excel_writes(built, excel_saved, which):
    ours, excel = _ole(built if which == "built" else COMMITTED), _ole(excel_saved)
    keys, modules = _project_lines(ours)
    excel_keys, _ = _project_lines(excel)
    assert keys == excel_keys == ["Name", "HelpContextID", "VersionCompatible32", "CMG", "DPB",
                                  "GC", "[Host Extender Info]", "[Workspace]"]
    streams = {"/".join(e) for e in ours.listdir()}
    assert streams == {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} | {
        f"VBA/{m}" for m in modules}
    assert {"PROJECT", "PROJECTwm", "VBA/dir", "VBA/_VBA_PROJECT"} <= {
        "/".join(e) for e in excel.listdir()}
    # PROJECTwm: each module name in MBCS and in UTF-16, then a terminator.
    expected = b"".join(m.encode("cp1252") + b"\0" + m.encode("utf-16-le") + b"\0\0"
                        for m in modules) + b"\0\0"
    assert ours.openstream("PROJECTwm").read() == expected
    # _VBA_PROJECT: the 7-byte header without a performance cache, as in xlwings' project.
    assert ours.openstream("VBA/_VBA_PROJECT").read() == excel.openstream(
        "VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000100")
    # dir: the same project-information records, and the same records for every module.
    ids, excel_ids = _dir_records(ours), _dir_records(excel)
    head = ids[:ids.index(0x0F)]  # up to PROJECTMODULES
    assert head[:14] == excel_ids[:14]  # SYSKIND … CONSTANTS, then the references differ
    module_records = [0x19, 0x47, 0x1A, 0x32, 0x1C, 0x48, 0x31, 0x1E, 0x2C]
    starts = [i for i, r in enumerate(ids) if r == 0x19]
    assert len(starts) == len(modules)
    for i in starts:
        assert ids[i:i + 9] == module_records and ids[i + 9] in (0x21, 0x22)
        assert ids[i + 10] == 0x2B
