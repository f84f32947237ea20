"""Collect: decision bases in, tool sheets regenerated, user sheets untouched."""

import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import paste_decision_base_sheet

from dekom_xl.adapters.builder import fill_template
from dekom_xl.cli import main
from dekom_xl.core import tables as T

USER_SHEETS = ("Oppsett", "Nettverk", "Innstilling")


def cells(path: Path, sheets=None) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                       if c.value is not None}
            for ws in wb.worksheets if sheets is None or ws.title in sheets}


def set_cell(path: Path, sheet: str, cell: str, value) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell].value = value
    if isinstance(value, str):
        wb[sheet][cell].data_type = "s"
    wb.save(path)


def run_json(capsys, *args) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_uncertain_amount_is_located_and_the_rest_is_consolidated(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    bad = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    set_cell(bad, T.TEMPLATE_SHEET, "C33", "985 000?")
    code, out = run_json(capsys, "collect", str(book), str(demo_copy / "maler"))
    assert code == 1
    hits = [p for p in out["problems"] if p["code"] == "amount-uncertain"]
    assert [(p["file"], p["sheet"], p["cell"], p["network"]) for p in hits] == [
        (bad.name, T.TEMPLATE_SHEET, "C33", "Fosennettverket")]
    assert "985 000?" in hits[0]["message"]
    # Kontroll names the file, sheet and cell; every network is still consolidated.
    wb = openpyxl.load_workbook(book)
    rows = list(wb["Kontroll"].iter_rows(min_row=5, values_only=True))
    assert ("feil", "amount-uncertain") == rows[0][:2]
    assert rows[0][4:7] == (bad.name, T.TEMPLATE_SHEET, "C33")
    subs = wb["Beslutningsgrunnlag"].tables[T.SUBMISSIONS]
    first_col, first_row, _, last_row = openpyxl.utils.cell.range_boundaries(subs.ref)
    networks = [r[0] for r in wb["Beslutningsgrunnlag"].iter_rows(
        min_row=first_row + 1, max_row=last_row, min_col=first_col, max_col=first_col,
        values_only=True) if r[0]]
    assert len(networks) == 11
    assert out["summary"]["recipients"][0]["recipient"]  # a summary is still made


def test_collect_twice_gives_the_same_cells_and_keeps_user_sheets(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    # The user typed something in their own sheets: it must survive, cell for cell.
    set_cell(book, "Innstilling", "D6", "Merknad skrevet av sekretariatet 12.03.")
    set_cell(book, "Oppsett", "G2", "Notat: sjekk usikre poster før møtet")
    set_cell(book, "Nettverk", "F6", "Levanger/Verdal")  # an alias typed into the table
    set_cell(book, "Nettverk", "K20", '=HYPERLINK("http://example.invalid")')
    before = cells(book, USER_SHEETS)
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    first = cells(book)
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    again = cells(book)
    assert again.pop("Logg") != first.pop("Logg")  # a row more in the run log
    assert again == first
    assert cells(book, USER_SHEETS) == before
    assert before["Oppsett"]["G2"].startswith("Notat")
    assert before["Nettverk"]["F6"] == "Levanger/Verdal"
    assert len(list((demo_copy / ".dekom-backup").glob("fordeling_2025.*.xlsx"))) >= 2  # dated


def test_text_from_a_network_is_never_a_formula(demo_copy):
    tpl = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    evil = ['=HYPERLINK("http://example.invalid","klikk")', "@SUM(A1:A2)", "+cmd", "-1+1"]
    for i, text in enumerate(evil):
        set_cell(tpl, T.TEMPLATE_SHEET, f"A{35 + i}", text)
        set_cell(tpl, T.TEMPLATE_SHEET, f"B{35 + i}", 1000)
    book = demo_copy / "fordeling_2025.xlsx"
    main(["collect", str(book), str(demo_copy / "maler")])
    ws = openpyxl.load_workbook(book)["Beslutningsgrunnlag"]
    found = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value in evil}
    assert set(found) == set(evil)
    assert set(found.values()) == {"s"}
    with zipfile.ZipFile(book) as z:
        sheet = z.read("xl/worksheets/sheet5.xml").decode()
    import re

    assert not re.search(r"<c [^>]*>\s*<f", sheet)  # no formula cell at all
    assert re.search(r'<c r="B\d+"[^>]* t="(inlineStr|s)"><is><t>=HYPERLINK', sheet)


def test_pasted_decision_base_sheet_is_read(demo_copy, capsys):
    """A user copies a network's sheet into the allocation workbook instead of the folder."""
    book = demo_copy / "fordeling_2025.xlsx"
    empty = demo_copy / "tom"
    empty.mkdir()
    src = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    # Simulate Excel's "Move or copy sheet": the table is renamed Tiltak2, names are sheet-scoped.
    wb = openpyxl.load_workbook(book)
    paste_decision_base_sheet(wb, src, "Fosen")
    wb.save(book)
    code, out = run_json(capsys, "collect", str(book), str(empty))
    nets = {n["network"]: n for n in out["summary"]["networks"]}
    assert nets["Fosennettverket"]["requested"] == 643_042
    assert sum(1 for n in nets.values() if n["requested"] is not None) == 1
    # Checking (or pressing the button) afterwards reads the pasted sheet once, not twice.
    code, out = run_json(capsys, "check", str(book))
    assert "duplicate-submission" not in {p["code"] for p in out["problems"]}
    nets = {n["network"]: n for n in out["summary"]["networks"]}
    assert nets["Fosennettverket"]["requested"] == 643_042


def test_collect_refuses_a_template_as_the_workbook(demo_copy, capsys):
    tpl = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    before = tpl.read_bytes()
    code = main(["collect", str(tpl), str(demo_copy / "maler")])
    err = capsys.readouterr().err
    assert code == 2
    assert "not-allocation-workbook" in err and "beslutningsgrunnlag" in err
    assert tpl.read_bytes() == before


def test_fill_template_grows_the_table(tmp_path, demo_dir):
    from dekom_xl.app.collect import read_decision_base
    from dekom_xl.core.model import CostLine

    tpl = tmp_path / "t.xlsx"
    shutil.copy(demo_dir / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx", tpl)
    lines = [CostLine("Fosennettverket", f"Tiltak {i}", 1000, 0) for i in range(20)]
    fill_template(tpl, lines)
    sub, problems = read_decision_base(tpl)
    assert len(sub.lines) == 20 and sum(c.network_cost for c in sub.lines) == 20_000
    assert not [p for p in problems if p.severity.value == "feil"]


@pytest.mark.parametrize("written", ["Vaernes", "VÆRNES-nettverket", "Værnes"])
def test_network_written_differently_is_recognised(demo_copy, capsys, written):
    tpl = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_vaernes.xlsx"
    set_cell(tpl, T.TEMPLATE_SHEET, "B4", written)
    code, out = run_json(capsys, "collect", str(demo_copy / "fordeling_2025.xlsx"),
                         str(demo_copy / "maler"))
    assert code == 0
    nets = {n["network"]: n for n in out["summary"]["networks"]}
    assert nets["Værnes-nettverket"]["requested"] == 630_000


def test_missing_innstilling_row_is_added_and_typed_cells_stay(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Innstilling"]
    t = ws.tables["Innstilling"]
    last = ws.max_row
    removed = ws.cell(last, 1).value
    for c in range(1, 6):
        ws.cell(last, c).value = None
    t.ref = f"A4:E{last - 1}"
    t.autoFilter.ref = t.ref
    wb.save(book)
    before = cells(book, ["Innstilling"])["Innstilling"]
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    after = cells(book, ["Innstilling"])["Innstilling"]
    assert {k: v for k, v in after.items() if k in before} == before  # nothing typed changed
    added = {k: v for k, v in after.items() if k not in before}
    assert added == {f"A{last}": removed}
    assert openpyxl.load_workbook(book)["Innstilling"].tables["Innstilling"].ref == f"A4:E{last}"


def test_chart_on_a_user_sheet_is_kept(demo_copy, capsys):
    """Charts on user sheets are kept byte for byte now (the writer owns only its parts)."""
    from openpyxl.chart import BarChart, Reference

    book = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Oppsett"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=26, max_row=30))
    ws.add_chart(chart, "H3")
    wb.save(book)
    with zipfile.ZipFile(book) as z:
        mine = {n: z.read(n) for n in z.namelist() if "chart" in n and "1" in n}
    code = main(["collect", str(book), str(demo_copy / "maler")])
    assert code == 0, capsys.readouterr()
    with zipfile.ZipFile(book) as z:
        assert {n: z.read(n) for n in mine} == mine


def test_backups_in_the_folder_are_not_read_as_decision_bases(demo_copy, capsys):
    maler = demo_copy / "maler"
    shutil.copy(maler / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx",
                maler / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.forrige.xlsx")
    code, out = run_json(capsys, "collect", str(demo_copy / "fordeling_2025.xlsx"), str(maler))
    assert code == 0
    assert "duplicate-submission" not in {p["code"] for p in out["problems"]}
