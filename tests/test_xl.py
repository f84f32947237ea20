"""The Excel doors, run for real on Linux through xlwings' remote engine.

The payload is built from real workbooks the way Office.js sends it; the entry points run on
``xw.Book(json=payload)``; their actions are counted and replayed onto the file so the
button's result can be compared with the command line's.
"""

import asyncio
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")


@pytest.fixture(autouse=True)
def licence(monkeypatch):
    # PolyForm Noncommercial: government institutions are a permitted purpose.
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.fixture
def xl():
    import importlib

    import dekom_xl.xl

    return importlib.reload(dekom_xl.xl)  # picks the server decorators with the licence set


TOOL_SHEETS = ("Rammer", "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak", "Utbetaling")
ALL_TOOL_SHEETS = ("Rammer", "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak",
                   "Utbetaling", "Modellrammer")


def run_script(xl, name: str, path: Path):
    from dekom_xl.tools.payload import payload_from_xlsx

    book = xw.Book(json=payload_from_xlsx(path))
    outcome = getattr(xl, name)(book)
    return outcome, book.json()["actions"]


def test_oppdater_sammendrag_matches_the_command_line(xl, demo_dir, tmp_path):
    from dekom_xl.tools.payload import apply_actions, sheet_cells

    cli_book = demo_dir / "fordeling_2025.xlsx"  # written by `dekom-xl collect` in the demo
    stale = tmp_path / "fordeling_2025.xlsx"  # every sheet the button computes out of date
    wb = openpyxl.load_workbook(cli_book)
    for sheet in set(TOOL_SHEETS) - {"Beslutningsgrunnlag"}:  # (that one is collected input)
        for row in wb[sheet].iter_rows():
            for c in row:
                if isinstance(c.value, (int, float)):
                    c.value = 0
        wb[sheet]["A1"] = "utdatert"
    wb.save(stale)
    outcome, actions = run_script(xl, "oppdater_sammendrag", stale)
    assert {r.recipient: r.amount for r in outcome.summary.recipients}["NTNU"] == 1_720_000
    # The Sammendrag block values hold NTNU's 1 720 000.
    written = [v for a in actions if a["func"] == "setValues" for row in a["values"] for v in row]
    assert "NTNU" in written and 1_720_000 in written
    # Replay onto the file: every tool sheet equals what the command line wrote.
    wb = openpyxl.load_workbook(stale)
    apply_actions(actions, wb)
    cli = openpyxl.load_workbook(cli_book)
    for sheet in TOOL_SHEETS:
        assert sheet_cells(wb[sheet]) == sheet_cells(cli[sheet]), sheet
    assert wb.sheetnames == cli.sheetnames
    for sheet in ("Oppsett", "Nettverk", "Innstilling"):  # user sheets untouched
        assert sheet_cells(wb[sheet]) == sheet_cells(cli[sheet])


def _problems(outcome):
    return sorted((p.code, p.file, p.sheet, p.cell) for p in outcome.problems)


def test_the_button_and_the_command_line_find_the_same_problems(xl, demo_dir):
    from dekom_xl.app import ops

    cli_book = demo_dir / "fordeling_2025.xlsx"
    button, _ = run_script(xl, "oppdater_sammendrag", cli_book)
    cli = ops.check(ops.open_allocation(cli_book))
    assert _problems(button) == _problems(cli)
    assert [p.message for p in button.problems] == [p.message for p in cli.problems]


def test_tool_sheets_from_scratch_match_the_command_line(xl, demo_dir, tmp_path, monkeypatch):
    """The button that collects («Hent beslutningsgrunnlag») builds every tool sheet that
    `dekom-xl collect` built (values, number formats, column widths within rounding) in a
    workbook that has none."""
    import shutil

    from dekom_xl.tools.payload import apply_actions, column_widths, number_formats, sheet_cells

    cli_book = demo_dir / "fordeling_2025.xlsx"
    bare = tmp_path / "fordeling_2025.xlsx"
    shutil.copy(cli_book, bare)
    wb = openpyxl.load_workbook(bare)
    for sheet in ALL_TOOL_SHEETS:
        del wb[sheet]
    wb.save(bare)
    monkeypatch.chdir(demo_dir)  # the remote engine's workbook folder: where maler/ is
    _, actions = run_script(xl, "hent_beslutningsgrunnlag", bare)
    built = openpyxl.load_workbook(bare)
    apply_actions(actions, built)
    cli = openpyxl.load_workbook(cli_book)
    assert set(built.sheetnames) == set(cli.sheetnames)
    for sheet in ALL_TOOL_SHEETS:
        assert sheet_cells(built[sheet]) == sheet_cells(cli[sheet]), sheet
        assert number_formats(built[sheet]) == number_formats(cli[sheet]), sheet
        got, want = column_widths(built[sheet]), column_widths(cli[sheet])
        assert got.keys() == want.keys(), sheet
        assert all(abs(got[c] - want[c]) <= 0.1 for c in want), (sheet, got, want)


def test_number_formats_are_restored_on_kept_tool_sheets(xl, demo_copy):
    from dekom_xl.tools.payload import apply_actions, number_formats

    book = demo_copy / "fordeling_2025.xlsx"
    cli = openpyxl.load_workbook(book)
    wb = openpyxl.load_workbook(book)
    for sheet in ALL_TOOL_SHEETS:  # someone cleared the formats on every tool sheet
        for row in wb[sheet].iter_rows():
            for c in row:
                c.number_format = "General"
    wb.save(book)
    _, actions = run_script(xl, "oppdater_sammendrag", book)
    wb = openpyxl.load_workbook(book)
    apply_actions(actions, wb)
    for sheet in ALL_TOOL_SHEETS:
        assert number_formats(wb[sheet]) == number_formats(cli[sheet]), sheet


def test_beregn_rammer_writes_frames(xl, demo_dir):
    from dekom_xl.tools.payload import apply_actions

    outcome, actions = run_script(xl, "beregn_rammer", demo_dir / "fordeling_2025.xlsx")
    assert outcome.summary.frames_total == 10_100_000
    wb = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    apply_actions(actions, wb)
    frames = [r[4] for r in wb["Rammer"].iter_rows(min_row=5, max_row=15, values_only=True)]
    assert sum(frames) == 10_100_000
    # The tool sheets and their 10 tables (7 + Utbetaling + Modellrammer's two) are kept and
    # overwritten, not deleted and re-added.
    counts = Counter(a["func"] for a in actions)
    assert counts["sheetDelete"] == counts["addSheet"] == counts["addTable"] == 0
    assert sum(len(wb[s].tables) for s in ALL_TOOL_SHEETS) == 10


def _actions_for_scale(xl, tmp_path, scale):
    from dekom_xl.adapters.builder import build_allocation
    from dekom_xl.tools.synthetic import synthetic_year

    path = tmp_path / f"fordeling_x{scale}.xlsx"
    build_allocation(synthetic_year(scale), path)
    wb = openpyxl.load_workbook(path)
    for sheet in ALL_TOOL_SHEETS:  # every title out of date: every sheet is written again
        wb[sheet]["A1"] = "utdatert"
    wb.save(path)
    outcome, actions = run_script(xl, "oppdater_sammendrag", path)
    return outcome, actions


def test_round_trips_do_not_grow_with_scale(xl, tmp_path):
    one, a1 = _actions_for_scale(xl, tmp_path, 1)
    ten, a10 = _actions_for_scale(xl, tmp_path, 10)
    assert len(ten.summary.networks) == 110
    assert sum(len(s.lines) for s in ten.submissions) == 350
    assert len(a1) == len(a10)
    assert Counter(a["func"] for a in a1) == Counter(a["func"] for a in a10)
    # One write per sheet: Beslutningsgrunnlag (title, note, blank, header, 350 cost lines)
    # goes out in a single setValues.
    writes = Counter(a["sheet_position"] for a in a10 if a["func"] == "setValues")
    assert sorted(writes.values()) == [1] * len(ALL_TOOL_SHEETS)
    biggest = max((a for a in a10 if a["func"] == "setValues"), key=lambda a: a["row_count"])
    # ... and the 110 submissions under it: a gap, a subtitle and the Innmeldinger header.
    assert biggest["row_count"] == 3 + 1 + 350 + 2 + 1 + 110


def test_text_that_looks_like_a_formula_is_sent_as_text():
    from dekom_xl.adapters.live import LiveWorkbook
    from dekom_xl.core.render import Block, SheetContent

    payload = {"client": "Office.js", "version": xw.__version__,
               "book": {"name": "t.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "names": [], "sheets": [{"name": "Ark1", "values": [[""]], "pictures": [],
                                        "shapes": [], "charts": [], "tables": [],
                                        "pivot_tables": [], "notes": []}]}
    book = xw.Book(json=payload)
    LiveWorkbook(book).write_sheet(SheetContent("Kontroll", [
        Block(1, 1, [['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd", "-1+1", "ok"]])]))
    values = next(a for a in book.json()["actions"] if a["func"] == "setValues")["values"]
    assert values == [["'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+cmd", "'-1+1", "ok"]]


@pytest.mark.parametrize("call, expected", [
    (("dekom_rammer", 1000, [[1], [1], [1]], 100), [[334], [333], [333]]),
    (("dekom_rammer", 10_100_000, [[1], [0], [2]], 150_000),
     [[150_000 + 3_216_667], [150_000], [150_000 + 6_433_333]]),
    (("dekom_fordel", 100, [["a", 1], ["b", 2]]), [[33], [67]]),
    (("dekom_likt", 1_739_000, 11), [[158_091]] * 10 + [[158_090]]),  # ties: earlier rows
    (("dekom_belop", "kr 754 521"), 754_521),
    (("dekom_belop", "1 660 100,-"), 1_660_100),
])
def test_udfs_as_plain_functions(xl, call, expected):
    name, *args = call
    assert getattr(xl, name)(*args) == expected


def test_udf_errors_are_bokmal_text(xl):
    assert xl.dekom_belop("985 000?").startswith("Feil: Beløpet «985 000?»")
    assert xl.dekom_rammer(100, [[1], [1]], 60)[0][0].startswith("Feil: Potten")


def test_udfs_through_xlwings_conversion(xl):
    from xlwings.server import custom_functions_call, custom_functions_meta

    names = {f["name"] for f in custom_functions_meta(xl)["functions"]}
    assert names == {"DEKOM_RAMMER", "DEKOM_FORDEL", "DEKOM_LIKT", "DEKOM_BELOP"}

    def call(func_name, *args):
        data = {"func_name": func_name, "args": [a if isinstance(a, list) else [[a]]
                                                 for a in args],
                "version": xw.__version__, "client": "Office.js", "caller_address": "Ark1!A1",
                "formula_name": func_name.upper(), "culture_info_name": "nb-NO",
                "date_format": "dd.mm.yyyy", "runtime": "1.4"}
        return asyncio.run(custom_functions_call(data, xl))

    # Excel sends numbers as floats and ranges as 2-D lists.
    assert call("dekom_rammer", 1000.0, [[1.0], [1.0], [1.0]], 100.0) == [[334], [333], [333]]
    assert call("dekom_belop", "kr 754 521") == [[754_521]]
    assert call("dekom_likt", 10.0, 3.0) == [[4], [3], [3]]


def test_xlwings_lite_main_delegates_to_dekom_xl(demo_dir):
    """docs/xlwings-lite/main.py (what the secretariat pastes into xlwings Lite) works."""
    import importlib.util
    import inspect

    from dekom_xl.tools.payload import payload_from_xlsx

    path = Path(__file__).resolve().parents[1] / "docs" / "xlwings-lite" / "main.py"
    spec = importlib.util.spec_from_file_location("lite_main", path)
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    assert inspect.iscoroutinefunction(main.oppdater_sammendrag)  # Lite awaits it
    assert inspect.iscoroutinefunction(main.beregn_rammer)
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx",
                                          outdated=("Sammendrag",)))
    asyncio.run(main.oppdater_sammendrag(book))
    assert any(a["func"] == "setValues" for a in book.json()["actions"])
    assert main.dekom_belop("kr 1 000,–") == 1000


def test_xlwings_lite_main_under_a_wrapping_script_decorator(demo_dir, monkeypatch):
    """Where @script is live it wraps the function (async, runtime arguments first) and awaits
    main.py's async scripts."""
    import importlib.util

    import xlwings.server

    from dekom_xl.tools.payload import payload_from_xlsx

    monkeypatch.setattr(xw, "script", xlwings.server.script)
    path = Path(__file__).resolve().parents[1] / "docs" / "xlwings-lite" / "main.py"
    spec = importlib.util.spec_from_file_location("lite_main_live", path)
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx",
                                          outdated=("Sammendrag",)))
    asyncio.run(main.oppdater_sammendrag(None, book))
    assert any(a["func"] == "setValues" for a in book.json()["actions"])


def test_hent_beslutningsgrunnlag_reads_the_folder_next_to_the_workbook(xl, demo_copy,
                                                                          monkeypatch):
    from dekom_xl.tools.payload import payload_from_xlsx

    # On the remote engine the book's full name is its bare name: the folder is found
    # relative to the working directory, as it is next to the workbook on a desktop.
    monkeypatch.chdir(demo_copy)
    book = xw.Book(json=payload_from_xlsx(demo_copy / "fordeling_2025.xlsx"))
    outcome = xl.hent_beslutningsgrunnlag(book)
    assert len(outcome.submissions) == 11
    assert {r.recipient: r.amount for r in outcome.summary.recipients}["UiS"] == 562_100
    monkeypatch.chdir(demo_copy / "maler")  # no "maler" folder here: refused, as by the CLI
    book = xw.Book(json=payload_from_xlsx(demo_copy / "fordeling_2025.xlsx"))
    assert xl.hent_beslutningsgrunnlag(book) is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # nothing written, one message
    assert actions[0]["args"][0].startswith(f"Fant ikke mappen {demo_copy / 'maler' / 'maler'}.")
    assert "Ingenting er endret" in actions[0]["args"][0]


def test_buttons_refuse_a_workbook_that_is_not_an_allocation_workbook(xl):
    payload = {"client": "Office.js", "version": xw.__version__,
               "book": {"name": "budsjett.xlsx", "active_sheet_index": 0, "selection": "A1"},
               "names": [], "sheets": [{"name": "Sammendrag", "values": [["mine tall"]],
                                        "pictures": [], "shapes": [], "charts": [],
                                        "tables": [], "pivot_tables": [], "notes": []}]}
    from dekom_xl.core.problems import problem

    expected = problem("not-allocation-workbook", file="budsjett.xlsx",
                       kind="ikke en fordelingsarbeidsbok fra dekom-xl").message
    for name in ("beregn_rammer", "oppdater_sammendrag", "hent_beslutningsgrunnlag", "run_main"):
        book = xw.Book(json=payload)
        assert getattr(xl, name)(book) is None
        # The user's own "Sammendrag" is left alone: the one action is the message box.
        assert book.json()["actions"] == [{
            "func": "alert", "args": [expected, "dekom-xl", "ok", "", ""], "values": None,
            "sheet_position": None, "start_row": None, "start_column": None, "row_count": None,
            "column_count": None}]
    assert "ingenting er skrevet" in expected


def _letter_amounts(folder: Path) -> dict[str, int]:
    import re

    from docx import Document

    amounts = {}
    for doc in sorted(folder.glob("*.docx")):
        text = "\n".join(p.text for p in Document(str(doc)).paragraphs)
        m = re.search(r"Tildelt beløp til (.+?): kroner ([\d \u00a0]+)", text)
        assert m, doc.name
        amounts[m.group(1)] = int(re.sub(r"\D", "", m.group(2)))
    return amounts


def test_skriv_tildelingsbrev_writes_the_letters_beside_the_workbook(xl, demo_dir, tmp_path,
                                                                     monkeypatch):
    pytest.importorskip("docxtpl")
    from dekom_xl.tools.payload import payload_from_xlsx

    monkeypatch.chdir(tmp_path)  # the remote engine's workbook folder
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx"))
    outcome = xl.skriv_tildelingsbrev(book)
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # nothing written to the workbook
    assert actions[0]["args"][0] == (f"Skrev 16 tildelingsbrev (til sammen kr 11 400 000) i "
                                     f"mappen {tmp_path / 'brev'}.")
    amounts = _letter_amounts(tmp_path / "brev")
    assert len(amounts) == 16 == len(outcome.settlement.recipients)
    assert sum(amounts.values()) == outcome.settlement.total == 11_400_000
    assert {r.recipient: r.amount for r in outcome.settlement.recipients} == amounts


def test_skriv_tildelingsbrev_without_docxtpl_says_so(xl, demo_dir, tmp_path, monkeypatch):
    import builtins

    from dekom_xl.core.problems import problem
    from dekom_xl.tools.payload import payload_from_xlsx

    real_import = builtins.__import__

    def no_docxtpl(name, *args, **kwargs):
        if name == "docxtpl":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_docxtpl)
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx"))
    assert xl.skriv_tildelingsbrev(book) is None
    actions = book.json()["actions"]
    assert [(a["func"], a["args"][0]) for a in actions] == [
        ("alert", problem("letters-unavailable").message)]
    assert not (tmp_path / "brev").exists()


@pytest.mark.parametrize("name, old, new, expected", [
    ("fordeling_2025.xlsx", 2025, 2026, "fordeling_2026.xlsx"),
    ("fordeling_2025.xlsm", 2025, 2026, "fordeling_2026.xlsx"),  # built without macros
    ("Dekom 2025 endelig.xlsx", 2025, 2026, "Dekom 2026 endelig.xlsx"),
    ("fordeling.xlsx", 2025, 2026, "fordeling_2026.xlsx"),
])
def test_the_new_year_button_names_the_new_workbook_like_the_old(name, old, new, expected):
    from dekom_xl.app.newyear import next_name

    assert next_name(name, old, new) == expected


def test_nytt_ar_writes_next_year_beside_the_workbook_like_the_command_line(
        xl, demo_dir, tmp_path, monkeypatch, capsys):
    from dekom_xl.cli import main
    from dekom_xl.tools.payload import payload_from_xlsx, sheet_cells

    monkeypatch.chdir(tmp_path)  # the remote engine's workbook folder
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx"))
    assert xl.nytt_ar(book) is not None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # nothing written to this workbook
    message = actions[0]["args"][0]
    assert message.startswith(f"Laget fordeling_2026.xlsx for 2026 i mappen {tmp_path}. 11 "
                              "nettverk, ")
    assert message.endswith("Denne arbeidsboken er ikke endret.")
    # The same workbook as `dekom-xl new-year` writes from the same file.
    cli_new = tmp_path / "cli" / "fordeling_2026.xlsx"
    cli_new.parent.mkdir()
    assert main(["new-year", str(demo_dir / "fordeling_2025.xlsx"), str(cli_new),
                 "--year", "2026"]) == 0
    capsys.readouterr()
    got, want = openpyxl.load_workbook(tmp_path / "fordeling_2026.xlsx"), \
        openpyxl.load_workbook(cli_new)
    assert got.sheetnames == want.sheetnames
    for sheet in ("Oppsett", "Nettverk", "Saldo", "Scenarier", "Kommuner"):
        assert sheet_cells(got[sheet]) == sheet_cells(want[sheet]), sheet
    assert got["Oppsett"]["B11"].value == 2026

    # A second press never writes over it: refused, the file as it was.
    before = (tmp_path / "fordeling_2026.xlsx").read_bytes()
    book = xw.Book(json=payload_from_xlsx(demo_dir / "fordeling_2025.xlsx"))
    assert xl.nytt_ar(book) is None
    from dekom_xl.core.problems import problem

    assert [(a["func"], a["args"][0]) for a in book.json()["actions"]] == [
        ("alert", problem("new-year-button-exists", file="fordeling_2026.xlsx",
                          folder=str(tmp_path)).message)]
    assert (tmp_path / "fordeling_2026.xlsx").read_bytes() == before


def test_nytt_ar_without_a_year_on_oppsett_says_so_and_writes_nothing(xl, demo_dir, tmp_path,
                                                                      monkeypatch):
    from dekom_xl.core.problems import problem
    from dekom_xl.tools.payload import payload_from_xlsx

    old = tmp_path / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    wb["Oppsett"]["B11"] = None  # the year (dekom_ar)
    wb.save(old)
    monkeypatch.chdir(tmp_path)
    book = xw.Book(json=payload_from_xlsx(old))
    assert xl.nytt_ar(book) is None
    assert [(a["func"], a["args"][0]) for a in book.json()["actions"]] == [
        ("alert", problem("new-year-no-year", file="fordeling_2025.xlsx").message)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fordeling_2025.xlsx"]
