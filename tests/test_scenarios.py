"""The distribution model side by side: Modeller → Modellrammer, exact sums, located problems."""

import json
from fractions import Fraction

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from dekom_xl.cli import main
from dekom_xl.core.model import Network
from dekom_xl.core.scenarios import ScenarioModel, compare, floored_frames

keys = st.lists(st.integers(0, 50_000), min_size=1, max_size=15)


@settings(max_examples=300, deadline=None)
@given(keys=keys, keys2=st.lists(st.integers(0, 900), min_size=15, max_size=15),
       pool=st.integers(0, 30_000_000), base=st.integers(0, 500_000),
       floor=st.one_of(st.none(), st.integers(0, 2_000_000)),
       share=st.fractions(0, 1, max_denominator=100))
def test_every_model_sums_exactly_to_the_pool(keys, keys2, pool, base, floor, share):
    nets = [Network(f"N{i}", key=Fraction(k)) for i, k in enumerate(keys)]
    extra = {"Nøkkeltall lærerårsverk": {n.name: Fraction(keys2[i]) for i, n in enumerate(nets)}}
    models = [ScenarioModel("én nøkkel", base, floor=floor),
              ScenarioModel("blandet", base, "Nøkkeltall", "Nøkkeltall lærerårsverk", share,
                            floor)]
    result, problems = compare(pool, nets, {n.name: 0 for n in nets}, models, extra)
    n = len(nets)
    if n * base > pool or (floor is not None and n * floor > pool):
        assert {p.code for p in problems} <= {"scenario-pool-below-base",
                                               "scenario-floor-too-high"}
        assert problems and not result.models
        return
    assert problems == []
    for m in result.models:
        frames = result.frames[m.name]
        assert sum(frames.values()) == pool
        assert all(f >= base for f in frames.values())
        if floor is not None:
            assert all(f >= floor for f in frames.values())


def test_floor_lifts_the_small_and_takes_from_the_large_by_key():
    frames = floored_frames(1_000_000, 0, {"a": Fraction(1), "b": Fraction(1), "c": Fraction(8)},
                            floor=200_000)
    assert frames == {"a": 200_000, "b": 200_000, "c": 600_000}
    # A floor at or under the base grant changes nothing.
    plain = floored_frames(1_000_000, 100_000, {"a": Fraction(1), "b": Fraction(3)})
    assert floored_frames(1_000_000, 100_000, {"a": Fraction(1), "b": Fraction(3)},
                          floor=90_000) == plain == {"a": 300_000, "b": 700_000}


def _add_key_column(book, values):
    wb = openpyxl.load_workbook(book)
    ws = wb["Nettverk"]
    t = ws.tables["Nettverk"]
    ws["G4"] = "Nøkkeltall lærerårsverk"
    for i, v in enumerate(values):
        ws.cell(5 + i, 7).value = v
    t.ref = t.ref.replace("F", "G")
    t.autoFilter.ref = t.ref
    from openpyxl.worksheet.table import TableColumn

    t.tableColumns.append(TableColumn(id=7, name="Nøkkeltall lærerårsverk"))
    wb.save(book)


def _add_models(book, rows):
    wb = openpyxl.load_workbook(book)
    ws = wb["Scenarier"]
    t = ws.tables["Modeller"]
    first = int(t.ref.split(":")[1][1:]) + 1
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(first + i, 1 + j).value = v
    t.ref = f"{t.ref.split(':')[0]}:G{first + len(rows) - 1}"
    t.autoFilter.ref = t.ref
    wb.save(book)


def test_scenarios_command_writes_exact_frames_and_locates_bad_models(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    _add_key_column(book, [300, 330, 200, 120, "ukjent", 320, 410, 1800, 1500, 80, 240])
    _add_models(book, [
        ["Blanding 70/30 med gulv", 100_000, "Nøkkeltall", "Nøkkeltall lærerårsverk", 0.3,
         300_000, None],
        ["Feil nøkkel", 0, "Barnetall", None, None, None, None],
        ["Gulv for høyt", 0, "Nøkkeltall", None, None, 1_000_000, None],
        ["Andel uten nøkkel 2", 0, "Nøkkeltall", None, "40 %", None, None],
    ])
    capsys.readouterr()
    code = main(["scenarios", str(book), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0  # model problems are warnings: the year's allocation is untouched
    got = [(p["code"], p["sheet"], p["cell"]) for p in out["problems"]
           if p["code"].startswith("scenario-")]
    assert sorted(got) == sorted([
        ("scenario-key-value", "Nettverk", "G9"),
        ("scenario-key-unknown", "Scenarier", "C10"),
        ("scenario-floor-too-high", "Scenarier", "F11"),
        ("scenario-share", "Scenarier", "E12"),
    ])
    assert [m["model"] for m in out["models"]] == ["Dagens modell", "Uten grunntilskudd",
                                                   "Blanding 70/30 med gulv"]
    assert all(m["total"] == out["pool"] == 10_100_000 for m in out["models"])
    mix = {f["network"]: f["frame"] for f in out["models"][2]["frames"]}
    assert min(mix.values()) == 300_000
    # The sheet the user opens holds the same figures, and its sum row is exact.
    ws = openpyxl.load_workbook(book)["Modellrammer"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Nettverk")
    assert rows[header][:5] == ("Nettverk", "Ramme nå", "Dagens modell", "Uten grunntilskudd",
                                "Blanding 70/30 med gulv")
    body = rows[header + 1: header + 12]
    assert {r[0]: r[4] for r in body} == mix
    total = rows[header + 12]
    assert total[0] == "Sum" and total[1:5] == (10_100_000,) * 4 and total[5:8] == (0, 0, 0)
    assert all(r[7] == r[4] - r[1] for r in body)


def test_workbook_without_modeller_is_refused_unchanged(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(book)
    del wb["Modellrammer"]
    del wb["Scenarier"]
    wb.save(book)
    before = book.read_bytes()
    capsys.readouterr()
    assert main(["scenarios", str(book)]) == 1
    assert "[scenario-table-missing]" in capsys.readouterr().out
    assert book.read_bytes() == before
    # …and the other commands still read it (old workbooks load).
    assert main(["check", str(book)]) == 0


