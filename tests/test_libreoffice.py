"""A real spreadsheet engine opens what we write and recalculates to Python's figures."""

from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip

from dekom_xl.core import tables as T

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def recalculated(demo_dir, tmp_path_factory):
    soffice_or_skip()
    from dekom_xl.tools.lo import recalc

    out = tmp_path_factory.mktemp("lo")
    files = [demo_dir / "fordeling_2025.xlsx", *sorted((demo_dir / "maler").glob("*.xlsx"))]
    return {f.name: recalc(f, out) for f in files}


def test_every_workbook_opens_without_error_cells(recalculated):
    from dekom_xl.tools.lo import error_cells

    assert len(recalculated) == 12
    for name, path in recalculated.items():
        assert error_cells(path) == [], name


def test_budget_checks_recalculate_to_pythons_figures(recalculated):
    ws = openpyxl.load_workbook(recalculated["fordeling_2025.xlsx"], data_only=True)["Oppsett"]
    assert [ws[c].value for c in ("B19", "B20", "B21", "B22")] == [
        12_500_000, 462_500, 1_739_000, 1_276_500]


def test_template_live_totals_equal_the_sum_of_their_lines(recalculated, demo_dir):
    from dekom_xl.app.collect import read_decision_base

    for name, path in recalculated.items():
        if not name.startswith("beslutningsgrunnlag"):
            continue
        sub, _ = read_decision_base(demo_dir / "maler" / name)
        wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb[T.TEMPLATE_SHEET]
        requested = ws["B11"].value
        assert requested == sub.requested, name
        frame_incl = ws["B9"].value
        assert ws["B12"].value == requested - frame_incl, name
        expected = ("Over rammen" if requested > frame_incl else
                    "Under rammen" if requested < frame_incl else "På rammen")
        assert ws["C12"].value == expected, name


def test_indre_namdal_template_shows_779_over(recalculated):
    ws = openpyxl.load_workbook(recalculated["beslutningsgrunnlag_kompetanseloftet_2025_indre_namdal.xlsx"],
                                data_only=True)[T.TEMPLATE_SHEET]
    assert (ws["B11"].value, ws["B12"].value, ws["C12"].value) == (380_000, 779, "Over rammen")


def test_summary_renders_to_png(demo_dir, tmp_path):
    soffice_or_skip()
    from dekom_xl.tools.lo import render_png

    pages = render_png(demo_dir / "fordeling_2025.xlsx", tmp_path, sheet="Sammendrag", dpi=40)
    assert pages and all(Path(p).stat().st_size > 5000 for p in pages)


# -- the builders' own output, recalculated -------------------------------------------------
@pytest.fixture(scope="module")
def built_book(tmp_path_factory):
    """The sample year's allocation workbook with its decision bases (so it has numbers)."""
    soffice_or_skip()
    from dekom_xl.adapters.builder import build_allocation
    from dekom_xl.app.samples import sample_year

    out = tmp_path_factory.mktemp("built")
    return build_allocation(sample_year(with_submissions=True), out / "fordeling_2025.xlsx")


def test_built_allocation_workbook_recalculates_without_error_cells(built_book, tmp_path):
    from dekom_xl.tools.lo import error_cells, recalc

    done = recalc(built_book, tmp_path)
    assert error_cells(done) == []
    ws = openpyxl.load_workbook(done, data_only=True)["Oppsett"]
    assert [ws[c].value for c in ("B19", "B20", "B21", "B22")] == [
        12_500_000, 462_500, 1_739_000, 1_276_500]
    assert ws["C19"].value in (None, "") and ws["C20"].value in (None, "")


def test_amounts_show_with_space_grouping_kr_and_signs(built_book, tmp_path):
    """As LibreOffice shows them with Norwegian settings: small, large and negative numbers."""
    from dekom_xl.tools.lo import shown_values

    rows: dict[str, list[str]] = {}
    for r in shown_values(built_book, tmp_path, "Sammendrag"):
        if r:
            rows.setdefault(r[0], r)  # the first "Sum" is the per-network total
    assert rows["Nettverket Indre Namdal"][1:7] == [
        "kr 279 221", "kr 100 000", "kr 379 221", "kr 380 000", "kr 379 221", "+779"]
    assert rows["Nettverket for de videregående skolene"][6] == "-35"  # the sign is kept
    assert rows["Værnes-nettverket"][6] == "-163 881"
    assert rows["Innherredsnettverket"][6] == "0"
    assert rows["Sum"][1:3] == ["kr 10 100 000", "kr 1 300 000"]
    assert rows["SEPU"][1:3] == ["kr 127 600", "1,1 %"]
    frames = {r[0]: r for r in shown_values(built_book, tmp_path / "r", "Rammer") if r}
    assert frames["Sum"][2] == "kr 1 650 000"
    assert frames["Fosennettverket"][1].replace(" ", "").isdigit()  # a whole pupil count


def test_budget_checks_follow_a_new_line_and_turn_red(built_book, tmp_path):
    """A line added to Budsjett counts at once; over the grant, the check says so."""
    from dekom_xl.tools.lo import recalc

    path = tmp_path / "f.xlsx"
    wb = openpyxl.load_workbook(built_book)
    ws = wb["Oppsett"]
    table = ws.tables["Budsjett"]
    for col, value in enumerate(["ekstra", "Ekstra tiltak", 2_000_000, "fast", None], start=1):
        ws.cell(34, col).value = value
    table.ref = table.autoFilter.ref = "A25:E34"
    wb.save(path)
    ws = openpyxl.load_workbook(recalc(path, tmp_path / "lo"), data_only=True)["Oppsett"]
    assert [ws[c].value for c in ("B19", "B21", "C19")] == [
        14_500_000, -261_000, "Over tildelt beløp!"]


@pytest.fixture(scope="module")
def big_template(tmp_path_factory):
    """Fosen's template filled with more lines than it has rows (the table grows)."""
    soffice_or_skip()
    from dekom_xl.adapters.builder import TEMPLATE_ROWS, build_template, fill_template
    from dekom_xl.app.samples import sample_year
    from dekom_xl.core.model import CostLine

    out = tmp_path_factory.mktemp("tpl")
    path = build_template(sample_year(), "Fosennettverket", out / "fosen.xlsx")
    lines = [CostLine("Fosennettverket", f"Tiltak {i}", 10_000 + i, 5_000 if i % 2 else 0,
                      "NTNU") for i in range(TEMPLATE_ROWS + 5)]
    fill_template(path, lines, coordination=60_000)
    return path, sum(c.network_cost + c.uh_cost for c in lines) + 60_000


def test_template_total_counts_every_line_of_a_grown_table(big_template, tmp_path):
    from dekom_xl.tools.lo import error_cells, recalc

    path, requested = big_template
    done = recalc(path, tmp_path)
    assert error_cells(done) == []
    ws = openpyxl.load_workbook(done, data_only=True)[T.TEMPLATE_SHEET]
    assert ws["B11"].value == requested
    assert ws["B12"].value == requested - ws["B9"].value
    assert ws["C12"].value == ("Over rammen" if requested > ws["B9"].value else "Under rammen")
    assert ws["A13"].value in (None, "")  # nothing outside the table


def test_template_warns_about_text_typed_under_the_table(big_template, tmp_path):
    """LibreOffice never grows a table (nor Excel on a protected sheet): such a row is not
    counted, and the sheet says so."""
    from dekom_xl.adapters.builder import OUTSIDE_TABLE
    from dekom_xl.tools.lo import recalc

    path, requested = big_template
    wb = openpyxl.load_workbook(path)
    ws = wb[T.TEMPLATE_SHEET]
    below = int(ws.tables["Tiltak"].ref.split(":")[1][1:]) + 1
    ws.cell(below, 1).value, ws.cell(below, 2).value = "Glemt tiltak", 99_000
    wb.save(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(recalc(tmp_path / "t.xlsx", tmp_path / "lo"),
                                data_only=True)[T.TEMPLATE_SHEET]
    assert ws["B11"].value == requested  # what collect reads: the table
    assert ws["A13"].value == OUTSIDE_TABLE


@pytest.mark.parametrize("sheet", ["Sammendrag", "Modellrammer"])
def test_meeting_sheets_print_on_one_a4_page_with_their_chart_whole(demo_dir, tmp_path, sheet):
    """The sheets for the meeting (a chart under a table) print as one page, not a chart cut
    in two across pages (LibreOffice honours the fit-to-page setting as Excel does)."""
    soffice_or_skip()
    import subprocess

    from dekom_xl.tools.lo import convert, only_sheet

    pdf = convert(only_sheet(demo_dir / "fordeling_2025.xlsx", sheet, tmp_path / "one.xlsx"),
                  tmp_path, "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Pages:           1\n" in info.stdout
