"""A negative budget line is money carried back in ("Tilbakeført fra 2024", status fast): it
lowers the sum of fixed lines and so adds to what can be disposed of. Anywhere else (the
grant, the pool, an uncertain line, a direct allocation) a negative amount is a located error."""

import json

import openpyxl
import pytest

from dekom_xl.app.samples import sample_year
from dekom_xl.cli import main
from dekom_xl.core import load
from dekom_xl.core.engine import evaluate
from dekom_xl.core.tables import RawTable

BACK = ["back_2024", "Tilbakeført fra 2024", -150_000, "fast", "ubrukt 2024", None]


def _budget(extra, change=None):
    rows = [[b.line_id, b.label, b.amount, b.status.value, b.note, b.recipient or None]
            for b in sample_year().budget]
    if change:
        rows = [change if r[0] == change[0] else r for r in rows]
    return RawTable("Budsjett", "Oppsett", ["Kode", "Post", "Beløp", "Status", "Merknad",
                                            "Mottaker"], rows + extra, first_row=26, first_col=1)


@pytest.mark.parametrize("extra, change, expected, back", [
    ([BACK], None, [("unallocated", None), ("budget-line-negative", "C34")], 150_000),
    ([[*BACK[:3], "usikker", *BACK[4:]]], None,
     [("budget-negative-not-here", "C34"), ("unallocated", None)], 0),
    ([[*BACK[:5], "NTNU"]], None, [("budget-negative-not-here", "C34"), ("unallocated", None)], 0),
    ([BACK, [*BACK[:2], "-50 000", *BACK[3:]]], None,
     [("unallocated", None), ("budget-line-negative", "C34"), ("budget-line-negative", "C35")],
     200_000),
    ([BACK], ["partnerships", "Partnerskapene", -10_100_000, "fast", "", None],
     [("budget-negative-not-here", "C28"), ("unallocated", None),
      ("budget-line-negative", "C34")], 150_000 + 10_100_000),
])
def test_negative_budget_lines(extra, change, expected, back):
    data = sample_year(with_submissions=True)
    base = evaluate(sample_year(with_submissions=True))
    lines, found = load.budget_from_table(_budget(extra, change))
    data.budget, data.problems = lines, data.problems + found
    o = evaluate(data)
    assert [(p.code, p.cell) for p in o.problems if p.sheet == "Oppsett"
            and p.code.startswith(("budget", "unallocated", "amount"))] == expected
    # Money carried back in lowers "allocated" and adds to what can be disposed of.
    assert o.summary.budget.allocated == base.summary.budget.allocated - back
    assert o.summary.budget.unallocated == base.summary.budget.unallocated + back


def test_a_negative_line_in_the_workbook_adds_to_the_restmidler_and_the_decision_says_so(
        demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    capsys.readouterr()
    main(["check", str(book), "--json"])
    before = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(book)
    ws = wb["Oppsett"]
    t = ws.tables["Budsjett"]
    first, last = t.ref.split(":")
    row = int(last[1:]) + 1
    for j, v in enumerate(BACK):
        ws.cell(row, 1 + j).value = v
    t.ref = f"{first}:F{row}"
    wb.save(book)
    assert main(["frames", str(book)]) == 0
    capsys.readouterr()
    assert main(["check", str(book), "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["cell"]) for p in after["problems"]
            if p["code"] == "budget-line-negative"] == [("budget-line-negative", f"C{row}")]
    assert after["settlement"]["rest_after"] == before["settlement"]["rest_after"] + 150_000
    assert after["summary"]["allocated"] == before["summary"]["allocated"] - 150_000
    text = [r[0] for r in openpyxl.load_workbook(book)["Vedtak"].iter_rows(values_only=True)]
    assert ("Kroner 150\u00a0000 føres tilbake (tilbakeført fra 2024) og kan disponeres i tillegg "
            "til tildelt beløp.") in text


def test_a_negative_grant_is_still_an_error(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Oppsett"]["B13"] = -14_239_000
    wb.save(book)
    capsys.readouterr()
    assert main(["check", str(book), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["sheet"], p["cell"]) for p in out["problems"]
            if p["severity"] == "feil"] == [("amount-negative", "Oppsett", "B13")]
    # (no budget-over-grant against the unreadable grant: one problem, not two)
