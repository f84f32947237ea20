"""The bad-input corpus: generated, never hand-made binaries. Each case says what it must produce.

``python tests/corpus.py OUT`` writes every case into OUT/<case>/ (a copy of the demo year
with one thing broken) so the cases can be opened by hand. tests/test_corpus.py runs them.

A case breaks either a decision base in ``maler/`` (``target="folder"``) or the allocation
workbook itself (``target="book"``) and names the problem code it must produce, the file
the message must name, and the exit status product.md prescribes (0 when only warnings or
information remain, 1 for errors in the data, 2 for an unusable workbook).
"""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.worksheet.table import TableColumn

SHEET = "Behovsmelding"
FOSEN = "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
VAERNES = "beslutningsgrunnlag_kompetanseloftet_2025_vaernes.xlsx"
BOOK = "fordeling_2025.xlsx"


@dataclass(frozen=True)
class Case:
    name: str
    code: str  # the problem code it must produce ("ok": no error, values still right)
    exit: int
    file: str | None  # the file the message must name
    build: Callable[[Path], None]  # breaks the demo copy in the given folder
    cell: str | None = None  # the cell the message must name, where there is one


# -- helpers -------------------------------------------------------------------------------
def _edit(path: Path, fn) -> None:
    wb = openpyxl.load_workbook(path)
    fn(wb)
    wb.save(path)


def _cell(name: str, cell: str, value, sheet: str = SHEET, *, formula: bool = False):
    def build(d: Path):
        def fn(wb):
            wb[sheet][cell].value = value
            if isinstance(value, str) and not formula:
                wb[sheet][cell].data_type = "s"
        _edit(d / "maler" / name, fn)
    return build


def _book_cell(sheet: str, cell: str, value):
    def build(d: Path):
        def fn(wb):
            wb[sheet][cell].value = value
        _edit(d / BOOK, fn)
    return build


def _write(name: str, data: bytes):
    def build(d: Path):
        (d / "maler" / name).write_bytes(data)
    return build


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return buf.getvalue()


def _patch_xml(name: str, part: str, fn):
    """Rewrite one XML part of a template (for what openpyxl cannot write)."""
    def build(d: Path):
        path = d / "maler" / name
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        parts[part] = fn(parts[part])
        path.write_bytes(_zip(parts))
    return build


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4088

XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
       b'uniqueCount="1"><si><t>&xxe;</t></si></sst>')
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
          b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
          b'&lol3;</t></si></sst>')


def _sst(payload: bytes):
    def fn(old: bytes) -> bytes:
        return payload
    return fn


def _formula_with_value(cell: str, formula: str, value: int):
    def fn(xml: bytes) -> bytes:
        pat = re.compile(rb'<c r="' + cell.encode() + rb'"([^>]*?)(/>|>.*?</c>)', re.S)
        attrs = re.sub(rb'\s*t="[^"]*"', b"", pat.search(xml).group(1))
        new = (b'<c r="' + cell.encode() + b'"' + attrs + b"><f>" + formula.encode() + b"</f><v>"
               + str(value).encode() + b"</v></c>")
        return pat.sub(lambda m: new, xml, count=1)
    return fn


def _table(name: str, fn):
    def build(d: Path):
        def edit(wb):
            ws = wb[SHEET]
            fn(ws, ws.tables["Tiltak"])
        _edit(d / "maler" / name, edit)
    return build


def _rename_table(ws, t):
    del ws.tables["Tiltak"]
    t.displayName = t.name = "Tabell1"
    ws.add_table(t)


def _delete_table(ws, t):
    del ws.tables["Tiltak"]


def _extra_column(ws, t):
    ws["F31"] = "Farge"
    ws["F32"] = "grønn"
    t.ref = "A31:F46"
    t.autoFilter.ref = t.ref
    t.tableColumns.append(TableColumn(id=6, name="Farge"))


def _missing_column(ws, t):
    ws["C31"] = "Kost UH"
    t.tableColumns[2].name = "Kost UH"


def _reorder_columns(ws, t):
    for r in range(31, 47):
        ws.cell(r, 2).value, ws.cell(r, 3).value = ws.cell(r, 3).value, ws.cell(r, 2).value
    t.tableColumns[1].name, t.tableColumns[2].name = "Kostnad UH", "Kostnad nettverk"


def _blank_row(ws, t):
    ws.move_range("A33:E45", rows=1)


def _hidden_row(ws, t):
    ws.row_dimensions[33].hidden = True


def _merged(ws, t):
    ws.merge_cells("A32:B32")


def _two_files(d: Path):
    shutil.copy(d / "maler" / FOSEN, d / "maler" / "fosen_kopi.xlsx")


def _lock_file(d: Path):
    (d / "maler" / ("~$" + FOSEN)).write_bytes(b"\x00" * 165)


def _huge(d: Path):
    with open(d / "maler" / "stor.xlsx", "wb") as f:
        f.write(b"PK\x03\x04")
        f.seek(21 * 1024 * 1024)
        f.write(b"\x00")


def _zip_bomb(d: Path):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>"})
    (d / "maler" / "bombe.xlsx").write_bytes(bomb)


def _copy_book_as(name: str, src: str):
    def build(d: Path):
        shutil.copy(d / "maler" / src, d / name)
    return build


def _remove_name(name: str, defined: str):
    def build(d: Path):
        def fn(wb):
            del wb.defined_names[defined]
        _edit(d / "maler" / name, fn)
    return build


def _book_table_cell(table_sheet: str, cell: str, value):
    return _book_cell(table_sheet, cell, value)


def _book_dup_network(d: Path):
    def fn(wb):
        ws = wb["Nettverk"]
        t = ws.tables["Nettverk"]
        ws["A16"] = "FOSEN-nettverket"
        ws["C16"] = 3042
        ws["D16"] = 100000
        t.ref = "A4:F16"
        t.autoFilter.ref = t.ref
    _edit(d / BOOK, fn)



# -- a reader that never guesses (issue 9) -----------------------------------------------------
def _rows(ws, t, first: int, rows: list[list]) -> None:
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(first + i, 1 + j).value = v


def _sum_row(ws, t):
    _rows(ws, t, 35, [["Sum", 297_442, 245_600]])


def _sum_formula(ws, t):
    ws["B35"] = "=SUM(B32:B34)"


def _copied_line(ws, t):
    _rows(ws, t, 35, [[c.value for c in ws[33][:5]]])


def _emptied(ws, t):
    _rows(ws, t, 32, [[None] * 5] * 3)


def _line_below(ws, t):
    _rows(ws, t, 57, [["Kurs skrevet under tabellen", 50_000, 0, None, None]])


def _note_beside(ws, t):
    ws["F33"] = "notat ved siden av"


def _second_table(ws, t):
    from openpyxl.worksheet.table import Table

    for j, h in enumerate(["Tiltak", "Kostnad nettverk", "Kostnad UH", "UH-institusjon", "Merknad"]):
        ws.cell(60, 7 + j).value = h
    ws["G61"], ws["H61"] = "Kurs i tabell to", 80_000
    ws.add_table(Table(displayName="Tabell2", ref="G60:K61"))


def _to_the_bottom(ws, t):
    t.ref = "A31:E1048576"
    t.autoFilter.ref = t.ref


def _hidden_sheet(d: Path):
    def fn(wb):
        ws = wb.create_sheet("Gammelt")
        ws["A1"] = "Tiltak fra i fjor"
        ws["B1"] = 400_000
        ws.sheet_state = "hidden"
    _edit(d / "maler" / FOSEN, fn)


CASES: list[Case] = [
    # files that are not what they claim
    Case("null-byte", "file-empty", 1, "tom.xlsx", _write("tom.xlsx", b"")),
    Case("tekst-omdopt", "file-not-xlsx", 1, "tekst.xlsx",
         _write("tekst.xlsx", b"Tiltak;Kostnad\nASK;100 000\n")),
    Case("png-omdopt", "file-not-xlsx", 1, "bilde.xlsx",
         _write("bilde.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)),
    Case("zip-uten-arbeidsbok", "file-not-xlsx", 1, "arkiv.xlsx",
         _write("arkiv.xlsx", _zip({"les_meg.txt": b"hei"}))),
    Case("avkuttet-fil", "file-not-xlsx", 1, "avkuttet.xlsx",
         lambda d: (d / "maler" / "avkuttet.xlsx").write_bytes(
             (d / "maler" / FOSEN).read_bytes()[:3000])),
    Case("xls-sendt", "file-not-xlsx", 1, "gammel.xls", _write("gammel.xls", OLE)),
    Case("ods-sendt", "file-not-xlsx", 1, "calc.ods", _write("calc.ods", _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))),
    Case("ods-omdopt", "file-not-xlsx", 1, "calc.xlsx", _write("calc.xlsx", _zip(
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}))),
    Case("csv-sendt", "file-not-xlsx", 1, "tiltak.csv", _write("tiltak.csv", b"a;b\n1;2\n")),
    Case("xlsb-sendt", "file-not-xlsx", 1, "binaer.xlsb", _write("binaer.xlsb", b"PK\x03\x04")),
    Case("passordbeskyttet", "file-encrypted", 1, "hemmelig.xlsx", _write("hemmelig.xlsx", OLE)),
    Case("xls-omdopt-til-xlsx", "file-encrypted", 1, "omdopt.xlsx", _write("omdopt.xlsx", OLE)),
    Case("laasefil", "file-locked", 0, "~$" + FOSEN, _lock_file),
    Case("stor-fil", "file-too-large", 1, "stor.xlsx", _huge),
    Case("zip-bombe", "file-unsafe", 1, "bombe.xlsx", _zip_bomb),
    Case("xxe", "file-unsafe", 1, FOSEN, _patch_xml(FOSEN, "docProps/core.xml", _sst(XXE))),
    Case("entitetsutvidelse", "file-unsafe", 1, FOSEN,
         _patch_xml(FOSEN, "docProps/core.xml", _sst(LAUGHS))),
    Case("annen-fil", "file-other", 0, "notat.txt", _write("notat.txt", b"notat")),
    # amounts
    Case("spoersmaalstegn", "amount-uncertain", 1, FOSEN, _cell(FOSEN, "C33", "985 000?"), "C33"),
    Case("omtrentlig", "amount-approximate", 1, FOSEN, _cell(FOSEN, "B33", "ca. 500 000"),
         "B33"),
    Case("negativt", "amount-negative", 1, FOSEN, _cell(FOSEN, "B33", -5000), "B33"),
    Case("negativ-tekst", "amount-negative", 1, FOSEN, _cell(FOSEN, "B33", "-5 000"), "B33"),
    Case("ref-feil", "amount-excel-error", 1, FOSEN, _cell(FOSEN, "B33", "#REF!"), "B33"),
    Case("div0-feil", "amount-excel-error", 1, FOSEN, _cell(FOSEN, "C32", "#DIV/0!"), "C32"),
    Case("tekst-belop", "amount-not-number", 1, FOSEN, _cell(FOSEN, "B33", "hundre tusen"),
         "B33"),
    Case("oere", "amount-ore", 1, FOSEN, _cell(FOSEN, "B33", 1234.5), "B33"),
    Case("formel-uten-verdi", "amount-formula-no-value", 0, FOSEN,
         _cell(FOSEN, "B33", "=50000*2", formula=True), "B33"),
    Case("formel-med-verdi", "over-frame", 0, FOSEN,
         _patch_xml(FOSEN, "xl/worksheets/sheet1.xml",
                    _formula_with_value("B33", "50000*4", 200000)), None),
    Case("kr-tekst", "ok", 0, None, _cell(FOSEN, "B33", "kr 100 000")),
    Case("tusenskille-strek", "ok", 0, None, _cell(FOSEN, "B33", "100 000,-")),
    # table shape
    Case("sammenslaatte-celler", "merged-cells", 0, FOSEN, _table(FOSEN, _merged), "A32"),
    Case("tabell-omdopt", "table-missing", 1, FOSEN, _table(FOSEN, _rename_table)),
    Case("tabell-slettet", "table-missing", 1, FOSEN, _table(FOSEN, _delete_table)),
    Case("ekstra-kolonne", "column-extra", 0, FOSEN, _table(FOSEN, _extra_column), "A31"),
    Case("manglende-kolonne", "column-missing", 1, FOSEN, _table(FOSEN, _missing_column),
         "A31"),
    Case("kolonner-byttet", "ok", 0, None, _table(FOSEN, _reorder_columns)),
    Case("tom-rad-i-tabellen", "ok", 0, None, _table(FOSEN, _blank_row)),
    Case("skjult-rad", "hidden-row", 0, FOSEN, _table(FOSEN, _hidden_row), "33:33"),
    # names and identity
    Case("ukjent-nettverk", "unknown-network", 1, FOSEN, _cell(FOSEN, "B4", "Orkdal"), "B4"),
    Case("to-nettverk", "ambiguous-network", 1, FOSEN, _cell(FOSEN, "B4", "Namdal"), "B4"),
    Case("nettverksnavn-mangler", "network-not-named", 1, FOSEN,
         _remove_name(FOSEN, "dekom_nettverk")),
    Case("to-filer-ett-nettverk", "duplicate-submission", 1, "fosen_kopi.xlsx", _two_files),
    Case("annet-aar", "wrong-year", 1, FOSEN, _cell(FOSEN, "B5", 2024), "B5"),  # the year cell
    Case("eldre-malversjon", "template-old", 0, FOSEN, _cell(FOSEN, "E5", 0)),
    Case("vaernes-ascii", "ok", 0, None, _cell(VAERNES, "B4", "Vaernes")),
    Case("vaernes-store-bokstaver", "ok", 0, None, _cell(VAERNES, "B4", "VÆRNES-nettverket")),
    Case("ukjent-uh", "unknown-uh", 0, FOSEN, _cell(FOSEN, "D32", "UiT"), "A32"),
    Case("uh-mangler", "uh-missing", 0, FOSEN, _cell(FOSEN, "D32", None), "A32"),
    Case("koordinering-over-maks", "coordination-over-max", 1, FOSEN,
         _cell(FOSEN, "B10", 150000), "B10"),  # the coordination cell, not the name
    Case("tiltak-uten-navn", "measure-missing-name", 0, FOSEN, _cell(FOSEN, "A32", None),
         "A32"),
    Case("ubrukte-midler", "unspent-money", 0, FOSEN, _cell(FOSEN, "B15", 25000), "B4"),
    # text that looks like a formula (must stay text)
    Case("hyperlink-tiltak", "ok", 0, None,
         _cell(FOSEN, "A32", '=HYPERLINK("http://example.invalid","klikk")')),
    Case("at-sum-tiltak", "ok", 0, None, _cell(FOSEN, "A32", "@SUM(A1:A9)")),
    Case("pluss-cmd-tiltak", "ok", 0, None, _cell(FOSEN, "A32", "+cmd|' /C calc'!A0")),
    Case("minus-tiltak", "ok", 0, None, _cell(FOSEN, "A32", "-1+1")),
    # the allocation workbook itself
    Case("budsjett-spoersmaal", "amount-uncertain", 1, BOOK,
         _book_cell("Oppsett", "C27", "985 000?"), "C27"),
    Case("nettverk-to-ganger", "duplicate-network", 1, BOOK, _book_dup_network, "A16"),
    Case("ukjent-vedtak", "recommendation-unknown-decision", 1, BOOK,
         _book_cell("Innstilling", "B5", "ja"), "B5"),
    Case("negativt-noekkeltall", "key-negative", 1, BOOK, _book_cell("Nettverk", "C5", -3),
         "C5"),
    Case("budsjett-over-tildelt", "budget-over-grant", 1, BOOK,
         _book_cell("Oppsett", "B13", 12_000_000), "B13"),
    # a reader that never guesses (issue 9)
    Case("sum-rad-i-tabellen", "total-row-in-table", 0, FOSEN, _table(FOSEN, _sum_row), "A35"),
    Case("sum-formel-i-tabellen", "total-row-in-table", 0, FOSEN, _table(FOSEN, _sum_formula),
         "B35"),
    Case("linje-under-tabellen", "data-outside-table", 1, FOSEN, _table(FOSEN, _line_below),
         "A57"),
    Case("notat-ved-siden-av", "data-outside-table", 1, FOSEN, _table(FOSEN, _note_beside), "F33"),
    Case("andre-tabell-tabell2", "table-like-measures", 1, FOSEN, _table(FOSEN, _second_table),
         "G60"),
    Case("skjult-ark-med-data", "hidden-sheet", 1, FOSEN, _hidden_sheet, "A1"),
    Case("komma-tusenskille", "amount-comma-thousands", 1, FOSEN, _cell(FOSEN, "B33", "250,000"),
         "B33"),
    Case("komma-million", "amount-comma-thousands", 1, FOSEN, _cell(FOSEN, "C33", "1,000,000"),
         "C33"),
    Case("urimelig-tall", "amount-implausible", 1, FOSEN, _cell(FOSEN, "B33", 1e15), "B33"),
    Case("urimelig-tekst", "amount-implausible", 1, FOSEN,
         _cell(FOSEN, "B33", "1 000 000 000 000"), "B33"),
    Case("koordinering-formel-uten-verdi", "amount-formula-no-value", 0, FOSEN,
         _cell(FOSEN, "B10", "=50000*2", formula=True), "B10"),
    Case("tomt-beslutningsgrunnlag", "decision-base-empty", 1, FOSEN, _table(FOSEN, _emptied),
         "A32"),
    Case("aar-mangler", "year-missing", 1, FOSEN, _cell(FOSEN, "B5", None), "B5"),
    Case("dobbel-linje", "duplicate-line", 1, FOSEN, _table(FOSEN, _copied_line), "A35"),
    Case("usynlige-tegn-i-navn", "ok", 0, None,
         _cell(FOSEN, "B4", "\u00adFosen\u200bnettverket\ufeff")),
    Case("nbsp-i-navn", "ok", 0, None, _cell(FOSEN, "B4", "Fosennettverket\u00a0")),
    Case("tabell-til-arkets-slutt", "ok", 0, None, _table(FOSEN, _to_the_bottom)),
]

# Cases where the allocation workbook given to collect is not usable (exit 2).
BOOK_CASES: list[Case] = [
    Case("mal-som-arbeidsbok", "not-allocation-workbook", 2, "mal.xlsx",
         _copy_book_as("mal.xlsx", FOSEN)),
    Case("arbeidsbok-tom", "file-empty", 2, "tom_bok.xlsx",
         lambda d: (d / "tom_bok.xlsx").write_bytes(b"")),
    Case("arbeidsbok-finnes-ikke", "file-missing", 2, "finnes_ikke.xlsx", lambda d: None),
]


def generate(demo: Path, out: Path) -> list[Path]:
    """Write every case as OUT/<name>/ (a broken copy of the demo folder)."""
    written = []
    for case in CASES + BOOK_CASES:
        target = Path(out) / case.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(demo, target)
        case.build(target)
        written.append(target)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from dekom_xl.app import ops

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "korpus")
    demo = out / "_demo"
    ops.demo(demo, progress=False)
    paths = generate(demo, out)
    print(f"Skrev {len(paths)} tilfeller i {out}")
