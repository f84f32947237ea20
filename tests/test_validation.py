"""Validation codes and locations, table-driven, on small literal years."""

from dataclasses import replace
from fractions import Fraction

import pytest

from dekom_xl.core.engine import evaluate
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

NET = "Nettverk"


def year(**changes) -> YearData:
    """Two networks, a 1 000 000 pool, base 100 000; everything balanced by default."""
    nets = [
        Network("Fosennettverket", "Fosen", Fraction(3), 100_000, None, ("Fosen",),
                Location("f.xlsx", NET, "A5")),
        Network("Værnes-nettverket", "Værnes", Fraction(1), 100_000, None, ("Værnes",),
                Location("f.xlsx", NET, "A6")),
    ]
    budget = [
        BudgetLine("coordination", "Koordinering", 200_000, Status.FIXED),
        BudgetLine("partnerships", "Partnerskapene", 1_000_000, Status.FIXED,
                   where=Location("f.xlsx", "Oppsett", "C12")),
    ]
    data = YearData(Setup(2025, "Kompetanseløftet", 1_200_000, 100_000), budget, nets,
                    [University("NTNU", ("Matematikksenteret/NTNU",)),
                     University("Nord universitet", ("Nord", "Nord U"))])
    for k, v in changes.items():
        setattr(data, k, v)
    return data


def sub(network, lines, coordination=100_000, file="b.xlsx", year_=2025):
    return Submission(network, tuple(CostLine(network, m, nc, uc, uh,
                                              where=Location(file, "Behovsmelding", cell))
                                     for m, nc, uc, uh, cell in lines),
                      coordination, year=year_, where=Location(file, "Behovsmelding", "C3"))


# Frames with these keys: Fosen 100 000 + 600 000 = 700 000; Værnes 100 000 + 200 000 = 300 000.
FOSEN_OK = [("Tiltak A", 300_000, 400_000, "NTNU", "B12")]
VAERNES_OK = [("Tiltak B", 100_000, 200_000, "Nord", "B12")]


def codes(outcome):
    return [(p.code, p.network, p.file, p.sheet, p.cell) for p in outcome.problems]


CASES = [
    # (id, changes to the year, every (code, network, file, sheet, cell) found, in order:
    # errors, warnings, info; then by file, sheet and cell)
    ("balanced year has no errors", {}, []),
    ("budget over grant", {"setup": Setup(2025, "K", 1_100_000, 100_000)},
     [("budget-over-grant", None, None, "Oppsett", None)]),
    ("unallocated money",
     {"setup": Setup(2025, "K", 1_300_000, 100_000)},
     [("unallocated", None, None, "Oppsett", None)]),
    ("over frame by 1 krone",
     {"submissions": [sub("Fosennettverket", [("A", 300_001, 400_000, "NTNU", "B12")]),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("over-frame", "Fosennettverket", "b.xlsx", "Behovsmelding", "C3")]),
    ("under frame",
     {"submissions": [sub("Fosennettverket", [("A", 200_000, 400_000, "NTNU", "B12")]),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("under-frame", "Fosennettverket", "b.xlsx", "Behovsmelding", "C3")]),
    ("coordination above maximum",
     {"submissions": [sub("Fosennettverket", [("A", 200_000, 400_000, "NTNU", "B12")], 150_000),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     # 200 000 + 400 000 + 150 000 = 750 000 is still under the 800 000 incl. coordination
     [("coordination-over-max", "Fosennettverket", "b.xlsx", "Behovsmelding", "C3"),
      ("under-frame", "Fosennettverket", "b.xlsx", "Behovsmelding", "C3")]),
    ("unknown network",
     {"submissions": [sub("Orkdal", FOSEN_OK)]},
     # the only decision basis is set aside: neither network has one
     [("unknown-network", "Orkdal", "b.xlsx", "Behovsmelding", "C3"),
      ("no-submission", "Fosennettverket", "f.xlsx", NET, "A5"),
      ("no-submission", "Værnes-nettverket", "f.xlsx", NET, "A6")]),
    ("unknown UH is a warning at the line's cell",
     {"submissions": [sub("Fosennettverket", [("A", 300_000, 400_000, "UiT", "B13")]),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("unknown-uh", "Fosennettverket", "b.xlsx", "Behovsmelding", "B13")]),
    ("UH cost without a UH",
     {"submissions": [sub("Fosennettverket", [("A", 300_000, 400_000, "", "B14")]),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("uh-missing", "Fosennettverket", "b.xlsx", "Behovsmelding", "B14")]),
    ("same network twice in Nettverk",
     {"networks": year().networks + [replace(year().networks[0], name="FOSEN-nettverket",
                                             where=Location("f.xlsx", NET, "A7"))]},
     [("duplicate-network", "FOSEN-nettverket", "f.xlsx", NET, "A7")]),
    ("two decision bases for one network",
     {"submissions": [sub("Fosennettverket", FOSEN_OK, file="a.xlsx"),
                      sub("Fosen", FOSEN_OK, file="z.xlsx"),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("duplicate-submission", "Fosennettverket", "z.xlsx", "Behovsmelding", "C3")]),
    ("decision basis from another year",
     {"submissions": [sub("Fosennettverket", FOSEN_OK, year_=2024),
                      sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")]},
     [("wrong-year", "Fosennettverket", "b.xlsx", "Behovsmelding", "C3"),
      ("no-submission", "Fosennettverket", "f.xlsx", NET, "A5")]),
    ("missing decision basis",
     {"submissions": [sub("Fosennettverket", FOSEN_OK)]},
     [("no-submission", "Værnes-nettverket", "f.xlsx", NET, "A6")]),
    ("recommendation above frame without remark",
     {"recommendations": [Recommendation("Fosen", Decision.APPROVE, 800_001, "", "",
                                         Location("f.xlsx", "Innstilling", "A5"))]},
     [("recommendation-over-frame", "Fosennettverket", "f.xlsx", "Innstilling", "A5")]),
    ("decided frames one krone short of the pool (the 2024 error)",
     {"networks": [replace(year().networks[0], frame_decided=700_000),
                   replace(year().networks[1], frame_decided=299_999)]},
     [("frames-not-pool", None, "f.xlsx", "Oppsett", "C12")]),
    ("pool below the base grants",
     {"setup": Setup(2025, "K", 1_200_000, 600_000)},
     [("pool-below-base", None, "f.xlsx", "Oppsett", "C12")]),
]


@pytest.mark.parametrize("changes, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_codes_and_locations(changes, expected):
    assert codes(evaluate(year(**changes))) == expected


def test_all_problems_are_collected_not_just_the_first():
    data = year(setup=Setup(2025, "K", 1_100_000, 100_000),
                submissions=[sub("Fosennettverket", [("A", 300_001, 400_000, "UiT", "B12")],
                                 150_000), sub("Orkdal", FOSEN_OK, file="o.xlsx")])
    got = [p.code for p in evaluate(data).problems]
    assert got == ["budget-over-grant", "coordination-over-max", "unknown-network",
                   "over-frame", "unknown-uh", "no-submission"]


def test_recommendation_above_frame_with_a_remark_is_fine():
    data = year(recommendations=[Recommendation("Fosennettverket", Decision.APPROVE, 800_001,
                                                "Fyller opp rammen etter avtale.", "")])
    assert "recommendation-over-frame" not in {p.code for p in evaluate(data).problems}


@pytest.mark.parametrize("written", ["Værnes", "Vaernes", "VÆRNES-nettverket",
                                     "værnes nettverket", "Værnes-nettverket"])
def test_network_aliases_are_normalised(written):
    data = year(submissions=[sub(written, VAERNES_OK),
                             sub("Fosennettverket", FOSEN_OK, file="f2.xlsx")])
    outcome = evaluate(data)
    assert [s.network for s in outcome.submissions] == ["Fosennettverket", "Værnes-nettverket"]
    assert not [p for p in outcome.problems if p.code.endswith("network")]


def test_uh_alias_is_normalised_in_the_recipients():
    data = year(submissions=[sub("Fosennettverket", [("A", 300_000, 400_000,
                                                      "Matematikksenteret/NTNU", "B12")]),
                             sub("Værnes-nettverket", [("B", 100_000, 200_000, "Nord U", "B12")],
                                 file="v.xlsx")])
    rec = {r.recipient: r.amount for r in evaluate(data).summary.recipients}
    assert rec["NTNU"] == 400_000 and rec["Nord universitet"] == 200_000


def test_ambiguous_name_matches_two_networks():
    data = year(networks=[Network("Nettverket Indre Namdal", "", Fraction(1), 0),
                          Network("Nettverket Ytre Namdal", "", Fraction(1), 0)],
                submissions=[sub("Namdal", [])])
    assert "ambiguous-network" in {p.code for p in evaluate(data).problems}


def test_every_code_used_is_registered():
    from dekom_xl.core.problems import CODES

    data = year(setup=Setup(2025, "K", 1_100_000, 100_000),
                submissions=[sub("Orkdal", FOSEN_OK)])
    for p in evaluate(data).problems:
        assert p.code in CODES
        assert p.severity == CODES[p.code].severity


def test_the_same_problem_found_twice_is_reported_once():
    """A file read twice (a sheet pasted in and the same file in the folder) reports its
    problems once: the engine de-duplicates, keeping the first."""
    from dekom_xl.core.problems import problem

    hidden = problem("hidden-row", row=33, table="Tiltak", network="Fosennettverket",
                     file="b.xlsx", sheet="Behovsmelding", cell="33:33")
    data = year(problems=[hidden, hidden],
                submissions=[sub("Fosennettverket", FOSEN_OK),
                             sub("Værnes-nettverket", VAERNES_OK, file="v.xlsx")])
    assert evaluate(data).problems == [hidden]
