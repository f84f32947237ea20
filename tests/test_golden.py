"""Golden values: the sample year's Sammendrag, Rammer and Kontroll as users see them.

Regenerate after a deliberate change with ``DEKOM_GOLDEN=write pytest tests/test_golden.py``
and review the diff of tests/golden/*.json by hand.
"""

import csv
import json
import os
import re
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

GOLDEN = Path(__file__).parent / "golden"


def sheet_values(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                out[c.coordinate] = c.value
    return out


@pytest.mark.parametrize("sheet", ["Sammendrag", "Rammer", "Kontroll"])
def test_sheet_matches_golden(demo_dir, sheet):
    got = sheet_values(demo_dir / "fordeling_2025.xlsx", sheet)
    # The demo's temporary folder name is not part of the content.
    target = GOLDEN / f"{sheet.lower()}.json"
    if os.environ.get("DEKOM_GOLDEN") == "write":
        GOLDEN.mkdir(exist_ok=True)
        target.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    expected = json.loads(target.read_text(encoding="utf-8"))
    assert got == expected


def _rows(name: str) -> list[dict[str, object]]:
    """A golden file as rows: ``[{"A": …, "B": …}, …]`` in sheet order."""
    cells = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    rows: dict[int, dict[str, object]] = {}
    for ref, value in cells.items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        rows.setdefault(int(m.group(2)), {})[m.group(1)] = value
    return [rows[r] for r in sorted(rows)]


def _by_label(rows: list[dict], column: str = "B") -> dict[str, object]:
    return {str(r["A"]).strip(): r.get(column) for r in rows if "A" in r}


def test_golden_holds_the_slide_figures():
    """The committed expectations carry the secretariat's figures, checked cell by cell here
    (so a regenerated golden file with wrong numbers cannot pass unnoticed)."""
    summary = _by_label(_rows("sammendrag"))
    assert summary["NTNU"] == 1_720_000
    assert summary["UiS"] == 562_100
    assert summary["SEPU"] == 127_600
    assert summary["Nettverkene selv (egne tiltak og koordinering)"] == 5_502_300
    assert summary["herav holdt tilbake (vilkår)"] == 793_881  # Værnes, until its dialogue
    assert summary["Tildelt beløp"] == 14_239_000
    assert summary["Udisponert (tildelt minus faste poster)"] == 1_739_000
    assert summary["Sum usikre poster"] == 462_500
    net = {r["A"]: r for r in _rows("sammendrag") if r.get("G") is not None}
    assert net["Nettverket Indre Namdal"]["G"] == 779  # 380 000 asked, 379 221 incl. coordination
    assert net["Sum"]["B"] == 10_100_000 and net["Sum"]["C"] == 1_300_000

    # Rammer: every frame by key within 1 krone of base + exact share, computed here from
    # networks.csv, and the frames sum to the pool exactly.
    from dekom_xl.app.samples import sample_folder

    with open(sample_folder() / "networks.csv", encoding="utf-8") as f:
        keys = {r["network"]: int(r["key"]) for r in csv.DictReader(f)}
    rest = 10_100_000 - 150_000 * len(keys)
    frames = {r["A"]: r for r in _rows("rammer") if r.get("A") in keys or r.get("A") == "Sum"}
    for name, key in keys.items():
        exact = 150_000 + Fraction(rest * key, sum(keys.values()))
        assert abs(frames[name]["E"] - exact) < 1, name
    assert sum(frames[n]["E"] for n in keys) == 10_100_000 == frames["Sum"]["E"]

    check = [r for r in _rows("kontroll") if r.get("B") == "over-frame"]
    assert [(r["A"], r["D"]) for r in check] == [("advarsel", "Nettverket Indre Namdal")]
    assert "779" in check[0]["C"]
    assert _rows("kontroll")[1]["A"].startswith("0 feil")
