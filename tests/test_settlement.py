"""Settlement per recipient, restmidler after the decision, and the decision checks."""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dekom_xl.app.samples import sample_year
from dekom_xl.core.allocation import Frame
from dekom_xl.core.decision import NBSP, decision_paragraphs
from dekom_xl.core.engine import evaluate
from dekom_xl.core.load import org_number_valid
from dekom_xl.core.model import (
    BudgetLine,
    CostLine,
    Decision,
    Location,
    Network,
    Recommendation,
    Setup,
    Status,
    Submission,
    University,
    YearData,
)
from dekom_xl.core.payments import HOLD, REJECTED, payments
from dekom_xl.core.settlement import settle


def _prose(paragraphs: list[str]) -> str:
    """The Vedtak text with the amounts' non-breaking spaces read as plain spaces."""
    text = "\n".join(paragraphs)
    assert not re.search(r"\d \d{3}", text), "an amount may break across lines"
    return text.replace(NBSP, " ")


INN = "Innstilling"


@pytest.fixture(scope="module")
def sample():
    return evaluate(sample_year(with_submissions=True))


def test_sample_settlement_matches_the_slides(sample):
    st_ = sample.settlement
    assert st_.recommended_total == 11_400_000
    assert st_.held_total == 793_881
    vaernes = next(n for n in st_.networks if n.network == "Værnes-nettverket")
    assert vaernes.held and vaernes.recommended == 793_881
    amounts = {r.recipient: r.amount for r in st_.recipients}
    assert (amounts["NTNU"], amounts["UiS"], amounts["SEPU"]) == (1_720_000, 562_100, 127_600)
    assert st_.own_total == 5_502_300
    own_requested = sum(n.own_requested for n in st_.networks)
    adjustments = {n.network: n.adjustment for n in st_.networks if n.adjustment}
    assert own_requested == 5_239_745
    assert adjustments == {"Nettverket Ytre Namdal": 99_418, "Værnes-nettverket": 163_881,
                           "Nettverket Indre Namdal": -779,
                           "Nettverket for de videregående skolene": 35}
    assert st_.total == st_.recommended_total + st_.direct_total
    assert sum(p.amount for p in payments(sample)) == st_.total


def test_sample_vedtak_names_the_settlement(sample):
    text = _prose(decision_paragraphs(sample))
    for needle in ["Samlet utgjør denne delen av innstillingen 11 400 000 kroner, under "
                   "forutsetning av at merknadene følges opp.",
                   "Av dette holdes kroner 793 881 til Værnes-nettverket tilbake",
                   "Vilkår for utbetaling: Utbetaling avventes",
                   "– NTNU: kroner 1 720 000", "– UiS: kroner 562 100", "– SEPU: kroner 127 600",
                   "Nettverkene disponerer selv kroner 5 502 300",
                   "kroner 5 239 745 etter beslutningsgrunnlagene",
                   "Nettverket Ytre Namdal +99 418", "Værnes-nettverket +163 881",
                   "Nettverket Indre Namdal −779", "skolene +35",
                   "unntatt Værnes-nettverket, som får kroner 158 090",
                   "settes foreløpig av til fellestiltak Inkluderende praksis: 6 klynger"]:
        assert needle in text, needle
    assert "tildeles direkte tildeling" not in text
    assert "disponerer selv kroner 0" not in text


# --- a test year: one rejected, one cut, one filled up ------------------------------------

def _where(cell: str) -> Location:
    return Location("f.xlsx", INN, cell)


def make_year(recs=None, budget_extra=(), uh_a="NTNU", rest_setting="") -> YearData:
    """Four networks, frame 300 000 + 100 000 coordination each (pool 1 200 000)."""
    names = ["Alfa", "Beta", "Gamma", "Delta"]
    nets = [Network(n, n, Fraction(1), 100_000, None, (), Location("f.xlsx", "Nettverk", f"A{5 + i}"))
            for i, n in enumerate(names)]
    budget = [BudgetLine("coordination", "Koordinering", 400_000),
              BudgetLine("partnerships", "Partnerskapene", 1_200_000),
              BudgetLine("meetings", "Møter", 100_000),
              BudgetLine("joint", "Fellestiltak", 50_000, Status.UNCERTAIN),
              *budget_extra]
    subs = [
        Submission("Alfa", (CostLine("Alfa", "A1", 100_000, 200_000, uh_a,
                                     where=Location("alfa.xlsx", "Behovsmelding", "C17")),),
                   100_000),
        Submission("Beta", (CostLine("Beta", "B1", 150_000, 150_000, "Nord universitet"),), 100_000),
        Submission("Gamma", (CostLine("Gamma", "G1", 100_000, 100_000, "NTNU"),), 100_000),
        Submission("Delta", (CostLine("Delta", "D1", 50_000, 100_000, "NTNU"),), 100_000),
    ]
    recs = recs if recs is not None else [
        Recommendation("Alfa", Decision.REJECT, None, "Mangler plan.", where=_where("A5")),
        Recommendation("Beta", Decision.PARTLY, 300_000, "Kuttet til 300 000.",
                       where=_where("A6"), amount_where=_where("C6")),
        Recommendation("Gamma", Decision.APPROVE, 400_000, "Fylt opp.", where=_where("A7"),
                       amount_where=_where("C7")),
        Recommendation("Delta", Decision.APPROVE, 250_000, where=_where("A8"),
                       amount_where=_where("C8")),
    ]
    setup = Setup(2026, "Dekom", 2_000_000, 200_000, rest_networks=rest_setting)
    return YearData(setup, budget, nets, [University("NTNU"), University("Nord universitet")],
                    recs, subs)


def test_year_settlement_rest_and_split():
    o = evaluate(make_year())
    st_ = o.settlement
    by = {n.network: (n.recommended, n.own, dict(n.uh)) for n in st_.networks}
    assert by == {
        "Alfa": (0, 0, {}),  # rejected: nothing to the network or its UH
        "Beta": (300_000, 150_000, {"Nord universitet": 150_000}),  # cut 100 000 from own
        "Gamma": (400_000, 300_000, {"NTNU": 100_000}),  # filled up by 100 000
        "Delta": (250_000, 150_000, {"NTNU": 100_000}),
    }
    assert [(r.recipient, r.amount) for r in st_.recipients] == [
        ("Alfa", 0), ("Beta", 150_000), ("Gamma", 300_000), ("Delta", 150_000),
        ("NTNU", 200_000), ("Nord universitet", 150_000)]
    assert st_.total == 950_000 == st_.recommended_total
    rest = o.rest
    assert rest.before == 2_000_000 - 1_700_000  # grant − certain lines
    assert rest.after == 2_000_000 - 100_000 - 950_000  # grant − meetings − recommended
    assert rest.after_if_uncertain == 950_000 - 50_000
    # Equal split among the recommended only (Alfa left out), exact.
    assert rest.shares == {"Beta": 316_667, "Gamma": 316_666, "Delta": 316_667}
    assert sum(rest.shares.values()) == 950_000
    text = _prose(decision_paragraphs(o))
    assert ("fordelt likt på de 3 nettverkene som er innstilt: kroner 316 667 til hvert "
            "nettverk unntatt Gamma, som får kroner 316 666") in text
    assert "– Alfa: avslås. Merknad: Mangler plan." in text
    assert [(p.recipient, p.amount, p.status) for p in payments(o) if p.status == REJECTED] == [
        ("Alfa", 0, REJECTED)]


def test_rest_setting_names_the_networks():
    o = evaluate(make_year(rest_setting="Beta; Gamma"))
    assert o.rest.shares == {"Beta": 475_000, "Gamma": 475_000}
    o = evaluate(make_year(rest_setting="Beta; Omega"))
    assert [(p.code, p.cell) for p in o.problems if p.code == "rest-network-unknown"] == [
        ("rest-network-unknown", None)]


def test_unknown_uh_blocks_the_decision_text():
    data = make_year(recs=[Recommendation("Alfa", Decision.APPROVE, 400_000, where=_where("A5"))],
                     uh_a="NTNU / Nord")
    o = evaluate(data)
    assert [(p.code, p.file, p.cell) for p in o.problems if p.code.startswith("settlement")] == [
        ("settlement-unknown-uh", "alfa.xlsx", "C17")]
    assert o.settlement.blocked and o.exit_status == 1
    text = _prose(decision_paragraphs(o))
    assert "Vedtaksteksten kan ikke lages" in text
    assert "NTNU / Nord" in text and "Samlet utgjør" not in text


def test_direct_allocation_counts_for_its_recipient():
    direct = BudgetLine("direct_uh", "Direktetildeling til UH", 3_000_000, recipient="NTNU",
                        where=Location("f.xlsx", "Oppsett", "C30"))
    data = make_year(budget_extra=(direct,))
    data.setup = replace(data.setup, grant=5_000_000)
    o = evaluate(data)
    ntnu = o.settlement.recipient("NTNU")
    assert ntnu is not None and ntnu.amount == 3_200_000
    assert o.settlement.total == o.settlement.recommended_total + 3_000_000
    text = _prose(decision_paragraphs(o))
    assert "Kroner 3 000 000 tildeles NTNU (direktetildeling til UH)." in text
    assert "– NTNU: kroner 3 200 000 (herav kroner 3 000 000 i direktetildeling)." in text


@pytest.mark.parametrize("grant,base,networks,expected", [
    (2_000_000, 200_000, 4, ["Tildelt beløp for Dekom 2026 er kroner 2 000 000.",
                             "til de 4 kompetansenettverkene: et grunntilskudd på kroner "
                             "200 000 per nettverk og resten fordelt etter"]),
    (2_000_000, 0, 1, ["til det ene kompetansenettverket: fordelt etter"]),
    (0, 200_000, 4, ["Tildelt beløp for Dekom 2026 er ikke fylt ut ennå"]),
])
def test_vedtak_wording(grant, base, networks, expected):
    data = make_year()
    data.networks = data.networks[:networks]
    data.setup = replace(data.setup, grant=grant, base_grant=base)
    text = _prose(decision_paragraphs(evaluate(data)))
    for needle in expected:
        assert needle in text, needle
    assert "de 1 " not in text and "kroner 0 per nettverk" not in text


def test_override_own_share():
    recs = [Recommendation("Gamma", Decision.APPROVE, 400_000, where=_where("A7"),
                           own_share=150_000, own_where=_where("F7"))]
    o = evaluate(make_year(recs=recs))
    gamma = next(n for n in o.settlement.networks if n.network == "Gamma")
    assert (gamma.own, dict(gamma.uh), gamma.overridden) == (150_000, {"NTNU": 250_000}, True)


# --- the checks, table-driven -----------------------------------------------------------

CASES = [
    ("reject with an amount",
     [Recommendation("Alfa", Decision.REJECT, 5_000, where=_where("A5"),
                     amount_where=_where("C5"))],
     [("recommendation-reject-amount", "C5")]),
    ("partly without remark",
     [Recommendation("Beta", Decision.PARTLY, 300_000, where=_where("A6"),
                     amount_where=_where("C6"))],
     [("recommendation-partly-no-remark", "A6")]),
    ("partly without amount",
     [Recommendation("Beta", Decision.PARTLY, None, "x", where=_where("A6"),
                     amount_where=_where("C6"))],
     [("recommendation-amount-missing", "C6")]),
    ("above the request",
     [Recommendation("Gamma", Decision.APPROVE, 400_000, where=_where("A7"),
                     amount_where=_where("C7"))],
     [("recommendation-over-request", "C7")]),
    ("cut below the UH part",
     [Recommendation("Alfa", Decision.PARTLY, 150_000, "kutt", where=_where("A5"),
                     amount_where=_where("C5"))],
     [("settlement-uh-cut", "C5")]),
    ("impossible override",
     [Recommendation("Delta", Decision.APPROVE, 250_000, where=_where("A8"),
                     amount_where=_where("C8"), own_share=300_000, own_where=_where("F8"))],
     [("settlement-override", "F8")]),
]
NEW_CODES = {"recommendation-reject-amount", "recommendation-partly-no-remark",
             "recommendation-amount-missing", "recommendation-over-request", "settlement-uh-cut",
             "settlement-override", "coordination-budget", "budget-unknown-recipient",
             "settlement-unknown-uh", "org-number-invalid", "rest-network-unknown"}


@pytest.mark.parametrize("label,recs,expected", CASES, ids=[c[0] for c in CASES])
def test_decision_checks(label, recs, expected):
    o = evaluate(make_year(recs=recs))
    assert [(p.code, p.cell) for p in o.problems if p.code in NEW_CODES] == expected


def test_coordination_budget_line_against_the_maxima():
    data = make_year(recs=[])
    data.budget[0] = replace(data.budget[0], amount=300_000,
                             where=Location("f.xlsx", "Oppsett", "C26"))
    o = evaluate(data)
    found = [(p.code, p.cell, p.message) for p in o.problems if p.code == "coordination-budget"]
    assert [(c, cell) for c, cell, _ in found] == [("coordination-budget", "C26")]
    assert "kr 300 000" in found[0][2] and "kr 400 000 for 4 nettverk" in found[0][2]


def test_budget_line_with_unknown_recipient():
    line = BudgetLine("x", "Direktetildeling", 10_000, recipient="Ukjent høgskole",
                      where=Location("f.xlsx", "Oppsett", "C31"))
    o = evaluate(make_year(budget_extra=(line,)))
    assert [(p.code, p.cell) for p in o.problems if p.code in NEW_CODES] == [
        ("budget-unknown-recipient", "C31"), ("recommendation-over-request", "C7")]
    assert o.settlement.blocked


@pytest.mark.parametrize("number,ok", [
    ("974760673", True), ("923609016", True), ("974767880", True), ("974760674", False),
    ("97476067", False), ("abcdefghi", False), ("", False)])
def test_org_number_modulus_11(number, ok):
    assert org_number_valid(number) is ok


def test_held_payment_is_a_separate_row(sample):
    rows = [(p.recipient, p.amount, p.status) for p in payments(sample) if p.status == HOLD]
    assert rows == [("Værnes-nettverket", 493_881, HOLD), ("NTNU", 300_000, HOLD)]


# --- invariants ---------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=2_000_000)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Decision) + [None]),
                          st.one_of(st.none(), amounts), amounts, amounts, amounts,
                          st.one_of(st.none(), amounts), st.booleans()),
                min_size=1, max_size=6),
       st.lists(amounts, max_size=3))
def test_every_krone_reconciles(nets, direct):
    frames, subs, recs = {}, [], []
    for i, (decision, amount, own, uh1, uh2, override, held) in enumerate(nets):
        name = f"N{i}"
        frames[name] = Frame(name, 100_000, 0, 50_000)
        subs.append(Submission(name, (CostLine(name, "m", own, uh1, "NTNU"),
                                      CostLine(name, "n", 0, uh2, "Nord")), 50_000))
        recs.append(Recommendation(name, decision, amount, condition="v" if held else "",
                                   own_share=override))
    budget = [BudgetLine(f"d{i}", "Direkte", a, recipient="NTNU") for i, a in enumerate(direct)]
    s = settle(frames, subs, recs, budget, ["NTNU", "Nord"])
    assert s.total == s.recommended_total + s.direct_total
    for ns in s.networks:
        assert ns.own >= 0 and all(a >= 0 for _, a in ns.uh)
        assert ns.own + sum(a for _, a in ns.uh) == ns.recommended
        if ns.decision is Decision.REJECT:
            assert ns.recommended == 0
    held = sum(r.held for r in s.recipients)
    assert held == s.held_total


@pytest.mark.parametrize("sent,expected", [
    ((300_000, 100_000), []),  # as the workbook has it now
    ((300_000, None), []),  # an old template without the coordination name
    ((280_000, 100_000), [("template-frame-changed", "A5")]),
    ((300_000, 90_000), [("template-frame-changed", "A5")]),
])
def test_frame_changed_since_the_template_was_sent(sent, expected):
    data = make_year()
    data.submissions[0] = replace(data.submissions[0], frame_sent=sent[0],
                                  coordination_sent=sent[1])
    o = evaluate(data)
    assert [(p.code, p.cell) for p in o.problems if p.code == "template-frame-changed"] == expected
