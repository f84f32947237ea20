"""Schemes: the scheme is in every template (defined name, header, file name), and a decision
base for another scheme or year is a located error on collect."""

import json
from pathlib import Path

import openpyxl
import pytest

from dekom_xl.app.samples import sample_folder
from dekom_xl.cli import main
from dekom_xl.core import tables as T


def _run(capsys, *args) -> tuple[int, dict]:
    capsys.readouterr()
    code = main([*args])
    out = capsys.readouterr().out
    return code, (json.loads(out) if "--json" in args else {"text": out})


@pytest.fixture(scope="module")
def two_schemes(tmp_path_factory) -> Path:
    """A Dekom and a Rekom workbook of the sample year, and the Dekom templates."""
    d = tmp_path_factory.mktemp("schemes")
    for scheme in ("Dekom", "Rekom"):
        assert main(["new", str(d / f"{scheme}.xlsx"), "--from-csv", str(sample_folder()),
                     "--scheme", scheme, "--base-grant", "150000"]) == 0
    assert main(["templates", str(d / "Dekom.xlsx"), "--out", str(d / "maler")]) == 0
    return d


def test_template_carries_the_scheme_in_name_header_and_file_name(two_schemes):
    files = sorted(p.name for p in (two_schemes / "maler").iterdir())
    assert len(files) == 11
    assert all(n.startswith("beslutningsgrunnlag_dekom_2025_") for n in files)
    wb = openpyxl.load_workbook(two_schemes / "maler" / "beslutningsgrunnlag_dekom_2025_fosen.xlsx")
    ws = wb[T.TEMPLATE_SHEET]
    assert ws["A1"].value == "Beslutningsgrunnlag – Dekom 2025"
    assert wb.defined_names[T.N_SCHEME].attr_text == f"'{T.TEMPLATE_SHEET}'!$B$6"
    assert (ws["A6"].value, ws["B6"].value) == ("Ordning", "Dekom")


def test_dekom_template_into_rekom_workbook_is_a_located_error(two_schemes, tmp_path, capsys):
    import shutil

    book = tmp_path / "Rekom.xlsx"
    shutil.copy(two_schemes / "Rekom.xlsx", book)
    code, out = _run(capsys, "collect", str(book), str(two_schemes / "maler"), "--json")
    assert code == 1
    got = sorted((p["code"], p["file"], p["sheet"], p["cell"]) for p in out["problems"]
                 if p["severity"] == "feil" and p["code"] != "decision-base-empty")  # unfilled
    files = sorted(p.name for p in (two_schemes / "maler").iterdir())
    assert got == [("wrong-scheme", f, T.TEMPLATE_SHEET, "B6") for f in files]
    msg = next(p["message"] for p in out["problems"] if p["code"] == "wrong-scheme")
    assert "«Dekom»" in msg and "«Rekom»" in msg
    assert all(n["requested"] is None for n in out["summary"]["networks"])  # none taken


def test_same_scheme_collects_and_another_year_is_located(two_schemes, tmp_path, capsys):
    import shutil

    book = tmp_path / "Dekom.xlsx"
    shutil.copy(two_schemes / "Dekom.xlsx", book)
    maler = tmp_path / "maler"
    shutil.copytree(two_schemes / "maler", maler)
    old = maler / "beslutningsgrunnlag_dekom_2025_fosen.xlsx"
    wb = openpyxl.load_workbook(old)
    wb[T.TEMPLATE_SHEET]["B5"].value = 2024
    wb.save(old)
    code, out = _run(capsys, "collect", str(book), str(maler), "--json")
    assert code == 1
    got = [(p["code"], p["file"], p["cell"]) for p in out["problems"] if p["severity"] == "feil"
           and p["code"] != "decision-base-empty"]  # the templates here are not filled in
    assert got == [("wrong-year", old.name, "B5")]
    assert not [p for p in out["problems"] if p["code"] == "wrong-scheme"]
