"""A real spreadsheet engine opens what we write and recalculates to Python's figures."""

from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_or_skip

from dekom_xl import tables as T

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def recalculated(demo_dir, tmp_path_factory):
    soffice_or_skip()
    from dekom_xl.io.lo import recalc

    out = tmp_path_factory.mktemp("lo")
    files = [demo_dir / "fordeling_2025.xlsx", *sorted((demo_dir / "maler").glob("*.xlsx"))]
    return {f.name: recalc(f, out) for f in files}


def test_every_workbook_opens_without_error_cells(recalculated):
    from dekom_xl.io.lo import error_cells

    assert len(recalculated) == 12
    for name, path in recalculated.items():
        assert error_cells(path) == [], name


def test_budget_checks_recalculate_to_pythons_figures(recalculated):
    ws = openpyxl.load_workbook(recalculated["fordeling_2025.xlsx"], data_only=True)["Oppsett"]
    assert [ws[c].value for c in ("B19", "B20", "B21", "B22")] == [
        12_500_000, 462_500, 1_739_000, 1_276_500]


def test_template_live_totals_equal_the_sum_of_their_lines(recalculated, demo_dir):
    from dekom_xl.collect import read_decision_base

    for name, path in recalculated.items():
        if not name.startswith("beslutningsgrunnlag"):
            continue
        sub, _ = read_decision_base(demo_dir / "maler" / name)
        wb = openpyxl.load_workbook(path, data_only=True)
        ws = wb[T.TEMPLATE_SHEET]
        requested = ws["B11"].value
        assert requested == sub.requested, name
        frame_incl = ws["B9"].value
        assert ws["B12"].value == requested - frame_incl, name
        expected = ("Over rammen" if requested > frame_incl else
                    "Under rammen" if requested < frame_incl else "På rammen")
        assert ws["C12"].value == expected, name


def test_indre_namdal_template_shows_779_over(recalculated):
    ws = openpyxl.load_workbook(recalculated["beslutningsgrunnlag_2025_indre_namdal.xlsx"],
                                data_only=True)[T.TEMPLATE_SHEET]
    assert (ws["B11"].value, ws["B12"].value, ws["C12"].value) == (380_000, 779, "Over rammen")


def test_summary_renders_to_png(demo_dir, tmp_path):
    soffice_or_skip()
    from dekom_xl.io.lo import render_png

    pages = render_png(demo_dir / "fordeling_2025.xlsx", tmp_path, sheet="Sammendrag", dpi=40)
    assert pages and all(Path(p).stat().st_size > 5000 for p in pages)
