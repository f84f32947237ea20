"""The fast reader (adapters/files/fastread.py) reads exactly what openpyxl reads.

Every corpus case and the demo folder are read twice, once per reader, and must give the
same problems (code, file, sheet, cell and message), the same submissions, and the same
answer to every read FileWorkbook offers. Timings are never asserted here: see
``python -m dekom_xl.bench``.
"""

import shutil
import zipfile
from pathlib import Path

import pytest
from corpus import BOOK, BOOK_CASES, CASES

from dekom_xl.adapters.files import FileProblem, fastread
from dekom_xl.adapters.files import workbook as fw
from dekom_xl.adapters.files.gate import check_file
from dekom_xl.app.collect import collect_folder
from dekom_xl.app.workbook import read_allocation


def _problems(problems):
    return [(p.code, p.file, p.sheet, p.cell, p.severity, p.network, p.message) for p in problems]


def _collect(folder: Path, reader: str, monkeypatch):
    monkeypatch.setattr(fw, "READER", reader)
    subs, problems = collect_folder(folder, progress=False)
    return subs, _problems(problems)


def _reads(path: Path, reader: str):
    """Every read FileWorkbook offers, in the order collect makes them, as plain values."""
    try:
        wb = fw.FileWorkbook(path, reader=reader)
    except FileProblem as err:
        return ("refused", err.problem.code)
    out: list = [wb.sheet_names(), wb.table_names(), wb.kind(),
                 [(n, s, f.value, f.where) for n, s, f in wb._fields()]]
    for name in sorted(wb.table_names()):
        out += [wb.read_table(name), wb.outside(name)]
    out.append(wb.hidden_sheets())
    out += [wb.formulas_without_value(s) for s in wb.sheet_names()]
    out += [sorted(wb.fields_on(s).items()) for s in wb.sheet_names()]
    return out


def _same_everywhere(d: Path, monkeypatch, demo: Path | None = None) -> None:
    """Both readers agree on ``d``; with ``demo``, files equal to the demo's are not read
    file by file again (the demo test does that)."""
    assert _collect(d / "maler", "fast", monkeypatch) == _collect(d / "maler", "openpyxl",
                                                                  monkeypatch)
    for path in sorted([*d.glob("*.xls*"), *(d / "maler").glob("*.xls*")]):
        same = demo / path.relative_to(d) if demo is not None else None
        if same is not None and same.exists() and same.read_bytes() == path.read_bytes():
            continue
        assert _reads(path, "fast") == _reads(path, "openpyxl"), path.name
    if (d / BOOK).exists():
        monkeypatch.setattr(fw, "READER", "fast")
        fast = read_allocation(fw.FileWorkbook(d / BOOK))
        monkeypatch.setattr(fw, "READER", "openpyxl")
        slow = read_allocation(fw.FileWorkbook(d / BOOK))
        assert (fast.submissions, _problems(fast.problems)) == \
            (slow.submissions, _problems(slow.problems))


def test_demo_folder_reads_the_same(demo_dir, monkeypatch):
    _same_everywhere(demo_dir, monkeypatch)
    # and the fast reader really read them (no silent fallback on plain files)
    for path in [demo_dir / BOOK, *(demo_dir / "maler").glob("*.xlsx")]:
        assert isinstance(fastread.load(check_file(path)), fastread.FastBook)


@pytest.mark.parametrize("case", CASES + BOOK_CASES, ids=[c.name for c in CASES + BOOK_CASES])
def test_corpus_case_reads_the_same(case, demo_dir, tmp_path, monkeypatch):
    d = tmp_path / "aar"
    shutil.copytree(demo_dir, d)
    case.build(d)
    _same_everywhere(d, monkeypatch, demo_dir)


def _rewrite(path: Path, part: str, fn) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts[part] = fn(parts[part])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


FOSEN = "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"


@pytest.mark.parametrize("why, part, fn", [
    ("a DTD deep inside a part (only defusedxml may parse it)", "xl/worksheets/sheet1.xml",
     lambda x: x.replace(b"<worksheet", b"<!-- " + b"x" * 5000 + b" --><!DOCTYPE worksheet>"
                         b"<worksheet", 1)),
    ("a cell without its address", "xl/worksheets/sheet1.xml",
     lambda x: x.replace(b'<c r="A1"', b"<c", 1)),
    ("a workbook part under another name", "[Content_Types].xml",
     lambda x: x.replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/book.xml"', 1)),
])
def test_what_the_fast_reader_is_not_sure_of_goes_to_openpyxl(why, part, fn, demo_copy,
                                                              monkeypatch):
    path = demo_copy / "maler" / FOSEN
    _rewrite(path, part, fn)
    with pytest.raises(fastread.NotSure):
        fastread.load(check_file(path))
    assert _reads(path, "fast") == _reads(path, "openpyxl")


# -- beyond the corpus: what the fast reader copies of openpyxl's bookkeeping ------------------
def _sheet_edit(fn):
    def build(path: Path) -> None:
        import openpyxl

        wb = openpyxl.load_workbook(path)
        fn(wb["Behovsmelding"])
        wb.save(path)
    return build


def _several_merges(ws):
    for rng in ("A40:B40", "A33:B33", "C36:D37", "A45:A46"):
        ws.merge_cells(rng)


def _comment_below(ws):
    from openpyxl.comments import Comment

    ws["C80"].comment = Comment("en merknad langt under tabellen", "koordinator")


def _link_beside(ws):
    ws["J33"].hyperlink = "https://example.invalid"
    ws["J33"].value = None


def _date_amount(ws):
    from datetime import date

    ws["B33"].value = date(2025, 3, 1)
    ws["B33"].number_format = "dd.mm.yyyy"


def _rich_and_bool(ws):
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    ws["A34"].value = CellRichText(["Kurs ", TextBlock(InlineFont(b=True), "fet")])
    ws["E34"].value = True
    ws["C35"].value = 1234.0
    ws["E35"].value = "#N/A"
    ws["E35"].data_type = "e"


def _hidden_rows_and_blank_styles(ws):
    from openpyxl.styles import Font

    ws.row_dimensions[34].hidden = True
    ws.row_dimensions[90].height = 30
    ws["H95"].font = Font(bold=True)  # a styled empty cell: openpyxl holds it (max_row)


def _very_hidden_table_sheet(ws):
    from openpyxl.worksheet.table import Table

    other = ws.parent.create_sheet("Skjult")
    other.append(["Tiltak", "Kostnad nettverk", "Kostnad UH"])
    other.append(["gammelt", 1, 2])
    other.add_table(Table(displayName="Gamle", ref="A1:C2"))
    other.sheet_state = "veryHidden"


EXTRA = {"flere-sammenslaainger": _several_merges, "merknad-under": _comment_below,
         "lenke-ved-siden-av": _link_beside, "dato-som-belop": _date_amount,
         "rik-tekst-og-sannhetsverdi": _rich_and_bool, "skjulte-rader-og-stil": _hidden_rows_and_blank_styles,
         "veldig-skjult-ark-med-tabell": _very_hidden_table_sheet}


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_openpyxl_bookkeeping_is_copied(name, demo_copy, monkeypatch):
    path = demo_copy / "maler" / FOSEN
    _sheet_edit(EXTRA[name])(path)
    assert isinstance(fastread.load(check_file(path)), fastread.FastBook)  # really the fast one
    assert _reads(path, "fast") == _reads(path, "openpyxl")
    assert _collect(demo_copy / "maler", "fast", monkeypatch) == \
        _collect(demo_copy / "maler", "openpyxl", monkeypatch)
