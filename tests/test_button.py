"""A button press on every engine: guarded, quiet, never half-written, few round trips.

Run on xlwings' remote engine (``xw.Book(json=payload)``); desktop Excel's app settings and
run marker are checked on a stand-in book that records what is set.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

xw = pytest.importorskip("xlwings")


@pytest.fixture(autouse=True)
def licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def _book(path: Path, **extra):
    from dekom_xl.tools.payload import payload_from_xlsx

    payload = payload_from_xlsx(path)
    payload.update(extra)
    return xw.Book(json=payload)


def _funcs(book) -> list[str]:
    return [a["func"] for a in book.json()["actions"]]


def test_a_second_press_during_a_run_is_refused(demo_dir):
    from dekom_xl.app import ops
    from dekom_xl.app.button import BUSY, press

    book = _book(demo_dir / "fordeling_2025.xlsx")
    inner = []

    def frames_and_press_again(wb):
        inner.append(press(book, ops.frames))  # the second click, while the first runs
        return ops.frames(wb)

    outcome = press(book, frames_and_press_again)
    assert outcome is not None and outcome.summary.frames_total == 10_100_000
    assert inner == [None]
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert alerts == [BUSY]
    assert press(book, ops.frames) is not None  # the flag is cleared after the run


@pytest.mark.parametrize("age_minutes, runs", [(1, False), (30, True)])
def test_a_run_marker_in_the_workbook_refuses_a_press(demo_dir, age_minutes, runs):
    """Excel on macOS may start a second Python process: the marker name in the workbook is
    what it sees. A marker older than 10 minutes is left over from a crash and ignored."""
    from dekom_xl.adapters.live import BUSY_NAME
    from dekom_xl.app import ops
    from dekom_xl.app.button import BUSY, press
    from dekom_xl.tools.payload import payload_from_xlsx

    stamp = (dt.datetime.now() - dt.timedelta(minutes=age_minutes)).isoformat(timespec="seconds")
    payload = payload_from_xlsx(demo_dir / "fordeling_2025.xlsx")
    payload["names"].append({"name": BUSY_NAME, "sheet_index": 0, "address": "A1",
                             "book_scope": True, "scope_sheet_name": None,
                             "scope_sheet_index": None, "refers_to": f'="{stamp}"'})
    book = xw.Book(json=payload)
    outcome = press(book, ops.frames)
    assert (outcome is not None) is runs
    if not runs:
        assert book.json()["actions"] == [{
            "func": "alert", "args": [BUSY, "dekom-xl", "ok", "", ""], "values": None,
            "sheet_position": None, "start_row": None, "start_column": None,
            "row_count": None, "column_count": None}]


def test_a_failure_writes_nothing_and_says_so_in_bokmal(demo_dir, capsys):
    from dekom_xl.app import ops
    from dekom_xl.app.button import press

    book = _book(demo_dir / "fordeling_2025.xlsx")

    def fails_after_writing(wb):
        ops.frames(wb)  # queues every write of a regeneration …
        raise RuntimeError("boom")  # … then fails

    assert press(book, fails_after_writing) is None
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # the queued writes are dropped
    assert actions[0]["args"][0] == (
        "Intern feil i dekom-xl (RuntimeError). Verktøyarkene er ikke endret. Detaljene står i "
        "loggen til xlwings-serveren; send dem til utviklerne.")
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err


class _Recorder:
    """Desktop Excel's app and names, recording what a run sets (no Excel here)."""

    def __init__(self, tmp: Path, fail_calculation: bool = False):
        self.log: list[tuple[str, object]] = []
        self.screen_updating = True
        self._calculation = "automatic"
        self.fail_calculation = fail_calculation
        self.engine = type("E", (), {"type": "desktop", "name": "excel"})()
        self.names: list = []
        self.fullname = str(tmp / "fordeling_2025.xlsx")
        self.log = []

    def __setattr__(self, key, value):
        if key in ("screen_updating",):
            self.__dict__.setdefault("log", []).append((key, value))
        object.__setattr__(self, key, value)

    @property
    def calculation(self):
        return self._calculation

    @calculation.setter
    def calculation(self, value):
        if self.fail_calculation:
            raise NotImplementedError("not on this engine")
        self.log.append(("calculation", value))
        self._calculation = value

    def alert(self, text, title=None):
        self.log.append(("alert", text))


class _Book:
    def __init__(self, rec: _Recorder):
        self.app = rec
        self.fullname = rec.fullname
        self.names = _Names(rec)


class _Names(list):
    def __init__(self, rec):
        super().__init__()
        self.rec = rec

    def add(self, name, refers_to):
        rec = self.rec

        class N:
            def __init__(self):
                self.name, self.refers_to = name, refers_to

            def delete(self):
                rec.log.append(("name-deleted", name))

        rec.log.append(("name-added", name))
        n = N()
        self.append(n)
        return n


@pytest.mark.parametrize("fail", [False, True])
def test_desktop_run_is_quiet_marked_and_always_restored(tmp_path, monkeypatch, fail):
    from dekom_xl.app import button, ops

    rec = _Recorder(tmp_path)
    book = _Book(rec)
    monkeypatch.setattr(ops, "live_allocation", lambda b, extras=None: object())

    def op(wb):
        assert rec.screen_updating is False and rec.calculation == "manual"
        assert button.live.busy_marker(book)  # a second process would see the marker
        if fail:
            raise ValueError("mid-run")
        return "done"

    result = button.press(book, op)
    assert result == (None if fail else "done")
    assert rec.screen_updating is True and rec.calculation == "automatic"
    kinds = [k for k, _ in rec.log]
    assert kinds[:3] == ["screen_updating", "calculation", "name-added"]
    assert kinds[3:6] == ["name-deleted", "calculation", "screen_updating"]
    if fail:
        alert = rec.log[-1]
        assert alert[0] == "alert" and "Intern feil i dekom-xl (ValueError)" in alert[1]
        details = tmp_path / "dekom-xl-feil.txt"
        assert f"filen {details}" in alert[1] and "ValueError: mid-run" in details.read_text()


def test_an_engine_without_calculation_still_runs_and_restores(tmp_path, monkeypatch):
    from dekom_xl.app import button, ops

    rec = _Recorder(tmp_path, fail_calculation=True)
    monkeypatch.setattr(ops, "live_allocation", lambda b, extras=None: object())
    assert button.press(_Book(rec), lambda wb: "ok") == "ok"
    assert rec.screen_updating is True
    assert ("calculation", "manual") not in rec.log


# -- round trips ---------------------------------------------------------------------------
def _regenerate_counts(tmp_path: Path, scale: int, *, grant_change: int) -> Counter:
    """Actions of one press after the grant on Oppsett was changed by ``grant_change`` and
    the first recommendation lowered by 10 000."""
    from dekom_xl import xl
    from dekom_xl.adapters.builder import build_allocation
    from dekom_xl.core import layout as L
    from dekom_xl.tools.synthetic import synthetic_year

    path = tmp_path / f"fordeling_x{scale}.xlsx"
    build_allocation(synthetic_year(scale), path)
    wb = openpyxl.load_workbook(path)  # only the payload's values are read from it
    wb["Oppsett"][L.GRANT].value += grant_change
    rec = wb["Innstilling"]
    first = next(r for r in range(1, rec.max_row + 1) if isinstance(rec.cell(r, 3).value, int))
    rec.cell(first, 3).value -= 10_000  # a recommendation too: decision and payments change
    wb.save(path)
    book = _book(path)
    assert xl.oppdater_sammendrag(book) is not None
    return Counter(_funcs(book))


def test_at_most_30_actions_per_regeneration_the_same_at_1x_and_10x(tmp_path):
    """A press after the grant and a recommendation changed: every tool sheet that shows them
    is rewritten (all but Beslutningsgrunnlag)."""
    one = _regenerate_counts(tmp_path, 1, grant_change=250_000)
    ten = _regenerate_counts(tmp_path, 10, grant_change=250_000)
    print(f"\n1x: {sum(one.values())} {dict(one)}\n10x: {sum(ten.values())} {dict(ten)}")
    assert sum(one.values()) <= 30
    assert one == ten
    assert one["setValues"] >= 5  # Rammer, Sammendrag, Kontroll, Vedtak, Utbetaling


def test_a_press_with_nothing_changed_writes_only_what_differs(tmp_path, demo_dir):
    """The demo's sheets were written by the command line: the button finds the values as it
    would write them and sends only the number formats (which no engine but desktop Excel can
    read back; someone may have cleared them). A sheet the user typed over is written again,
    whole."""
    from dekom_xl import xl

    def values_written(book) -> list[str]:
        names = [s.name for s in book.sheets]
        return [names[a["sheet_position"]] for a in book.json()["actions"]
                if a["func"] != "setNumberFormat"]

    assert values_written(_press(demo_dir / "fordeling_2025.xlsx")) == []
    path = tmp_path / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(demo_dir / "fordeling_2025.xlsx")
    wb["Vedtak"]["A5"] = "skrevet over for hånd"
    wb.save(path)
    book = _book(path)
    assert xl.oppdater_sammendrag(book) is not None
    assert values_written(book) == ["Vedtak"]


def _press(path: Path):
    from dekom_xl import xl

    book = _book(path)
    assert xl.oppdater_sammendrag(book) is not None
    return book


def test_tool_sheets_made_from_scratch_have_widths_in_points_on_remote_engines(demo_copy):
    """xlwings ≥ 0.37: Lite and the remote engine read column widths in points."""
    from dekom_xl import xl
    from dekom_xl.adapters.live_write import points
    from dekom_xl.core.render import tool_sheets

    path = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(path)
    del wb["Kontroll"]
    wb.save(path)
    book = _book(path)
    outcome = xl.oppdater_sammendrag(book)
    kontroll = next(c for c in tool_sheets(outcome) if c.name == "Kontroll")
    pos = [s.name for s in book.sheets].index("Kontroll")
    widths = {(a["start_column"] + 1, a["start_column"] + a["column_count"]): a["args"][0]
              for a in book.json()["actions"]
              if a["func"] == "setColumnWidth" and a["sheet_position"] == pos}
    got = {c: w for (c1, c2), w in widths.items() for c in range(c1, c2 + 1)}
    assert got == {c: points(w) for c, w in kontroll.widths.items()}
    assert points(90.0) == 476.25  # the message column: 90 characters, not 90 points


def test_a_width_the_engine_cannot_set_never_aborts_the_run(demo_copy, monkeypatch):
    from xlwings.pro import _xlremote

    from dekom_xl import xl

    def refuse(self, value):
        raise NotImplementedError("xlwings < 0.37: no column_width on this engine")

    monkeypatch.setattr(_xlremote.Range, "column_width",
                        property(lambda self: None, refuse))
    path = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(path)
    del wb["Kontroll"]
    from dekom_xl.core import layout as L

    wb["Oppsett"][L.GRANT].value += 250_000  # so the sheets after Kontroll change too
    wb.save(path)
    book = _book(path)
    assert xl.oppdater_sammendrag(book) is not None
    funcs = _funcs(book)
    assert "setColumnWidth" not in funcs and "alert" not in funcs
    names = [s.name for s in book.sheets]
    written = [names[a["sheet_position"]] for a in book.json()["actions"]
               if a["func"] == "setValues"]
    # Kontroll (new, its widths refused) and the sheets written after it
    assert written == ["Rammer", "Sammendrag", "Kontroll", "Vedtak"]  # (payments: no change)


def test_desktop_widths_are_characters():
    from dekom_xl.adapters.live_write import _widths

    class Rng:
        def __init__(self, log, a, b):
            self.log, self.cols = log, (a[1], b[1])

        @property
        def column_width(self):
            return None

        @column_width.setter
        def column_width(self, w):
            self.log.append((self.cols, w))

    class Sheet:
        def __init__(self):
            self.log = []

        def range(self, a, b):
            return Rng(self.log, a, b)

    ws = Sheet()
    _widths(ws, {1: 12.0, 2: 16.0, 3: 16.0, 5: 16.0}, desktop=True)
    assert ws.log == [((1, 1), 12.0), ((2, 3), 16.0), ((5, 5), 16.0)]



def test_the_first_collect_into_a_new_workbook_stays_within_30_actions(demo_dir, tmp_path,
                                                                      monkeypatch):
    """Tables grow (the lines arrive): resized, not re-added; bold rows and the chart below
    the grown tables are set again; sheets the collect does not change (Rammer, Modellrammer)
    are not written at all."""
    import shutil
    from dataclasses import replace

    from dekom_xl import xl
    from dekom_xl.adapters.builder import build_allocation
    from dekom_xl.app.samples import sample_year

    full = sample_year(with_submissions=True)
    build_allocation(replace(full, submissions=[], problems=[]), tmp_path / "fordeling_2025.xlsx")
    shutil.copytree(demo_dir / "maler", tmp_path / "maler")
    monkeypatch.chdir(tmp_path)
    book = _book(tmp_path / "fordeling_2025.xlsx")
    outcome = xl.hent_beslutningsgrunnlag(book)
    assert outcome is not None and len(outcome.submissions) == 11
    counts = Counter(_funcs(book))
    print(f"\nfirst collect: {sum(counts.values())} {dict(counts)}")
    assert counts["resizeTable"] >= 2 and counts["addTable"] == counts["addSheet"] == 0
    # Replaying the font actions: no cell of a grown table is left bold (its header is bold
    # through the table style), and the sum rows below the tables are.
    from openpyxl.utils.cell import range_boundaries
    bold: dict[tuple[int, int, int], bool] = {}
    bodies: set[tuple[int, int, int]] = set()
    for a in book.json()["actions"]:
        if a["func"] == "setFontProperty" and a["args"][0] == "bold":
            for r in range(a["start_row"], a["start_row"] + a["row_count"]):
                for c in range(a["start_column"], a["start_column"] + a["column_count"]):
                    bold[(a["sheet_position"], r + 1, c + 1)] = a["args"][1]
        elif a["func"] == "resizeTable":
            c1, r1, c2, r2 = range_boundaries(a["args"][1].replace("$", ""))
            bodies |= {(a["sheet_position"], r, c) for r in range(r1 + 1, r2 + 1)
                       for c in range(c1, c2 + 1)}
    assert bold and not {cell for cell, on in bold.items() if on} & bodies
    names = [s.name for s in book.sheets]
    assert bold[(names.index("Sammendrag"), 26, 1)]  # «Sum» under the grown Mottakere table
    values = {names[a["sheet_position"]] for a in book.json()["actions"]
              if a["func"] == "setValues"}
    assert "Rammer" not in values and "Modellrammer" not in values  # the collect left them
    assert sum(counts.values()) <= 30


def _grids():
    from hypothesis import strategies as st
    cell = st.tuples(st.integers(1, 12), st.integers(1, 6))
    return st.dictionaries(cell, st.sampled_from(["kr", "%", "General", "+"]), max_size=40)


def test_paint_plans_replay_to_their_targets_and_bold_never_touches_an_off_cell():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dekom_xl.core.paint import paint, paint_flags

    @settings(max_examples=150, deadline=None)
    @given(_grids(), st.dictionaries(st.tuples(st.integers(1, 12), st.integers(1, 6)),
                                     st.booleans(), max_size=40))
    def check(targets, flags):
        got: dict = {}
        for r1, c1, r2, c2, v in paint(targets):
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) in targets:
                        got[(r, c)] = v
        assert got == targets
        on = {(r, c) for r1, c1, r2, c2 in paint_flags(flags) for r in range(r1, r2 + 1)
              for c in range(c1, c2 + 1) if (r, c) in flags}
        assert on == {cell for cell, v in flags.items() if v}

    check()
