"""Golden values: the sample year's Sammendrag, Rammer and Kontroll as users see them.

Regenerate after a deliberate change with ``DEKOM_GOLDEN=write pytest tests/test_golden.py``
and review the diff of tests/golden/*.json by hand.
"""

import json
import os
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


def test_golden_holds_the_slide_figures():
    """The committed expectations themselves carry the figures checked by hand."""
    summary = json.loads((GOLDEN / "sammendrag.json").read_text(encoding="utf-8"))
    values = set(summary.values())
    for amount in (1_720_000, 562_100, 127_600, 5_239_745, 3_939_745, 14_239_000, 1_739_000,
                   10_100_000):
        assert amount in values, amount
    frames = json.loads((GOLDEN / "rammer.json").read_text(encoding="utf-8"))
    assert 10_100_000 in frames.values()
