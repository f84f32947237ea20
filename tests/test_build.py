"""The workbooks users open, checked by opening the real files with openpyxl."""

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from dekom_xl.adapters.builder import (
    TEMPLATE_ROWS,
    build_allocation,
    build_template,
    fill_template,
    template_filename,
)
from dekom_xl.app.samples import sample_year
from dekom_xl.core import tables as T
from dekom_xl.core.model import CostLine
from dekom_xl.core.render import FMT_DIFF, FMT_INT, FMT_KR

ROOT = Path(__file__).resolve().parents[1]
EVIL = ['=HYPERLINK("http://example.invalid","klikk")', "@SUM(A1:A9)", "+cmd|' /C calc'!A0",
        "-1+1"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    data = sample_year()
    build_allocation(data, out / "fordeling.xlsx")
    build_template(data, "Nettverket Indre Namdal", out / "mal.xlsx")
    return out


def names_of(wb) -> dict[str, tuple[str, str]]:
    """Workbook-level defined names → (sheet, cell without $)."""
    out = {}
    for n, d in wb.defined_names.items():
        sheet, ref = next(d.destinations)
        out[n] = (sheet, ref.replace("$", ""))
    return out


def validations(ws) -> dict[str, object]:
    """sqref → validation, for lookups by the range they cover."""
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_allocation_workbook_sheets_tables_and_names(built):
    wb = openpyxl.load_workbook(built / "fordeling.xlsx")
    assert wb.sheetnames == ["Oppsett", "Nettverk", "Innstilling", "Rammer",
                             "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak",
                             "Utbetaling", "Scenarier", "Modellrammer", "Saldo", "Kommuner"]
    tables = {name: (ws.title, ws.tables[name].ref) for ws in wb.worksheets for name in ws.tables}
    assert tables["Budsjett"] == ("Oppsett", "A25:F33")  # 8 budget lines, Mottaker last
    assert tables["Nettverk"] == ("Nettverk", "A4:G15")  # 11 networks, Organisasjonsnummer
    assert tables["UH"] == ("Nettverk", "I4:K9")
    assert tables["Innstilling"] == ("Innstilling", "A4:F15")
    assert tables["Tiltakslinjer"][0] == "Beslutningsgrunnlag"
    assert tables["Modeller"] == ("Scenarier", "A6:G8")  # two models to start from
    for name in ("Rammer", "SammendragNettverk", "SammendragMottakere", "Kontroll"):
        assert name in tables, name
    ws = wb["Oppsett"]
    assert [c.value for c in ws[25]] == T.BUDGET_COLUMNS
    assert [c.value for c in wb["Nettverk"][4]][:7] == T.NETWORK_COLUMNS
    names = names_of(wb)
    expected = {T.N_YEAR: 2025, T.N_SCHEME: "Kompetanseløftet", T.N_GRANT: 14_239_000,
                T.N_BASE: 150_000, T.N_KEY: "elevtall (illustrativt)", T.N_FOLDER: "maler",
                T.N_KIND: "fordeling"}
    for name, value in expected.items():
        sheet, cell = names[name]
        assert sheet == "Oppsett" and ws[cell].value == value, name


def test_budget_checks_are_live_formulas_over_the_table(built):
    ws = openpyxl.load_workbook(built / "fordeling.xlsx")["Oppsett"]
    assert ws["B19"].value == '=SUMIF(Budsjett[Status],"fast",Budsjett[Beløp])'
    assert ws["B20"].value == '=SUMIF(Budsjett[Status],"usikker",Budsjett[Beløp])'
    assert ws["B21"].value == "=$B$13-B19"
    assert ws["B22"].value == "=$B$13-B19-B20"
    rules = {str(cf.sqref): [r.formula[0] for r in cf.rules]
             for cf in ws.conditional_formatting}
    assert rules["B19"] == ["B19>$B$13"]  # red: the certain lines exceed the grant
    assert rules["B22"] == ["B22<0"]  # amber: the uncertain lines would make it exceed


def test_allocation_workbook_validation(built):
    wb = openpyxl.load_workbook(built / "fordeling.xlsx")
    setup = validations(wb["Oppsett"])
    assert setup["D26:D233"].type == "list" and setup["D26:D233"].formula1 == '"fast,usikker"'
    assert setup["C26:C233"].type == "whole"  # negative: money carried back in (a fixed line)
    assert setup["C26:C233"].formula1 == "-1000000000"
    assert setup["B13"].type == setup["B14"].type == "whole"  # grant and base grant
    nets = validations(wb["Nettverk"])
    assert nets["D5:E115"].type == "whole"  # coordination and decided frame
    rec = validations(wb["Innstilling"])
    assert rec["B5:B115"].formula1 == '"innstilles,delvis,avslås"'
    assert rec["C5:C115"].type == "whole"
    assert wb["Rammer"].conditional_formatting, "amber where decided frames deviate"


def test_allocation_workbook_formats_and_print(built):
    wb = openpyxl.load_workbook(built / "fordeling.xlsx")
    for ws in wb.worksheets:
        portrait = ws.title == "Vedtak"  # a text to read, one column
        assert ws.page_setup.orientation == ("portrait" if portrait else "landscape"), ws
        assert ws.page_setup.paperSize == 9, ws
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws
        assert ws.page_setup.fitToWidth in (None, 1), ws  # one page wide (1 is the default)
        if ws.title in ("Sammendrag", "Modellrammer"):  # one page tall when they nearly
            assert ws.page_setup.fitToHeight in (None, 1), ws  # fit (a chart never cut)
        else:
            assert ws.page_setup.fitToHeight == 0, ws
    for name in T.TOOL_SHEETS:  # header/footer: sheet, scheme and year, page x of y, date
        ws = wb[name]
        assert (ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddHeader.right.text) == (
            "&A", "Kompetanseløftet 2025", "Side &P av &N"), name
        assert ws.oddFooter.left.text == "Skrevet ut &D", name
    titles = {ws.title: ws.print_title_rows for ws in wb.worksheets}
    assert titles["Kontroll"] == titles["Rammer"] == titles["Utbetaling"] == "$4:$4"
    assert titles["Sammendrag"] == "$4:$4" and titles["Vedtak"] is None
    freeze = {ws.title: ws.freeze_panes for ws in wb.worksheets}
    assert freeze["Nettverk"] == freeze["Innstilling"] == freeze["Rammer"] == "B5"
    assert freeze["Beslutningsgrunnlag"] == freeze["Kontroll"] == "A5"
    assert wb["Sammendrag"]["B5"].number_format == FMT_KR
    assert wb["Rammer"]["B5"].number_format == FMT_INT  # whole pupil counts
    assert wb["Rammer"]["G5"].number_format == FMT_DIFF
    assert wb["Oppsett"]["C26"].number_format == FMT_KR
    assert wb["Rammer"]["A1"].font.b and wb["Rammer"]["A1"].font.sz == 14  # title
    text = [v for row in wb["Oppsett"].iter_rows(values_only=True) for v in row
            if isinstance(v, str)]
    assert any("Slik bruker du" in v for v in text)
    assert any("Oppdater sammendrag" in v and "Innstilling" in v for v in text)


def test_summary_has_a_pie_and_a_bar_chart(built):
    ws = openpyxl.load_workbook(built / "fordeling.xlsx")["Sammendrag"]
    with zipfile.ZipFile(built / "fordeling.xlsx") as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        kinds = [re.search(r"<c:(pieChart|barChart)>", z.read(n).decode()).group(1)
                 for n in charts]
    # Sammendrag's pie and bar, and Modellrammer's bar (one series per model)
    assert sorted(kinds) == ["barChart", "barChart", "pieChart"]
    assert ws["A1"].value.startswith("Sammendrag 2025")


def test_text_from_networks_is_written_as_text(tmp_path):
    data = sample_year()
    data.networks[0] = replace(data.networks[0], aliases=(EVIL[0],))
    data.budget[0] = replace(data.budget[0], note=EVIL[1], label=EVIL[2])
    data.recommendations[0] = replace(data.recommendations[0], remark=EVIL[3])
    path = build_allocation(data, tmp_path / "f.xlsx")
    with zipfile.ZipFile(path) as z:
        formulas = [f for n in z.namelist() if n.startswith("xl/worksheets/sheet")
                    for f in re.findall(r"<f>(.*?)</f>", z.read(n).decode())]
        strings = z.read("xl/sharedStrings.xml").decode()
    assert not [f for f in formulas if "HYPERLINK" in f or "cmd" in f or f == "-1+1"]
    assert "HYPERLINK" in strings and "@SUM(A1:A9)" in strings and "-1+1" in strings


def test_template_names_and_header(built):
    wb = openpyxl.load_workbook(built / "mal.xlsx")
    assert wb.sheetnames == [T.TEMPLATE_SHEET]
    ws = wb[T.TEMPLATE_SHEET]
    names = names_of(wb)
    wanted = [T.N_NETWORK, T.N_YEAR, T.N_SCHEME, T.N_FRAME, T.N_COORDINATION,
              T.N_UNSPENT_NETWORK, T.N_UNSPENT_UH, T.N_KIND, T.N_VERSION,
              *(T.N_ANSWER.format(c) for c in T.CRITERIA)]
    assert set(wanted) <= set(names)
    assert all(names[n][0] == T.TEMPLATE_SHEET for n in wanted)

    def val(n):
        return ws[names[n][1]].value

    assert val(T.N_NETWORK) == "Nettverket Indre Namdal"
    assert (val(T.N_YEAR), val(T.N_SCHEME)) == (2025, "Kompetanseløftet")
    assert val(T.N_FRAME) == 279_221  # the decided frame applies
    assert val(T.N_COORDINATION) == 100_000  # prefilled with the maximum
    assert val(T.N_KIND) == "beslutningsgrunnlag" and val(T.N_VERSION) == T.TEMPLATE_VERSION
    # each criterion's question sits beside its answer cell, a tall wrapped input
    for c in T.CRITERIA:
        row = int(names[T.N_ANSWER.format(c)][1][1:])
        assert ws.cell(row, 1).value.startswith(f"{c})")
        assert ws.row_dimensions[row].height >= 30
        assert ws.cell(row, 2).alignment.wrap_text


def test_template_table_validation_and_formulas(built):
    ws = openpyxl.load_workbook(built / "mal.xlsx")[T.TEMPLATE_SHEET]
    assert list(ws.tables) == ["Tiltak"]
    assert ws.tables["Tiltak"].ref == f"A31:E{31 + TEMPLATE_ROWS}"
    assert [ws.cell(31, c).value for c in range(1, 6)] == T.MEASURE_COLUMNS
    assert ws["B9"].value == "=B7+B8"  # frame incl. coordination
    assert ws["B11"].value == ("=SUM(Tiltak[Kostnad nettverk],Tiltak[Kostnad UH])"
                               "+dekom_koordinering")
    assert ws["B12"].value == "=B11-B9"
    assert ws["C12"].value.startswith('=IF(B12>0,"Over rammen"')
    assert ws["A13"].value.startswith("=IF(COUNTA(A32:E2031)>COUNTA(Tiltak[[Tiltak]:[Merknad]])")
    # An amount typed as text: red at once, and said beside the total the template shows.
    assert ws["C11"].value.startswith("=IF(SUMPRODUCT(--ISTEXT(B32:C2031))>0,")
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules["B32:C2031"] == [["ISTEXT(B32)"]]
    assert names_of(ws.parent)[T.N_COORDINATION_SENT] == (T.TEMPLATE_SHEET, "B8")
    dvs = validations(ws)
    assert dvs["B32:C2031"].type == "whole" and dvs["B32:C2031"].formula1 == "0"
    uh = dvs["D32:D2031"]
    assert uh.type == "list" and uh.formula1 == "$H$4:$H$8" and ws.column_dimensions["H"].hidden
    assert [ws.cell(r, 8).value for r in range(4, 9)] == [
        "NTNU", "Nord universitet", "DMMH", "UiS", "SEPU"]
    assert uh.errorStyle == "information"  # free text allowed, with a warning
    assert dvs["B10"].formula2 == "100000"  # coordination: at most the maximum
    assert dvs["B15"].type == dvs["B16"].type == "whole"  # unspent money
    assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0


def test_template_protection_without_password(built):
    wb = openpyxl.load_workbook(built / "mal.xlsx")
    ws = wb[T.TEMPLATE_SHEET]
    names = names_of(wb)
    assert ws.protection.sheet and not ws.protection.password
    for n in (T.N_NETWORK, T.N_YEAR, T.N_SCHEME, T.N_FRAME, T.N_KIND):
        assert ws[names[n][1]].protection.locked, n
    for cell in ("B8", "B9", "B11", "B12", "C12", "A13", "A31", "B31"):  # formulas, headers
        assert ws[cell].protection.locked, cell
    inputs = [names[n][1] for n in (T.N_COORDINATION, T.N_UNSPENT_NETWORK, T.N_UNSPENT_UH,
                                    *(T.N_ANSWER.format(c) for c in T.CRITERIA))]
    for cell in inputs + ["A32", "B32", "E32", f"D{31 + TEMPLATE_ROWS}"]:
        assert not ws[cell].protection.locked, cell


def test_fill_template_writes_lines_and_grows_the_table(built, tmp_path):
    import shutil

    path = tmp_path / "mal.xlsx"
    shutil.copy(built / "mal.xlsx", path)
    lines = [CostLine("Nettverket Indre Namdal", f"Tiltak {i}", 1000 * i, 10, "NTNU")
             for i in range(1, TEMPLATE_ROWS + 6)]
    lines[0] = replace(lines[0], measure=EVIL[0])
    fill_template(path, lines, coordination=50_000, answers={"a": "Alle lærere."},
                  unspent=(1000, None))
    wb = openpyxl.load_workbook(path)
    ws = wb[T.TEMPLATE_SHEET]
    last = 31 + len(lines)
    assert ws.tables["Tiltak"].ref == f"A31:E{last}"
    assert ws["A32"].value == EVIL[0] and ws["A32"].data_type == "s"
    assert (ws[f"A{last}"].value, ws[f"B{last}"].value) == (f"Tiltak {len(lines)}",
                                                              1000 * len(lines))
    assert not ws[f"B{last}"].protection.locked and ws[f"B{last}"].number_format == FMT_KR
    assert (ws["B10"].value, ws["B15"].value, ws["B16"].value) == (50_000, 1000, None)
    assert ws["B19"].value == "Alle lærere."
    assert ws["B11"].value.startswith("=SUM(Tiltak[")  # formulas kept
    assert not (tmp_path / ".dekom-backup").exists()


def test_template_filename_names_the_network():
    data = sample_year()
    names = {template_filename(2025, n, "Kompetanseløftet") for n in data.networks}
    assert len(names) == 11
    assert "beslutningsgrunnlag_kompetanseloftet_2025_vaernes.xlsx" in names
    assert "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx" in names
    assert all(re.fullmatch(r"beslutningsgrunnlag_kompetanseloftet_2025_[a-z0-9_]+\.xlsx", n) for n in names)


def _content(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames,
           "names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row
                      if c.value is not None},
            "formats": {c.coordinate: c.number_format for row in ws.iter_rows() for c in row
                        if c.value is not None},
            "tables": {n: ws.tables[n].ref for n in ws.tables},
            "validations": sorted((dv.type or "", dv.formula1 or "", dv.formula2 or "",
                                   str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "conditional": sorted((str(cf.sqref), tuple(r.formula or ()))
                                  for cf in ws.conditional_formatting for r in cf.rules),
            "protected": bool(ws.protection.sheet),
        }
    return out


@pytest.mark.parametrize("name", ["fordeling.xlsx", "beslutningsgrunnlag.xlsx"])
def test_committed_workbooks_match_the_code(tmp_path, name):
    from dekom_xl.tools.templates import main

    main([str(tmp_path)])
    committed = ROOT / "xlsx_templates" / name
    assert committed.exists(), "run: python -m dekom_xl.tools.templates"
    assert _content(committed) == _content(tmp_path / name), (
        f"xlsx_templates/{name} differs from what the code builds; "
        "run: python -m dekom_xl.tools.templates")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "beslutningsgrunnlag.xlsx", "fordeling.xlsx"]  # no backup files


def _assert_sum_rows_look_like_sums(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    found = 0
    for name in ("Rammer", "Sammendrag"):
        ws = wb[name]
        for row in ws.iter_rows():
            first = row[0]
            if first.value not in ("Sum", "Sum faste poster"):
                continue
            found += 1
            filled = [c for c in row if c.value is not None]
            assert all(c.font.b for c in filled), (name, first.coordinate)
            assert all(c.fill.fgColor.rgb in ("FFEEEEEE", "00EEEEEE") for c in filled
                       if isinstance(c.value, int)), (name, first.coordinate)
    assert found >= 3  # Rammer's total, and the network, recipient and budget sums


def test_sum_rows_are_bold_and_grey_in_the_built_workbook(built):
    """The XlsxWriter builder writes the rendered sum style (bold, grey) on every sum row."""
    _assert_sum_rows_look_like_sums(built / "fordeling.xlsx")


def test_sum_rows_are_bold_and_grey_after_collect(demo_dir):
    """The openpyxl writer (collect rewrites the tool sheets) keeps the same sum style."""
    _assert_sum_rows_look_like_sums(demo_dir / "fordeling_2025.xlsx")
