"""The desktop door with no VBA: the module the xlwings add-in's *Run main* button imports.

*Run main* (``RibbonXlwings.RunMain`` in xlwings.xlam) runs ``import <name>; <name>.main()``
where ``<name>`` is the workbook's file name up to the last dot, with the workbook's folder
first on ``sys.path`` (``xlwings.utils.prepare_sys_path``). The tests import the written
module exactly so, with ``xw.Book.caller()`` returning a remote-engine book built from the
real file.
"""

import shutil
import sys

import openpyxl
import pytest

from dekom_xl.app.ops import FileProblem
from dekom_xl.app.runmain import MARKER, module_name, name_fault, suggest_name, write_run_main
from dekom_xl.cli import main as cli

xw = pytest.importorskip("xlwings")

TOOL_SHEETS = ("Rammer", "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak", "Utbetaling",
               "Modellrammer")


@pytest.fixture(autouse=True)
def licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def run_like_xlwings(workbook, monkeypatch, outdated=()):
    """Run main as the add-in does, with the book on the remote engine; returns its actions.

    ``RibbonXlwings.RunMain``: ``mymodule = Left(wb.Name, InStrRev(wb.Name, ".") - 1)``, then
    ``RunPython "import " & mymodule & ";" & mymodule & ".main()"``, after
    ``xlwings.utils.prepare_sys_path("<add dir>;<active fullname>;<this fullname>;…")``.
    """
    from xlwings.utils import prepare_sys_path

    from dekom_xl.tools.payload import payload_from_xlsx

    book = xw.Book(json=payload_from_xlsx(workbook, outdated=outdated))
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: book))
    monkeypatch.setattr(sys, "path", list(sys.path))  # restored after the test
    monkeypatch.chdir(workbook.parent)  # the remote engine's book.fullname is the bare name
    prepare_sys_path(f"True;{workbook};{workbook};;;")
    assert sys.path[0] == str(workbook.parent) or sys.path[1] == str(workbook.parent)
    mymodule = workbook.name[:workbook.name.rindex(".")]
    monkeypatch.delitem(sys.modules, mymodule, raising=False)
    exec(f"import {mymodule};{mymodule}.main()", {})
    assert sys.modules[mymodule].__file__ == str(workbook.with_suffix(".py"))
    assert mymodule == module_name(workbook)
    return book.json()["actions"]


def test_run_main_collects_the_folder_and_regenerates_the_tool_sheets(demo_copy, demo_dir,
                                                                       monkeypatch, capsys):
    from dekom_xl.tools.payload import apply_actions, sheet_cells

    workbook = demo_copy / "fordeling_2025.xlsx"
    assert cli(["excel", str(workbook)]) == 0
    assert "Run main" in capsys.readouterr().out
    actions = run_like_xlwings(workbook, monkeypatch, outdated=TOOL_SHEETS)
    # Every (outdated) tool sheet written once, in place (kept, not deleted and re-added).
    written = [a["sheet_position"] for a in actions if a["func"] == "setValues"]
    assert len(written) == len(set(written)) == len(TOOL_SHEETS)
    assert not [a for a in actions if a["func"] in ("addSheet", "sheetDelete")]
    # The folder on Oppsett (maler/) was collected: the result equals `dekom-xl collect`.
    wb = openpyxl.load_workbook(workbook)
    apply_actions(actions, wb)
    cli_book = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    for sheet in TOOL_SHEETS:
        assert sheet_cells(wb[sheet]) == sheet_cells(cli_book[sheet]), sheet


def test_run_main_without_the_folder_regenerates_from_the_workbook(demo_copy, monkeypatch):
    from dekom_xl.tools.payload import apply_actions

    shutil.rmtree(demo_copy / "maler")
    workbook = demo_copy / "fordeling_2025.xlsx"
    write_run_main(workbook)
    actions = run_like_xlwings(workbook, monkeypatch)
    wb = openpyxl.load_workbook(workbook)
    apply_actions(actions, wb)
    assert set(TOOL_SHEETS) <= set(wb.sheetnames)
    codes = {r[1] for r in wb["Kontroll"].iter_rows(values_only=True)}
    assert "folder-missing" not in codes  # no complaint about a folder it did not need


def test_run_main_without_dekom_xl_installed_says_so_in_bokmal(demo_copy, monkeypatch):
    workbook = demo_copy / "fordeling_2025.xlsx"
    write_run_main(workbook)
    monkeypatch.setitem(sys.modules, "dekom_xl.xl", None)  # import raises ImportError
    actions = run_like_xlwings(workbook, monkeypatch)
    assert [a["func"] for a in actions] == ["alert"]  # nothing written, one message
    message, title = actions[0]["args"][:2]
    assert title == "dekom-xl"
    assert message.startswith("dekom-xl er ikke installert for Python-en som xlwings-tillegget")
    assert "«pip install dekom-xl»" in message


@pytest.mark.parametrize("name, fault, suggested", [
    ("fordeling_2025", None, "fordeling_2025"),
    ("Fordeling2025", None, "Fordeling2025"),
    ("fordeling 2025", "navnet har mellomrom, bindestrek eller punktum", "fordeling_2025"),
    ("fordeling-2025", "navnet har mellomrom, bindestrek eller punktum", "fordeling_2025"),
    ("fordeling.v2", "navnet har mellomrom, bindestrek eller punktum", "fordeling_v2"),
    ("2025_fordeling", "navnet begynner med et siffer", "fordeling_2025_fordeling"),
    ("fordeling_trøndelag", "navnet har bokstaver utenfor a–z (som æ, ø, å)",
     "fordeling_trondelag"),
    ("Bærum_år", "navnet har bokstaver utenfor a–z (som æ, ø, å)", "Baerum_aar"),
    ("class", "navnet er et reservert ord i Python", "class_dekom"),
    ("string", "navnet er det samme som en Python-modul som allerede finnes", "string_dekom"),
    ("xlwings", "navnet er det samme som en Python-modul som allerede finnes", "xlwings_dekom"),
    ("fordeling(1)", "navnet har tegn som ikke er bokstaver, sifre eller understrek",
     "fordeling_1"),
])
def test_workbook_names_that_run_main_can_import(name, fault, suggested):
    assert name_fault(name) == fault
    assert suggest_name(name) == suggested
    assert name_fault(suggest_name(name)) is None


def test_a_name_that_cannot_be_imported_is_refused_with_a_suggestion(demo_copy, capsys):
    workbook = demo_copy / "fordeling 2025.xlsx"
    shutil.copy(demo_copy / "fordeling_2025.xlsx", workbook)
    assert cli(["excel", str(workbook)]) == 2
    err = capsys.readouterr().err
    assert "[workbook-name-not-module]" in err and "«fordeling_2025.xlsx»" in err
    assert not (demo_copy / "fordeling 2025.py").exists()


def test_a_users_own_python_file_is_never_overwritten(demo_copy, capsys):
    workbook = demo_copy / "fordeling_2025.xlsx"
    theirs = demo_copy / "fordeling_2025.py"
    theirs.write_text("print('mitt eget skript')\n", encoding="utf-8")
    assert cli(["excel", str(workbook)]) == 2
    assert "[run-main-file-exists]" in capsys.readouterr().err
    assert theirs.read_text(encoding="utf-8") == "print('mitt eget skript')\n"
    with pytest.raises(FileProblem):
        write_run_main(workbook)
    # Our own file is rewritten freely.
    theirs.unlink()
    first = write_run_main(workbook).read_text(encoding="utf-8")
    assert first.startswith(MARKER)
    assert write_run_main(workbook).read_text(encoding="utf-8") == first


def test_new_and_templates_write_the_module_too(demo_copy, tmp_path, capsys):
    workbook = demo_copy / "fordeling_2025.xlsx"
    assert cli(["templates", str(workbook), "--out", str(tmp_path / "maler")]) == 0
    assert (demo_copy / "fordeling_2025.py").read_text(encoding="utf-8").startswith(MARKER)
    assert "Run main" in capsys.readouterr().out
    from dekom_xl.app.samples import sample_folder

    made = tmp_path / "ny_2026.xlsx"
    assert cli(["new", str(made), "--from-csv", str(sample_folder())]) == 0
    assert made.with_suffix(".py").read_text(encoding="utf-8").startswith(MARKER)


def test_excel_refuses_a_workbook_that_is_not_an_allocation_workbook(demo_copy, capsys):
    template = next((demo_copy / "maler").glob("*.xlsx"))
    assert cli(["excel", str(template)]) == 2
    assert not template.with_suffix(".py").exists()
