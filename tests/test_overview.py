"""The overview across schemes and years: per-recipient totals equal the sum of the workbooks'
settlements (direct allocations and reductions for unspent money included)."""

import json
import shutil

import openpyxl

from dekom_xl.cli import main


def _recipients(capsys, book) -> dict[str, int]:
    capsys.readouterr()
    main(["check", str(book), "--json"])
    out = json.loads(capsys.readouterr().out)
    return {r["recipient"]: r["amount"] for r in out["settlement"]["recipients"]}


def test_overview_of_two_schemes_sums_per_recipient(demo_dir, tmp_path, capsys):
    dekom = tmp_path / "fordeling_2025.xlsx"
    shutil.copy(demo_dir / "fordeling_2025.xlsx", dekom)
    rekom = tmp_path / "fordeling_rekom_2026.xlsx"
    wb = openpyxl.load_workbook(dekom)  # a second scheme, another year (illustrative)
    names = {n: d.attr_text.split("!")[1].replace("$", "") for n, d in wb.defined_names.items()}
    wb["Oppsett"][names["dekom_ordning"]] = "Rekom"
    wb["Oppsett"][names["dekom_ar"]] = 2026
    ws = wb["Beslutningsgrunnlag"]  # drop one network's cost lines: the schemes differ
    for row in ws.iter_rows(min_row=5):
        if row[0].value == "Fosennettverket":
            for c in row[:6]:
                c.value = 0 if c.column in (3, 4) else c.value
    ws = wb["Oppsett"]  # a direct allocation to NTNU, reduced for its unspent money
    row = next(r for r in ws.iter_rows() if r[0].value == "joint_incl_uh_base")
    ws.cell(row[0].row, 6).value = "NTNU"
    ws[names["dekom_avkorting"]] = "UH"
    saldo = wb["Saldo"]
    first = saldo.tables["Saldo"].ref.split(":")[0]
    for j, v in enumerate(["NTNU", "UH", 2025, None, None, None, 50_000, "rapport", None]):
        saldo.cell(int(first[1:]) + 1, 1 + j).value = v
    wb.save(rekom)
    before = {p: p.read_bytes() for p in (dekom, rekom)}
    a, b = _recipients(capsys, dekom), _recipients(capsys, rekom)
    assert a != b
    assert b["NTNU"] == a["NTNU"] + 600_000 - 50_000  # settled, not the requested split
    out = tmp_path / "oversikt.xlsx"
    capsys.readouterr()
    assert main(["overview", str(dekom), str(rekom), "--out", str(out), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    expected = {k: a.get(k, 0) + b.get(k, 0) for k in a.keys() | b.keys()}
    assert got["totals"] == expected
    assert {p: p.read_bytes() for p in (dekom, rekom)} == before  # inputs only read
    # The workbook the secretariat opens says the same.
    sheet = openpyxl.load_workbook(out)["Oversikt"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == ("Mottaker", "Kompetanseløftet 2025", "Rekom 2026", "Sum")
    table = {r[0]: r[1:4] for r in rows[1:len(expected) + 1]}
    assert {k: v[2] for k, v in table.items()} == expected
    assert {k: v[0] for k, v in table.items()} == {k: a.get(k, 0) for k in expected}
    years = next(i for i, r in enumerate(rows) if r[:3] == ("Mottaker", "2025", "2026"))
    assert {r[0]: r[3] for r in rows[years + 1: years + 1 + len(expected)]} == expected


def test_overview_refuses_to_write_over_an_input(demo_dir, tmp_path, capsys):
    book = tmp_path / "fordeling_2025.xlsx"
    shutil.copy(demo_dir / "fordeling_2025.xlsx", book)
    before = book.read_bytes()
    assert main(["overview", str(book), "--out", str(book)]) == 2
    assert book.read_bytes() == before
