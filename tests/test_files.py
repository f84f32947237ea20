"""The file adapter (dekom_xl.adapters.files): reading tables and names, writing tool sheets, saving.

Each test writes a real file, goes through the adapter, and opens the result again with
openpyxl (or reads its XML) to see what a user would get.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table

from dekom_xl.adapters import files
from dekom_xl.adapters.files import FileProblem, FileWorkbook, backups, open_workbook
from dekom_xl.core import tables as T
from dekom_xl.core.model import Location
from dekom_xl.core.render import FMT_KR, Block, Chart, SheetContent

HYPERLINK = '=HYPERLINK("http://example.invalid","klikk")'


def _sheet_xml(path: Path, sheet: str) -> str:
    """The XML part of ``sheet`` (found through the workbook's relationships)."""
    wb = FileWorkbook(path)
    return zipfile.ZipFile(path).read(wb._sheet_parts[sheet]).decode()


@pytest.fixture
def book(tmp_path) -> Path:
    """A tiny allocation-like workbook made with openpyxl.

    Oppsett!B2 ``dekom_type`` = fordeling, B3 ``dekom_ar``; table ``Nettverk`` at A1:C5 on
    Nettverk with a formula never calculated (B3), a hidden row (4) and a blank last row;
    a sheet-scoped ``dekom_nettverk`` on Ark2; an old Rammer sheet with a table of its own.
    """
    wb = openpyxl.Workbook()
    setup = wb.active
    setup.title = "Oppsett"
    setup["B2"], setup["B3"] = "fordeling", 2025
    wb.defined_names[T.N_KIND] = DefinedName(T.N_KIND, attr_text="'Oppsett'!$B$2")
    wb.defined_names[T.N_YEAR] = DefinedName(T.N_YEAR, attr_text="'Oppsett'!$B$3")
    ws = wb.create_sheet("Nettverk")
    for row in (["Nettverk", "Koordinering", "Beløp"], ["Fosen", 100_000, 5],
                ["Værnes", "=B2+1", 7], ["Skjult", 300_000, 9], [None, None, None]):
        ws.append(row)
    ws.row_dimensions[4].hidden = True
    ws["E1"] = "utenfor tabellen"
    ws.add_table(Table(displayName="Nettverk", ref="A1:C5"))
    old = wb.create_sheet("Rammer")
    old["A1"], old["Z99"] = "Navn", "gammelt"
    old["A2"] = "x"
    old.add_table(Table(displayName="Gammel", ref="A1:A2"))
    other = wb.create_sheet("Ark2")
    other["B4"] = "Fosennettverket"
    other.defined_names[T.N_NETWORK] = DefinedName(T.N_NETWORK, attr_text="'Ark2'!$B$4")
    wb.create_sheet("Kontroll")
    path = tmp_path / "fordeling.xlsx"
    wb.save(path)
    return path


def _give_cached_value(path: Path, cell: str, value: int) -> None:
    """Rewrite the file as if Excel had calculated ``cell`` (its <v> filled in)."""
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rf'(<c r="{cell}"[^>]*>\s*<f>[^<]*</f>)\s*<v\s*/>'.encode(),
                              rb"\1<v>" + str(value).encode() + b"</v>", data)
            dst.writestr(info, data)
    tmp.replace(path)


# -- reading -------------------------------------------------------------------------------
def test_read_table_values_positions_hidden_rows_and_uncalculated_formulas(book):
    t = FileWorkbook(book).read_table("nettverk")  # table names are case-insensitive
    assert (t.name, t.sheet, t.file) == ("Nettverk", "Nettverk", "fordeling.xlsx")
    assert t.columns == ["Nettverk", "Koordinering", "Beløp"]
    assert (t.first_row, t.first_col) == (2, 1)
    assert t.rows[0] == ["Fosen", 100_000, 5]
    assert t.rows[1] == ["Værnes", None, 7]  # no cached value: None, and named below
    assert t.formula_cells == {"B3": "=B2+1"}
    assert t.hidden_rows == {4}
    assert t.cell(1, "Koordinering") == "B3"
    assert len(t.rows) == 4 and t.is_blank(3)


@pytest.mark.parametrize("for_update", [False, True])
def test_a_calculated_formula_reads_as_its_cached_value(book, for_update):
    _give_cached_value(book, "B3", 100_001)
    t = FileWorkbook(book, for_update=for_update).read_table("Nettverk")
    assert t.rows[1][1] == 100_001
    assert t.formula_cells == {}


def test_a_header_edited_by_hand_is_tolerated(book):
    wb = openpyxl.load_workbook(book)
    wb["Nettverk"]["C1"] = None  # emptied: the table's own column name is used
    wb["Nettverk"]["B1"] = "Koordinering (maks)"  # renamed: read as the user sees it
    wb.save(book)
    t = FileWorkbook(book).read_table("Nettverk")
    assert t.columns == ["Nettverk", "Koordinering (maks)", "Beløp"]
    assert t.value(0, "Beløp") == 5


def test_defined_names_workbook_and_sheet_scope(book):
    wb = FileWorkbook(book)
    kind = wb.read_field(T.N_KIND)
    assert kind.value == "fordeling"
    assert kind.where == Location("fordeling.xlsx", "Oppsett", "B2")
    assert wb.kind() == T.KIND_ALLOCATION
    assert wb.read_field("DEKOM_AR").value == 2025
    assert wb.read_field(T.N_NETWORK, sheet="Ark2").value == "Fosennettverket"
    assert wb.read_field(T.N_NETWORK).value == "Fosennettverket"  # falls back to a sheet scope
    assert wb.read_field(T.N_NETWORK, sheet="Oppsett") is None
    assert set(wb.fields_on("Ark2")) == {T.N_NETWORK}
    assert set(wb.fields_on("Oppsett")) == {T.N_KIND, T.N_YEAR}
    assert wb.read_field("finnes_ikke") is None
    assert wb.table_names() == {"Nettverk": "Nettverk", "Gammel": "Rammer"}
    assert wb.read_table("Finnes") is None


def test_demo_workbook_and_template_are_read(demo_dir):
    book = FileWorkbook(demo_dir / "fordeling_2025.xlsx")
    assert book.read_field(T.N_GRANT).value == 14_239_000
    budget = book.read_table(T.BUDGET)
    assert budget.column_index("Beløp") is not None and len(budget.rows) >= 8
    tpl = FileWorkbook(demo_dir / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx")
    assert tpl.kind() == T.KIND_TEMPLATE
    assert tpl.read_field(T.N_NETWORK).value == "Fosennettverket"
    assert {f"dekom_svar_{c}" for c in T.CRITERIA} <= set(tpl.fields_on(T.TEMPLATE_SHEET))
    measures = tpl.read_table(T.MEASURES)
    assert measures.columns[: len(T.MEASURE_COLUMNS)] == T.MEASURE_COLUMNS


# -- writing -------------------------------------------------------------------------------
def test_append_rows_grows_the_table_and_touches_nothing_else(book):
    before = openpyxl.load_workbook(book)["Nettverk"]
    kept = {c.coordinate: c.value for row in before.iter_rows() for c in row}
    wb = FileWorkbook(book, for_update=True)
    wb.append_rows("Nettverk", [["Ny", 1, 2], ["Ny 2", None, HYPERLINK]])
    wb.save()
    ws = openpyxl.load_workbook(book)["Nettverk"]
    assert ws.tables["Nettverk"].ref == "A1:C6"  # the blank last row is reused, then one more
    assert [c.value for c in ws[5]][:3] == ["Ny", 1, 2]
    assert ws["C6"].value == HYPERLINK and ws["C6"].data_type == "s"
    for coord, value in kept.items():
        if value is not None:
            assert ws[coord].value == value, coord
    assert ws["E1"].value == "utenfor tabellen"


def _content(title: str = "Ny tittel") -> SheetContent:
    return SheetContent(
        "Rammer",
        blocks=[Block(1, 1, [[title]], style="title"),
                Block(3, 1, [["Mottaker", "Beløp"], [HYPERLINK, 1_234_567], ["UiS", 562_100]],
                      table="Test", formats={1: FMT_KR}, header=True, alerts={1: "nonzero"})],
        charts=[Chart("pie", "Fordeling", 4, 5, 1, 2, "E3"),
                Chart("bar", "Rammer", 4, 5, 1, 2, "E20")],
        widths={1: 30.0}, freeze=(4, 1))


def test_write_sheet_replaces_the_tool_sheet_in_place(book):
    wb = FileWorkbook(book, for_update=True)
    wb.write_sheet(_content("Første"))
    wb.write_sheet(_content())  # twice: still one sheet, one table of that name
    wb.write_sheet(SheetContent("Vedtak", [Block(1, 1, [["Tekst"]], style="text")]))
    wb.save()
    out = openpyxl.load_workbook(book)
    assert out.sheetnames == ["Oppsett", "Nettverk", "Rammer", "Ark2", "Kontroll", "Vedtak"]
    ws = out["Rammer"]
    assert ws["A1"].value == "Ny tittel" and ws["A1"].font.b
    assert ws["Z99"].value is None and "Gammel" not in ws.tables  # the old content is gone
    assert list(ws.tables) == ["Test"] and ws.tables["Test"].ref == "A3:B5"
    assert ws["B4"].value == 1_234_567 and ws["B4"].number_format == FMT_KR
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["A"].width == 30.7109375  # XlsxWriter's width, as in `new`
    assert ws.conditional_formatting  # the amber alert
    xml = _sheet_xml(book, "Rammer")
    assert "<f>" not in xml
    with zipfile.ZipFile(book) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert sorted("pieChart" in c for c in charts) == [False, True]
    assert any("barChart" in c and "Rammer!$A$4:$A$5" in c for c in charts)


def test_text_is_never_written_as_a_formula(book):
    wb = FileWorkbook(book, for_update=True)
    wb.write_sheet(_content())
    wb.save()
    cell = openpyxl.load_workbook(book)["Rammer"]["A4"]
    assert cell.value == HYPERLINK and cell.data_type == "s"
    # Read back through the adapter as Excel would show it: text, not a computed link.
    assert FileWorkbook(book).read_table("Test").rows[0][0] == HYPERLINK


def test_save_is_atomic_and_keeps_dated_backups(book):
    first = book.read_bytes()
    wb = FileWorkbook(book, for_update=True)
    wb.write_sheet(_content())
    wb.save()
    assert [p.read_bytes() for p in backups(book)] == [first]
    second = book.read_bytes()
    wb = FileWorkbook(book, for_update=True)
    wb.write_sheet(_content("Igjen"))
    wb.save()
    assert [p.read_bytes() for p in backups(book)] == [first, second]  # both generations kept
    assert all(re.fullmatch(r"fordeling\.\d{8}-\d{6}-\d{6}\.xlsx", p.name) for p in backups(book))
    assert sorted(p.name for p in book.parent.iterdir()) == [
        ".dekom-backup", "fordeling.xlsx"]  # no temporary file left behind


def test_only_the_last_backups_are_kept(book):
    from dekom_xl.adapters.files.save import KEEP_BACKUPS

    for i in range(KEEP_BACKUPS + 3):
        wb = FileWorkbook(book, for_update=True)
        wb.write_sheet(_content(f"Runde {i}"))
        wb.save()
    assert len(backups(book)) == KEEP_BACKUPS


def test_xlsm_keeps_its_macros(tmp_path):
    src = Path(__file__).resolve().parents[1] / "xlsx_templates" / "fordeling.xlsm"
    if not src.exists():
        pytest.skip("xlsx_templates/fordeling.xlsm is not built")
    book = tmp_path / "fordeling.xlsm"
    shutil.copy(src, book)
    wb = open_workbook(book, kind=T.KIND_ALLOCATION, for_update=True)
    wb.write_sheet(_content())
    wb.save()
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(book) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")


# -- refusing ------------------------------------------------------------------------------
def test_a_template_is_refused_as_the_allocation_workbook(demo_dir, tmp_path):
    tpl = tmp_path / "fosen.xlsx"
    shutil.copy(demo_dir / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx", tpl)
    before = tpl.read_bytes()
    with pytest.raises(FileProblem) as err:
        open_workbook(tpl, kind=T.KIND_ALLOCATION, for_update=True)
    p = err.value.problem
    assert (p.code, p.file) == ("not-allocation-workbook", "fosen.xlsx")
    assert "beslutningsgrunnlag" in p.message and "ingenting er skrevet" in p.message
    assert tpl.read_bytes() == before
    assert open_workbook(tpl, kind=T.KIND_TEMPLATE).kind() == T.KIND_TEMPLATE
    assert open_workbook(demo_dir / "fordeling_2025.xlsx", kind=T.KIND_ALLOCATION)


def test_a_workbook_without_dekom_type_is_refused(tmp_path):
    plain = tmp_path / "budsjett.xlsx"
    openpyxl.Workbook().save(plain)
    with pytest.raises(FileProblem) as err:
        open_workbook(plain, kind=T.KIND_ALLOCATION)
    assert err.value.problem.code == "not-allocation-workbook"
    assert "ikke en fordelingsarbeidsbok" in err.value.problem.message


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hei.txt", "hei")


@pytest.mark.parametrize("name, make, code", [
    ("mangler.xlsx", None, "file-missing"),
    ("tom.xlsx", lambda p: p.write_bytes(b""), "file-empty"),
    ("tekst.xlsx", lambda p: p.write_text("Nettverk;Beløp\n"), "file-not-xlsx"),
    ("gammel.xls", lambda p: p.write_bytes(OLE), "file-old-format"),
    ("kryptert.xlsx", lambda p: p.write_bytes(OLE), "file-encrypted"),
    ("zip.xlsx", _zip_without_workbook, "file-not-xlsx"),
    ("skadet.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 100), "file-not-xlsx"),
])
def test_bad_files_are_refused_with_a_bokmal_problem(tmp_path, name, make, code):
    path = tmp_path / name
    if make:
        make(path)
    with pytest.raises(FileProblem) as err:
        open_workbook(path)
    p = err.value.problem
    assert p.code == code and p.file == name
    assert name in p.message and p.severity.value == "feil"


def test_too_large_is_refused_before_parsing(book, monkeypatch):
    monkeypatch.setattr(files.gate, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(files.gate, "_load", lambda *a, **k: pytest.fail("parsed a refused file"))
    with pytest.raises(FileProblem) as err:
        open_workbook(book)
    assert err.value.problem.code == "file-too-large"
    assert "over grensen" in err.value.problem.message
