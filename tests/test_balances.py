"""Balances carried forward: the rule on Oppsett reduces a UH's direct allocation by exactly its
unspent money; Sammendrag and Vedtak say so; the sums reconcile."""

import json

import openpyxl
import pytest

from dekom_xl.cli import main
from dekom_xl.core.balances import (
    PART_NETWORK,
    PART_UH,
    Balance,
    Reduction,
    parse_rule,
    reductions,
)


@pytest.mark.parametrize("raw, parts", [
    (None, ()), ("", ()), ("ingen", ()), ("UH", (PART_UH,)), ("uh", (PART_UH,)),
    ("Nettverk", (PART_NETWORK,)), ("alle", (PART_NETWORK, PART_UH)), ("noen", None)])
def test_rule(raw, parts):
    assert parse_rule(raw) == parts


def test_reductions_take_exactly_the_unspent_money_and_never_more_than_given():
    balances = [Balance("A", PART_UH, 2024, unspent_typed=120_000),
                Balance("A", PART_UH, 2023, granted=50_000, used=40_000),  # 10 000 left
                Balance("B", PART_UH, 2024, unspent_typed=900_000),
                Balance("C", PART_NETWORK, 2024, unspent_typed=70_000)]
    given = {("A", PART_UH): 400_000, ("A", PART_NETWORK): 300_000,
             ("B", PART_UH): 250_000, ("C", PART_NETWORK): 500_000}
    got = reductions((PART_UH,), balances, given)
    assert got == [Reduction("A", PART_UH, 130_000, 400_000, 130_000),
                   Reduction("B", PART_UH, 900_000, 250_000, 250_000)]
    assert sum(r.after for r in got) == sum(r.allocated for r in got) - sum(r.reduced for r in got)


def _set_rule_and_balance(book, rule, rows):
    wb = openpyxl.load_workbook(book)
    names = {n: d.attr_text.split("!")[1].replace("$", "") for n, d in wb.defined_names.items()}
    wb["Oppsett"][names["dekom_avkorting"]] = rule
    ws = wb["Saldo"]
    t = ws.tables["Saldo"]
    first = t.ref.split(":")[0]
    r0 = int(first[1:]) + 1
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(r0 + i, 1 + j).value = v
    t.ref = f"{first}:I{r0 + len(rows) - 1}"
    t.autoFilter.ref = t.ref
    wb.save(book)


def test_uh_rule_reduces_the_direct_allocation_and_the_decision_says_so(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    capsys.readouterr()
    main(["check", str(book), "--json"])
    before = json.loads(capsys.readouterr().out)["summary"]
    _set_rule_and_balance(book, "UH", [
        ["Fosennettverket", "UH", 2024, None, None, None, 120_000,
         "beslutningsgrunnlaget 2025", None]])
    assert main(["frames", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    lines = [r for r in wb["Beslutningsgrunnlag"].iter_rows(min_row=5, values_only=True)
             if r[0] == "Fosennettverket"]
    rec = next(n["recommended"] for n in before["networks"] if n["network"] == "Fosennettverket")
    uh_part = min(sum(r[3] or 0 for r in lines), rec)
    assert uh_part >= 120_000
    rows = list(wb["Sammendrag"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:2] == ("Nettverk", "Del"))
    assert rows[head + 1][:6] == ("Fosennettverket", "UH", 120_000, uh_part, 120_000,
                                  uh_part - 120_000)
    assert rows[head + 2][0] == "Sum" and rows[head + 2][4] == 120_000
    text = " ".join(str(r[0]) for r in wb["Vedtak"].iter_rows(values_only=True) if r[0])
    from dekom_xl.core.money import format_kr

    assert (f"UH-delen til Fosennettverket avkortes med kr 120 000, fra kr {format_kr(uh_part)} "
            f"til kr {format_kr(uh_part - 120_000)}") in text
    # The frames and the budget are untouched: the reduction stays as unallocated money.
    capsys.readouterr()
    main(["check", str(book), "--json"])
    after = json.loads(capsys.readouterr().out)["summary"]
    assert after["frames_total"] == before["frames_total"] == 10_100_000


def test_unknown_rule_is_located(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    _set_rule_and_balance(book, "kanskje", [["Fosennettverket", "UH", 2024, None, None, None,
                                             1, None, None]])
    capsys.readouterr()
    assert main(["check", str(book), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["sheet"], p["cell"]) for p in out["problems"]
            if p["severity"] == "feil"] == [("reduction-rule-unknown", "Oppsett", "E20")]
