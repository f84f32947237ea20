"""Every bad input gives a located bokmål problem, the right exit status, no traceback, and
leaves the allocation workbook intact."""

import json
import shutil
import zipfile

import openpyxl
import pytest
from corpus import BOOK, BOOK_CASES, CASES

from dekom_xl.cli import main


def test_corpus_has_at_least_50_cases():
    assert len(CASES) + len(BOOK_CASES) >= 50
    assert len({c.name for c in CASES + BOOK_CASES}) == len(CASES) + len(BOOK_CASES)


def _user_sheets(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()]
            for ws in wb.worksheets if ws.title in ("Oppsett", "Nettverk", "Innstilling")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_decision_base(case, demo_dir, tmp_path, capsys):
    d = tmp_path / "aar"
    shutil.copytree(demo_dir, d)
    case.build(d)
    book = d / BOOK
    user_before = _user_sheets(book)
    capsys.readouterr()
    code = main(["collect", str(book), str(d / "maler"), "--json"])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    data = json.loads(out.out)
    problems = data["problems"]
    errors = [p for p in problems if p["severity"] == "feil"]
    if case.code == "ok":
        assert errors == [], errors
        assert code == 0
    else:
        hits = [p for p in problems if p["code"] == case.code]
        assert hits, f"{case.code} not in {[p['code'] for p in problems]}"
        hit = next((p for p in hits if p["file"] == case.file), hits[0])
        assert hit["file"] == case.file, hit
        if case.cell:
            assert hit["cell"] == case.cell, hit
        assert hit["message"] and not hit["message"].isascii() or "kr" in hit["message"] \
            or any(w in hit["message"] for w in ("Filen", "filen", "Tabellen", "er ", "har "))
        assert code == case.exit, (code, [(p["code"], p["severity"]) for p in errors])
    # The allocation workbook is intact: it opens, and the user's sheets are unchanged.
    assert _user_sheets(book) == user_before
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None


def test_formula_like_measure_names_stay_text(demo_dir, tmp_path, capsys):
    from corpus import CASES as ALL

    d = tmp_path / "aar"
    shutil.copytree(demo_dir, d)
    for c in ALL:
        if c.name == "hyperlink-tiltak":
            c.build(d)
    main(["collect", str(d / BOOK), str(d / "maler")])
    ws = openpyxl.load_workbook(d / BOOK)["Beslutningsgrunnlag"]
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


@pytest.mark.parametrize("case", BOOK_CASES, ids=[c.name for c in BOOK_CASES])
def test_unusable_allocation_workbook(case, demo_dir, tmp_path, capsys):
    d = tmp_path / "aar"
    shutil.copytree(demo_dir, d)
    case.build(d)
    target = d / case.file
    before = target.read_bytes() if target.exists() else None
    capsys.readouterr()
    code = main(["collect", str(target), str(d / "maler")])
    err = capsys.readouterr().err
    assert code == 2
    assert case.code in err and case.file in err and "Traceback" not in err
    assert (target.read_bytes() if target.exists() else None) == before


def test_generator_writes_every_case(demo_dir, tmp_path):
    from corpus import generate

    paths = generate(demo_dir, tmp_path)
    assert len(paths) == len(CASES) + len(BOOK_CASES)
