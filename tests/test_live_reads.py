"""The live adapter reads what the file adapter reads.

- The bad-input corpus through both doors: ``collect`` on the file workbook and on the same
  workbook's remote-engine payload gives the same problems (code, file, sheet, cell).
- Hidden rows, formulas without a value and merged cells in a decision-base sheet pasted into
  the workbook: xlwings Lite fetches them with its asynchronous getters (``getRangeData``,
  answered here from the file the way Office.js answers); xlwings' remote engine (xlwings
  Server) sends values only, so there they are not checked, and the adapter says which
  tables it could not check.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import types
from pathlib import Path

import openpyxl
import pytest
from conftest import paste_decision_base_sheet
from corpus import BOOK, CASES, FOSEN
from openpyxl.utils.cell import range_boundaries

xw = pytest.importorskip("xlwings")


@pytest.fixture(autouse=True)
def licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def _key(problems):
    return sorted((p.code, p.file, p.sheet, p.cell) for p in problems)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_gives_the_same_problems_through_both_adapters(case, demo_dir, tmp_path):
    from dekom_xl.app import ops
    from dekom_xl.tools.payload import payload_from_xlsx

    d = tmp_path / "aar"
    shutil.copytree(demo_dir, d)
    case.build(d)
    folder = d / "maler"
    by_file = ops.collect(ops.open_allocation(d / BOOK), folder, progress=False)
    book = xw.Book(json=payload_from_xlsx(d / BOOK))
    live = ops.live_allocation(book)
    by_button = ops.collect(live, folder, progress=False)
    assert _key(by_button.problems) == _key(by_file.problems)
    if case.code != "ok" and case.cell:
        assert (case.code, case.cell) in {(p.code, p.cell) for p in by_button.problems}


# -- a decision-base sheet pasted into the workbook, broken in three ways ------------------
SHEET = "Fosen"


def _paste(book: Path, src: Path, breakage: str) -> None:
    """Excel's "Move or copy sheet" of a network's sheet (conftest.paste_decision_base_sheet),
    then one thing broken on the pasted sheet."""
    wb = openpyxl.load_workbook(book)
    ws = paste_decision_base_sheet(wb, src, SHEET)
    if breakage == "hidden-row":
        ws.row_dimensions[33].hidden = True
    elif breakage == "merged-cells":
        ws.merge_cells("A32:B32")
    elif breakage == "amount-formula-no-value":
        ws["B33"] = "=50000*2"  # openpyxl writes no cached value: never calculated
    wb.save(book)


class _OfficeJs:
    """Answers xlwings Lite's ``getRangeData`` reads from the file, as Office.js would."""

    def __init__(self, path: Path):
        self.f = openpyxl.load_workbook(path)
        self.reads = 0

    async def client_read(self, book, func, sheet, address, keys):
        assert func == "getRangeData"
        self.reads += 1
        ws = self.f[sheet]
        c1, r1, c2, r2 = range_boundaries(address.replace("$", ""))
        out = {}
        for key in keys:
            if key == "row_hidden":
                states = {bool(ws.row_dimensions[r].hidden) for r in range(r1, r2 + 1)}
                out[key] = states.pop() if len(states) == 1 else None
            elif key == "formulas":
                out[key] = [["" if ws.cell(r, c).value is None else ws.cell(r, c).value
                             for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
            elif key in ("merge_cells", "merge_area"):
                hits = [m for m in ws.merged_cells.ranges
                        if not (m.max_row < r1 or m.min_row > r2 or m.max_col < c1
                                or m.min_col > c2)]
                if key == "merge_area":
                    out[key] = str(hits[0]) if hits else None
                else:
                    whole = len(hits) == 1 and (hits[0].min_row, hits[0].min_col, hits[0].max_row,
                                                hits[0].max_col) == (r1, c1, r2, c2)
                    out[key] = True if whole else (None if hits else False)
        return types.SimpleNamespace(to_py=lambda: out)


@pytest.fixture
def lite(monkeypatch):
    """xlwings Lite's runtime around the remote engine: Pyodide's platform and bridge."""
    from xlwings.pro import _xlremote

    pyodide = types.ModuleType("pyodide")
    ffi = types.ModuleType("pyodide.ffi")
    ffi.to_js = lambda x: x
    pyodide.ffi = ffi
    monkeypatch.setitem(sys.modules, "pyodide", pyodide)
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)

    def install(office: _OfficeJs):
        monkeypatch.setattr(_xlremote, "client_read", office.client_read)
        monkeypatch.setattr(sys, "platform", "emscripten")
    return install


@pytest.mark.parametrize("code, cell", [
    ("hidden-row", "33:33"), ("merged-cells", "A32"), ("amount-formula-no-value", "B33")])
def test_a_pasted_sheet_is_checked_alike_in_xlwings_lite(code, cell, demo_copy, lite):
    from dekom_xl import xl
    from dekom_xl.app import ops
    from dekom_xl.tools.payload import payload_from_xlsx

    book = demo_copy / BOOK
    _paste(book, demo_copy / "maler" / FOSEN, code)
    by_file = ops.check(ops.open_allocation(book))
    shape = {"hidden-row", "merged-cells", "amount-formula-no-value"}
    assert [(p.code, p.sheet, p.cell) for p in by_file.problems if p.code in shape] == \
        [(code, SHEET, cell)]

    office = _OfficeJs(book)
    xbook = xw.Book(json=payload_from_xlsx(book))
    lite(office)
    by_button = asyncio.run(xl.oppdater_sammendrag_lite(xbook))
    assert by_button is not None and office.reads > 0
    assert _key(by_button.problems) == _key(by_file.problems)


def test_the_remote_engine_cannot_see_them_and_says_which_tables(demo_copy):
    """xlwings Server's payload carries values only: the gap, stated rather than hidden."""
    from dekom_xl.app import ops
    from dekom_xl.tools.payload import payload_from_xlsx

    book = demo_copy / BOOK
    _paste(book, demo_copy / "maler" / FOSEN, "hidden-row")
    live = ops.live_allocation(xw.Book(json=payload_from_xlsx(book)))
    outcome = ops.check(live)
    assert "hidden-row" not in {p.code for p in outcome.problems}
    assert "Tiltak2" in live.unchecked  # type: ignore[attr-defined]
