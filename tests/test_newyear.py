"""A new year from the last one: what is carried, what is marked, the old file only read."""

import json

import openpyxl
import pytest
from conftest import soffice_or_skip

from dekom_xl.cli import main


@pytest.fixture(scope="module")
def next_year(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("newyear")
    old = demo_dir / "fordeling_2025.xlsx"
    before = old.read_bytes()
    assert main(["new-year", str(old), str(out / "fordeling_2026.xlsx"), "--year", "2026"]) == 0
    assert old.read_bytes() == before  # the old workbook is only read
    return out / "fordeling_2026.xlsx"


def _table(wb, name):
    for ws in wb.worksheets:
        if name in ws.tables:
            ref = ws.tables[name].ref
            rows = [list(r) for r in ws[ref]]
            head = [c.value for c in rows[0]]
            return ws, [dict(zip(head, [c.value for c in r], strict=True)) for r in rows[1:]]
    raise AssertionError(name)


def test_new_year_carries_networks_aliases_plan_lines_and_balances(demo_dir, next_year):
    old = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    new = openpyxl.load_workbook(next_year)
    _, old_nets = _table(old, "Nettverk")
    _, new_nets = _table(new, "Nettverk")
    keep = ("Nettverk", "Kortnavn", "Koordinering", "Alias")
    assert [{k: r[k] for k in keep} for r in new_nets] == [{k: r[k] for k in keep}
                                                            for r in old_nets]
    assert [r["Nøkkeltall"] for r in new_nets] == [
        f"skal oppdateres (2025: {r['Nøkkeltall']:,})".replace(",", " ") for r in old_nets]
    assert all(r["Vedtatt ramme"] is None for r in new_nets)
    assert _table(new, "UH")[1] == _table(old, "UH")[1]
    ws = new["Oppsett"]
    names = {n: d.attr_text.split("!")[1].replace("$", "") for n, d in new.defined_names.items()}
    assert ws[names["dekom_ar"]].value == 2026 and ws[names["dekom_tildelt"]].value is None
    assert ws[names["dekom_avkorting"]].value == "ingen"
    _, budget = _table(new, "Budsjett")
    assert [b["Kode"] for b in budget] == ["coordination", "joint_ppt", "partnerships",
                                           "meetings"]
    assert all(b["Merknad"].startswith("sjekk beløpet (2025: kr ") for b in budget)
    _, saldo = _table(new, "Saldo")
    _, recs = _table(old, "Innstilling")
    _, frames = _table(old, "Rammer")
    incl = {f["Nettverk"]: f["Ramme inkl. koordinering"] for f in frames}
    # Last year's grant: the recommended amount, or the frame incl. coordination when none
    # was typed (Værnes: held until its condition is met).
    assert [(s["Mottaker"], s["Del"], s["Tilskuddsår"], s["Tildelt"]) for s in saldo] == [
        (r["Nettverk"], "nettverk", 2025,
         r["Beløp"] if r["Beløp"] is not None else incl[r["Nettverk"]]) for r in recs]
    _, kommuner = _table(new, "Kommuner")
    assert len(kommuner) == 39 and kommuner[0]["Kommunenummer"] == "5001"
    assert _table(new, "Modeller")[1] == _table(old, "Modeller")[1]


def test_new_year_opens_without_error_cells_in_libreoffice(next_year, tmp_path):
    soffice_or_skip()
    from dekom_xl.tools.lo import error_cells, recalc

    assert error_cells(recalc(next_year, tmp_path)) == []


def test_new_year_refuses_an_existing_file_unless_forced(demo_dir, next_year, capsys):
    old = demo_dir / "fordeling_2025.xlsx"
    before = next_year.read_bytes()
    capsys.readouterr()
    code = main(["new-year", str(old), str(next_year), "--year", "2026", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 2 and [p["code"] for p in out["problems"]] == ["new-year-exists"]
    assert next_year.read_bytes() == before
    assert main(["new-year", str(old), str(old), "--year", "2026", "--force"]) == 2


def test_without_year_the_new_workbook_is_for_the_year_after(demo_dir, tmp_path, capsys):
    new = tmp_path / "neste.xlsx"
    capsys.readouterr()
    assert main(["new-year", str(demo_dir / "fordeling_2025.xlsx"), str(new), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["year"] == 2026
    wb = openpyxl.load_workbook(new)
    names = {n: d.attr_text.split("!")[1].replace("$", "") for n, d in wb.defined_names.items()}
    assert wb["Oppsett"][names["dekom_ar"]].value == 2026


def test_without_year_and_no_year_on_oppsett_it_says_where(demo_dir, tmp_path, capsys):
    old = tmp_path / "fordeling.xlsx"
    wb = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    names = {n: d.attr_text.split("!")[1].replace("$", "") for n, d in wb.defined_names.items()}
    wb["Oppsett"][names["dekom_ar"]] = None
    wb.save(old)
    capsys.readouterr()
    assert main(["new-year", str(old), str(tmp_path / "ny.xlsx")]) == 2
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "fordeling.xlsx: 'Oppsett'!B11: feil [new-year-no-year]: fordeling.xlsx har ikke noe " \
        "år på Oppsett, så neste år kan ikke lages." in out
    assert "Traceback" not in out and not (tmp_path / "ny.xlsx").exists()
