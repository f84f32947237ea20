"""The sample year through the pure core: the figures of the secretariat's 2025 slides."""

import re
from pathlib import Path

import pytest

from dekom_xl.app.csvin import read_year
from dekom_xl.core.decision import NBSP, decision_paragraphs
from dekom_xl.core.engine import evaluate
from dekom_xl.core.render import tool_sheets


def _prose(paragraphs: list[str]) -> str:
    """The Vedtak text with the amounts' non-breaking spaces read as plain spaces."""
    text = "\n".join(paragraphs)
    assert not re.search(r"\d \d{3}", text), "an amount may break across lines"
    return text.replace(NBSP, " ")


SAMPLE = Path(__file__).parents[1] / "samples" / "kompetanseloftet_2025"


@pytest.fixture(scope="module")
def outcome():
    return evaluate(read_year(SAMPLE, base_grant=150_000, with_submissions=True))


def test_budget_against_grant(outcome):
    s = outcome.summary.as_dict()
    assert (s["grant"], s["allocated"], s["uncertain"], s["unallocated"]) == (
        14_239_000, 12_500_000, 462_500, 1_739_000)
    assert s["frames_total"] == 10_100_000


def test_recipients_match_the_slide(outcome):
    rec = {r["recipient"]: r for r in outcome.summary.as_dict()["recipients"]}
    assert rec["NTNU"]["amount"] == 1_720_000
    assert rec["UiS"]["amount"] == 562_100
    assert rec["SEPU"]["amount"] == 127_600
    own = rec["Nettverkene (egen bruk)"]
    assert (own["amount"], own["own_costs"], own["coordination"]) == (5_239_745, 3_939_745,
                                                                      1_300_000)


def test_indre_namdal_is_779_over(outcome):
    over = [p for p in outcome.problems if p.code == "over-frame"]
    assert [p.network for p in over] == ["Nettverket Indre Namdal"]
    assert "779" in over[0].message
    assert outcome.exit_status == 0  # a warning, not an error


# "Meldt behov inkl. koordinering" per network, as the secretariat's 2025 slides give it.
REQUESTED_ON_THE_SLIDES = {
    "Innherredsnettverket": 754_521,
    "Nettverket Levanger-Verdal": 806_583,
    "Nettverket Midtre Namdal": 580_367,
    "Nettverket Ytre Namdal": 350_000,
    "Gauldal-nettverket": 861_904,
    "Værnes-nettverket": 630_000,
    "Nettverket Trøndelag sørvest": 937_783,
    "Nettverket Trondheim-Malvik": 3_533_145,
    "Nettverket for de videregående skolene": 1_660_100,
    "Nettverket Indre Namdal": 380_000,
    "Fosennettverket": 643_042,
}


def test_requested_matches_the_source(outcome):
    got = {n.network: n.requested for n in outcome.summary.networks}
    assert got == REQUESTED_ON_THE_SLIDES


def test_decision_text(outcome):
    text = _prose(decision_paragraphs(outcome))
    assert "Kroner 1 300 000 tildeles koordinering i kompetansenettverkene" in text
    assert "– NTNU: kroner 1 720 000 (herav kroner 300 000 holdt tilbake" in text
    assert "Restmidlene på kroner 1 739 000 foreslås fordelt likt på de 11 nettverkene" in text
    assert "1 276 500" in text  # the rest if the uncertain line is spent


def test_tool_sheets_hold_the_figures(outcome):
    sheets = {s.name: s for s in tool_sheets(outcome)}
    assert set(sheets) == {"Rammer", "Beslutningsgrunnlag", "Sammendrag", "Kontroll", "Vedtak",
                           "Utbetaling"}
    summary_values = set(sheets["Sammendrag"].grid().values())
    assert {1_720_000, 562_100, 127_600, 5_502_300, 14_239_000, 1_739_000} <= summary_values
    tables = [b.table for s in sheets.values() for b in s.blocks if b.table]
    assert {"Tiltakslinjer", "Innmeldinger", "Kontroll", "Rammer"} <= set(tables)
    assert len(tables) == len(set(tables)), "Excel table names must be unique"
