"""The run log: one row per run on the tool sheet Logg, earlier rows carried forward."""

from __future__ import annotations

import hashlib
import zipfile

import openpyxl

from dekom_xl.cli import main

FOSEN = "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"


def _log(book) -> list[tuple]:
    ws = openpyxl.load_workbook(book)["Logg"]
    rows = [r for r in ws.iter_rows(min_row=5, values_only=True) if any(v is not None for v in r)]
    return rows


def _parts(book) -> dict[str, bytes]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_two_runs_on_unchanged_input_add_a_row_each_and_change_nothing_else(demo_copy):
    book = demo_copy / "fordeling_2025.xlsx"
    maler = demo_copy / "maler"
    assert main(["collect", str(book), str(maler)]) == 0
    first = _parts(book)
    assert main(["collect", str(book), str(maler)]) == 0
    second = _parts(book)
    rows = _log(book)
    assert [r[1] for r in rows] == ["collect", "collect"]
    changed = sorted(n for n in second if first.get(n) != second[n])
    with zipfile.ZipFile(book) as z:
        log_parts = {n for n in z.namelist() if n.startswith(("xl/worksheets/", "xl/tables/"))
                     and (b"Logg" in z.read(n)[:2000] or b"Logg over" in z.read(n))}
    assert changed and set(changed) <= log_parts, changed  # only the Logg sheet and its table
    fosen = maler / FOSEN
    digest = hashlib.sha256(fosen.read_bytes()).hexdigest()
    assert f"{FOSEN}: {digest}" in rows[-1][2]  # every file read, with its SHA-256
    assert rows[0][9] == "første kjøring med logg" and rows[1][9] == "ingen endring i tallene"
    assert rows[1][3:9] == rows[0][3:9]  # totals and problem counts
    # the recommended total as the decision states it (Værnes's 793 881 held included)
    assert rows[0][3:7] == (14_239_000, 10_100_000, 11_137_445, 11_400_000)


def test_a_moved_request_is_named_with_how_much(demo_copy):
    book = demo_copy / "fordeling_2025.xlsx"
    maler = demo_copy / "maler"
    assert main(["collect", str(book), str(maler)]) == 0
    wb = openpyxl.load_workbook(maler / FOSEN)
    wb["Behovsmelding"]["B33"].value = 150_000  # was 100 000
    wb.save(maler / FOSEN)
    assert main(["collect", str(book), str(maler)]) == 0
    assert main(["frames", str(book)]) == 0
    rows = _log(book)
    assert [r[1] for r in rows] == ["collect", "collect", "frames"]
    assert rows[1][9] == "Fosennettverket: meldt +50 000"
    assert rows[1][5] - rows[0][5] == 50_000  # requested total
    assert rows[2][9] == "ingen endring i tallene"


def test_check_and_an_empty_folder_write_no_row(demo_copy):
    book = demo_copy / "fordeling_2025.xlsx"
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    before = book.read_bytes()
    assert main(["check", str(book)]) == 0
    (demo_copy / "tom").mkdir()
    assert main(["collect", str(book), str(demo_copy / "tom")]) == 1
    assert book.read_bytes() == before
