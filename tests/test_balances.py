"""Balances carried forward: the rule on Oppsett reduces the settled amount of the recipients it
names by exactly their unspent money (never below 0); the money stays undisposed; Sammendrag,
Vedtak, Utbetaling and the sums say so."""

import copy
import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dekom_xl.cli import main
from dekom_xl.core.balances import (
    PART_NETWORK,
    PART_UH,
    Balance,
    Reduction,
    parse_rule,
    reduce_settlement,
)
from dekom_xl.core.model import POOL_LINE, BudgetLine, Decision, Status
from dekom_xl.core.restmidler import restmidler
from dekom_xl.core.settlement import NetworkSettlement, Settlement, _recipients


@pytest.mark.parametrize("raw, parts", [
    (None, ()), ("", ()), ("ingen", ()), ("UH", (PART_UH,)), ("uh", (PART_UH,)),
    ("Nettverk", (PART_NETWORK,)), ("alle", (PART_NETWORK, PART_UH)), ("noen", None)])
def test_rule(raw, parts):
    assert parse_rule(raw) == parts


def _settlement(nets, direct, unis):
    """nets: (name, own, ((uh, amount), …), held); direct: (recipient, label, amount, uncertain)."""
    networks = [NetworkSettlement(n, Decision.APPROVE, own + sum(a for _, a in uh), None, own,
                                  tuple(uh), condition="vilkår" if held else "")
                for n, own, uh, held in nets]
    lines = [BudgetLine(f"l{i}", label, amount,
                        Status.UNCERTAIN if uncertain else Status.FIXED, recipient=who)
             for i, (who, label, amount, uncertain) in enumerate(direct)]
    st_ = Settlement(networks, _recipients(networks, [(ln.recipient, ln) for ln in lines],
                                           [n[0] for n in nets], unis), lines)
    return st_, lines


def test_reduction_takes_the_direct_allocation_first_and_never_more_than_settled():
    st_, _ = _settlement(
        [("A", 300_000, (("NTNU", 400_000),), False), ("B", 100_000, (("Nord", 250_000),), True)],
        [("NTNU", "Grunntilskudd UH", 600_000, False), ("Nord", "Pulje 1", 165_000, True)],
        ["NTNU", "Nord"])
    balances = [Balance("NTNU", PART_UH, 2024, unspent_typed=120_000),
                Balance("ntnu", PART_UH, 2023, granted=50_000, used=40_000),  # 10 000 left
                Balance("Nord", PART_UH, 2024, unspent_typed=900_000),
                Balance("A", PART_NETWORK, 2024, unspent_typed=70_000)]  # not in the rule
    got = reduce_settlement(st_, (PART_UH,), balances, lambda w: {"ntnu": "NTNU"}.get(w, w))
    assert got == [Reduction("NTNU", PART_UH, 130_000, 1_000_000, 130_000,
                             (("Grunntilskudd UH", 130_000),)),
                   Reduction("Nord", PART_UH, 900_000, 250_000, 250_000, (("B", 250_000),))]
    amounts = {r.recipient: (r.amount, r.held) for r in st_.recipients}
    assert amounts == {"A": (300_000, 0), "B": (100_000, 100_000), "NTNU": (870_000, 0),
                       "Nord": (0, 0)}  # Nord's uncertain line (165 000) is never touched
    assert st_.reduced_total == 380_000


def test_network_with_part_uh_means_the_uh_money_through_that_network():
    st_, _ = _settlement([("A", 50_000, (("NTNU", 40_000), ("Nord", 30_000)), False),
                          ("B", 0, (("NTNU", 99_000),), False)], [], ["NTNU", "Nord"])
    got = reduce_settlement(st_, (PART_UH,), [Balance("A", PART_UH, 2024, unspent_typed=55_000)])
    assert got == [Reduction("A", PART_UH, 55_000, 70_000, 55_000,
                             (("A", 55_000),))]
    assert {r.recipient: r.amount for r in st_.recipients} == {
        "A": 50_000, "B": 0, "NTNU": 40_000 - 40_000 + 99_000, "Nord": 30_000 - 15_000}


UHS = ["NTNU", "Nord", "DMMH"]
NETS = ["A", "B", "C"]
money = st.integers(0, 2_000_000)


@settings(max_examples=200, deadline=None)
@given(nets=st.lists(st.tuples(money, st.lists(st.tuples(st.sampled_from(UHS), money),
                                               max_size=3), st.booleans()),
                     min_size=1, max_size=3),
       direct=st.lists(st.tuples(st.sampled_from(UHS + NETS), money, st.booleans()), max_size=4),
       balances=st.lists(st.tuples(st.sampled_from(UHS + NETS), st.sampled_from(
           [PART_UH, PART_NETWORK]), st.integers(-100_000, 3_000_000)), max_size=6),
       rule=st.sampled_from([(PART_UH,), (PART_NETWORK,), (PART_NETWORK, PART_UH)]),
       grant=st.integers(0, 30_000_000))
def test_reduced_settlement_plus_reductions_is_the_settlement_and_restmidler_gain_them(
        nets, direct, balances, rule, grant):
    names = NETS[:len(nets)]
    unis = UHS
    st_, lines = _settlement(
        [(n, own, uh, held) for n, (own, uh, held) in zip(names, nets, strict=True)],
        [(who, f"Post {i}", a, unc) for i, (who, a, unc) in enumerate(direct)
         if who in unis or who in names], unis)
    budget = lines + [BudgetLine(POOL_LINE, "Partnerskap", st_.recommended_total)]
    before = copy.deepcopy(st_)
    rest_before, _ = restmidler(grant, budget, before, names)
    got = reduce_settlement(st_, rule, [Balance(w, p, 2024, unspent_typed=u)
                                        for w, p, u in balances])
    rest_after, _ = restmidler(grant, budget, st_, names)
    reduced = sum(r.reduced for r in got)
    assert st_.total + reduced == before.total
    assert st_.reduced_total == reduced
    assert rest_after.after == rest_before.after + reduced
    by_name = {r.recipient: r for r in before.recipients}
    for r in st_.recipients:
        old = by_name[r.recipient]
        assert r.amount + sum(p.reduced for p in r.parts) == old.amount
        assert all(p.amount >= 0 for p in r.parts)
        assert [p for p in r.parts if p.uncertain] == [p for p in old.parts if p.uncertain]
    unspent: dict = {}
    for w, p, u in balances:
        if p in rule:
            unspent[(w, p)] = unspent.get((w, p), 0) + u
    for r in got:
        assert r.unspent == unspent[(r.recipient, r.part)] > 0
        assert r.reduced == min(r.unspent, r.allocated)
        assert sum(a for _, a in r.taken) == r.reduced


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


def _direct_line_to(book, code, recipient):
    wb = openpyxl.load_workbook(book)
    ws = wb["Oppsett"]
    row = next(r for r in ws.iter_rows() if r[0].value == code)
    ws.cell(row[0].row, 6).value = recipient
    wb.save(book)
    return row[1].value, row[2].value


def _check(capsys, book):
    capsys.readouterr()
    main(["check", str(book), "--json"])
    return json.loads(capsys.readouterr().out)


def test_uh_rule_reduces_the_direct_allocation_and_every_sum_reconciles(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    label, amount = _direct_line_to(book, "joint_incl_uh_base", "NTNU")
    before = _check(capsys, book)["settlement"]
    ntnu = next(r["amount"] for r in before["recipients"] if r["recipient"] == "NTNU")
    _set_rule_and_balance(book, "UH", [
        ["NTNU", "UH", 2024, None, None, None, 120_000, "rapport 2024", None]])
    assert main(["frames", str(book)]) == 0
    after = _check(capsys, book)["settlement"]
    got = {r["recipient"]: r["amount"] for r in after["recipients"]}
    assert got == {r["recipient"]: r["amount"] - (120_000 if r["recipient"] == "NTNU" else 0)
                   for r in before["recipients"]}
    assert after["total"] == before["total"] - 120_000
    assert after["rest_after"] == before["rest_after"] + 120_000
    assert sum(after["rest_shares"].values()) == after["rest_after"]
    wb = openpyxl.load_workbook(book)
    rows = list(wb["Sammendrag"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:2] == ("Mottaker", "Del"))
    assert rows[head + 1][:6] == ("NTNU", "UH", 120_000, ntnu, 120_000, ntnu - 120_000)
    assert rows[head + 2][0] == "Sum" and rows[head + 2][4] == 120_000
    from dekom_xl.core.decision import kr

    paragraphs = [str(r[0]) for r in wb["Vedtak"].iter_rows(values_only=True) if r[0]]
    said = [p for p in paragraphs if "avkortes" in p]
    assert said == [
        f"På bakgrunn av rapportering på tidligere tildelinger avkortes 2025-midlene opp mot "
        f"gjenstående midler: NTNU avkortes med kroner {kr(120_000)} (kroner {kr(120_000)} av «{label}»), "
        f"fra kroner {kr(ntnu)} til kroner {kr(ntnu - 120_000)}. Til sammen avkortes kroner "
        f"{kr(120_000)}, som blir stående som udisponerte midler."]
    assert f"– NTNU: kroner {kr(ntnu - 120_000)} (herav kroner {kr(amount - 120_000)} i " \
        "direktetildeling" in " ".join(paragraphs)
    pay = list(wb["Utbetaling"].iter_rows(min_row=5, values_only=True))
    assert sum(r[3] for r in pay if r[0] == "NTNU") == ntnu - 120_000
    assert next(r[3] for r in pay if r[0] == "Sum") == after["total"]


def test_unknown_rule_is_located(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    _set_rule_and_balance(book, "kanskje", [["Fosennettverket", "UH", 2024, None, None, None,
                                             1, None, None]])
    capsys.readouterr()
    assert main(["check", str(book), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(p["code"], p["sheet"], p["cell"]) for p in out["problems"]
            if p["severity"] == "feil"] == [("reduction-rule-unknown", "Oppsett", "E20")]
