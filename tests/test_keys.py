"""Keys from municipality figures: located problems, sums written into one column only."""

import json
import shutil

import openpyxl
import pytest

from dekom_xl.app.samples import sample_municipalities
from dekom_xl.cli import main


def _csv(path, rows, *, sep=";", encoding="utf-8"):
    lines = [sep.join(["kommunenummer", "kommune", "lærerårsverk"])]
    lines += [sep.join(str(v) for v in r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _all_cells(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.value is not None}


@pytest.fixture
def book(demo_dir, tmp_path):
    dst = tmp_path / "fordeling_2025.xlsx"
    shutil.copy(demo_dir / "fordeling_2025.xlsx", dst)
    return dst


def test_unmapped_and_duplicated_municipalities_are_reported_located(book, tmp_path, capsys):
    rows = [(k, n, 10) for k, n, _ in sample_municipalities()]
    rows.insert(3, ("5999", "Ukjentby", 5))  # line 5 of the file: not in Kommuner
    rows.append(rows[0])  # Trondheim again, last line (42)
    csv = _csv(tmp_path / "laerere.csv", rows, encoding="cp1252")
    before = book.read_bytes()
    capsys.readouterr()
    code = main(["keys", str(book), str(csv), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(p["code"], p["file"], p["cell"]) for p in out["problems"]] == [
        ("keys-not-mapped", "laerere.csv", "A5"),
        ("keys-file-twice", "laerere.csv", "A42"),
    ]
    assert out["written"] == [] and book.read_bytes() == before  # nothing written on errors


def test_mapped_twice_and_not_a_number_are_located(book, tmp_path, capsys):
    wb = openpyxl.load_workbook(book)
    ws = wb["Kommuner"]
    t = ws.tables["Kommuner"]
    first, last = t.ref.split(":")
    n = int(last[1:]) + 1
    ws[f"A{n}"], ws[f"B{n}"], ws[f"C{n}"] = "5001", "Trondheim", "Fosennettverket"
    t.ref = f"{first}:C{n}"
    t.autoFilter.ref = t.ref
    wb.save(book)
    rows = [(k, m, "ca. 10" if k == "5035" else 10) for k, m, _ in sample_municipalities()]
    csv = _csv(tmp_path / "l.csv", rows, sep=",")
    capsys.readouterr()
    assert main(["keys", str(book), str(csv), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["sheet"], p["cell"]) for p in out["problems"]] == [
        ("keys-mapped-twice", "Kommuner", f"A{n}"),
        ("keys-not-number", None, "C4"),
    ]


def test_keys_fill_the_column_and_change_nothing_else(book, demo_dir, tmp_path, capsys):
    assert openpyxl.load_workbook(demo_dir / book.name)["Nettverk"]["C5"].number_format == "#,##0"
    values = {k: 100 + i for i, (k, _, _) in enumerate(sample_municipalities())}
    csv = _csv(tmp_path / "ok.csv", [(k, m, f"{values[k]:,}".replace(",", " "))
                                     for k, m, _ in sample_municipalities()])
    before = _all_cells(book)
    capsys.readouterr()
    assert main(["keys", str(book), str(csv), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = {}
    for k, _, net in sample_municipalities():
        expected[net] = expected.get(net, 0) + values[k]
    assert {w["network"]: w["value"] for w in out["written"]} == expected
    after = _all_cells(book)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert changed == {("Nettverk", f"C{r}") for r in range(5, 16)}
    ws = openpyxl.load_workbook(book)["Nettverk"]
    assert {ws[f"A{r}"].value: ws[f"C{r}"].value for r in range(5, 16)} == expected
    assert ws["C5"].number_format == "#,##0"  # the cell keeps its style
