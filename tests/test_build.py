"""The workbooks users open, checked by opening the real files."""

from pathlib import Path

import openpyxl
import pytest

from dekom_xl import tables as T
from dekom_xl.io.build import build_allocation, build_template, template_filename
from dekom_xl.samples import sample_year

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("built")
    data = sample_year()
    build_allocation(data, out / "fordeling.xlsx")
    build_template(data, "Nettverket Indre Namdal", out / "mal.xlsx")
    return out


def test_allocation_workbook_sheets_tables_and_names(built):
    wb = openpyxl.load_workbook(built / "fordeling.xlsx")
    assert wb.sheetnames == ["Oppsett", "Nettverk", "Innstilling", "Rammer",
                             "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak"]
    tables = {name: ws.title for ws in wb.worksheets for name in ws.tables}
    assert tables["Budsjett"] == "Oppsett"
    assert tables["Nettverk"] == "Nettverk" and tables["UH"] == "Nettverk"
    assert tables["Innstilling"] == "Innstilling"
    assert tables["Tiltakslinjer"] == "Beslutningsgrunnlag"
    for name in (T.N_YEAR, T.N_SCHEME, T.N_GRANT, T.N_BASE, T.N_KEY, T.N_FOLDER, T.N_KIND):
        assert name in wb.defined_names, name
    sheet, cell = next(wb.defined_names[T.N_GRANT].destinations)
    assert sheet == "Oppsett" and wb[sheet][cell.replace("$", "")].value == 14_239_000


def test_allocation_workbook_validation_formats_print(built):
    wb = openpyxl.load_workbook(built / "fordeling.xlsx")
    ws = wb["Oppsett"]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert '"fast,usikker"' in lists
    assert any(dv.type == "whole" for dv in ws.data_validations.dataValidation)
    rec = wb["Innstilling"]
    assert '"innstilles,delvis,avslås"' in {dv.formula1 for dv in
                                            rec.data_validations.dataValidation}
    assert ws.conditional_formatting, "red when the budget exceeds the grant"
    assert wb["Rammer"].conditional_formatting, "amber where decided frames deviate"
    for s in wb.worksheets:
        assert s.page_setup.orientation == "landscape" and s.page_setup.paperSize == 9
    assert wb["Rammer"].freeze_panes == "B5"
    amount = wb["Sammendrag"]["B5"]
    assert "#,##0" in amount.number_format and "kr" in amount.number_format
    assert any(isinstance(v, str) and "Slik bruker du" in v
               for row in ws.iter_rows(values_only=True) for v in row)


def test_summary_has_two_native_charts(built):
    ws = openpyxl.load_workbook(built / "fordeling.xlsx")["Sammendrag"]
    # openpyxl does not read charts back; check the drawing parts instead.
    import zipfile

    with zipfile.ZipFile(built / "fordeling.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert ws["A1"].value.startswith("Sammendrag 2025")


def test_template_names_table_protection_and_formulas(built):
    wb = openpyxl.load_workbook(built / "mal.xlsx")
    ws = wb[T.TEMPLATE_SHEET]
    names = {n: next(wb.defined_names[n].destinations) for n in wb.defined_names}
    for n in (T.N_NETWORK, T.N_YEAR, T.N_FRAME, T.N_COORDINATION, T.N_UNSPENT_NETWORK,
              T.N_UNSPENT_UH, T.N_KIND, T.N_VERSION, *(T.N_ANSWER.format(c) for c in "aj")):
        assert n in names, n

    def val(n):
        return ws[names[n][1].replace("$", "")]

    assert val(T.N_NETWORK).value == "Nettverket Indre Namdal"
    assert val(T.N_FRAME).value == 279_221  # the decided frame applies
    assert val(T.N_COORDINATION).value == 100_000
    assert val(T.N_KIND).value == "beslutningsgrunnlag"
    assert list(ws.tables) == ["Tiltak"]
    assert ws.tables["Tiltak"].ref == "A31:E56"
    assert [ws.cell(31, c).value for c in range(1, 6)] == T.MEASURE_COLUMNS
    assert ws.protection.sheet and not ws.protection.password
    assert val(T.N_NETWORK).protection.locked
    assert not val(T.N_COORDINATION).protection.locked
    assert not ws["B32"].protection.locked  # a table input cell
    formulas = [c.value for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert "=SUM(Tiltak[Kostnad nettverk],Tiltak[Kostnad UH])+dekom_koordinering" in formulas
    uh = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert uh and uh[0].errorStyle == "information"  # free text allowed, with a warning


def test_template_filename_names_the_network():
    data = sample_year()
    names = {template_filename(2025, n) for n in data.networks}
    assert len(names) == 11
    assert "beslutningsgrunnlag_2025_vaernes.xlsx" in names


def _content(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    out = {"sheets": wb.sheetnames,
           "names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row
                      if c.value is not None},
            "tables": {n: ws.tables[n].ref for n in ws.tables},
            "validations": sorted((dv.type or "", dv.formula1 or "", str(dv.sqref))
                                  for dv in ws.data_validations.dataValidation),
        }
    return out


@pytest.mark.parametrize("name", ["fordeling.xlsx", "beslutningsgrunnlag.xlsx"])
def test_committed_workbooks_match_the_code(tmp_path, name):
    from dekom_xl.io.build import main

    main([str(tmp_path)])
    committed = ROOT / "xlsx_templates" / name
    assert committed.exists(), "run: python -m dekom_xl.io.build"
    assert _content(committed) == _content(tmp_path / name), (
        f"xlsx_templates/{name} differs from what the code builds; "
        "run: python -m dekom_xl.io.build")
