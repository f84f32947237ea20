"""The writer owns only its parts: every other part of the package is kept byte for byte.

The workbook under test is the shipped .xlsm (VBA project, form buttons) dressed with what
users and add-ins put in a workbook: a formula with a cached value on every user sheet, an
external link (and a formula that uses it), a chart and a picture on Oppsett, a comment on
Nettverk, ``xl/webextensions/`` and ``customXml/`` parts.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from dekom_xl.adapters.files.package import _graph, sheets
from dekom_xl.cli import main
from dekom_xl.core import tables as T

ROOT = Path(__file__).resolve().parents[1]
XLSM = ROOT / "xlsx_templates" / "fordeling.xlsm"
REGISTRY = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/styles.xml"}  # changed only to register tool sheets and their styles


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00" * 1
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _donor() -> dict[str, bytes]:
    """A chart, a picture and a comment as Excel stores them (built with XlsxWriter)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Oppsett")
    ws.write_column(0, 0, [1, 2, 3])
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "='Oppsett'!$B$13:$B$14"})
    ws.insert_chart("H2", chart)
    ws.insert_image("H20", "logo.png", {"image_data": io.BytesIO(_png())})
    ws2 = wb.add_worksheet("B")
    ws2.write_comment("H2", "Sjekk nøkkeltallene med fylket")
    wb.close()
    with zipfile.ZipFile(out) as z:
        return {n: z.read(n) for n in z.namelist()}


def _insert_before(xml: str, tags: tuple[str, ...], new: str) -> str:
    for tag in tags:
        at = xml.find(tag)
        if at != -1:
            return xml[:at] + new + xml[at:]
    at = xml.rindex("</worksheet>")
    return xml[:at] + new + xml[at:]


def _add_rel(rels: str, rid: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    rel = (f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/relationships/{kind}" Target="{target}"{mode}/>')
    return rels.replace("</Relationships>", rel + "</Relationships>")


def _ct(parts: dict[str, bytes], name: str, content_type: str) -> None:
    ct = parts["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()


def dress(path: Path) -> None:
    """Add everything listed in the module docstring to the workbook at ``path``."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    where = {s["name"]: s["part"] for s in sheets(parts)}
    donor = _donor()
    ms = "application/vnd.openxmlformats-officedocument"
    # a formula with a cached value on every user sheet; on Oppsett one through the link
    for name in T.USER_SHEETS:
        xml = parts[where[name]].decode()
        extra = '<c r="B300"><f>[1]Kilde!$A$1</f><v>7</v></c>' if name == T.S_SETUP else ""
        row = f'<row r="300"><c r="A300"><f>SUM(2,3)</f><v>5</v></c>{extra}</row>'
        parts[where[name]] = xml.replace("</sheetData>", row + "</sheetData>").encode()
    # the external link
    parts["xl/externalLinks/externalLink1.xml"] = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<externalBook r:id="rId1"><sheetNames><sheetName val="Kilde"/></sheetNames>'
        b'<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>7</v></cell></row>'
        b'</sheetData></sheetDataSet></externalBook></externalLink>')
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = _add_rel(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "</Relationships>", "rId1", "externalLinkPath", "kilde.xlsx", external=True).encode()
    _ct(parts, "xl/externalLinks/externalLink1.xml", f"{ms}.spreadsheetml.externalLink+xml")
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = _add_rel(rels, "rIdX1", "externalLink", "externalLinks/externalLink1.xml")
    rels = _add_rel(rels, "rIdC1", "customXml", "../customXml/item1.xml")
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    book = parts["xl/workbook.xml"].decode()
    book = book.replace("</sheets>", '</sheets><externalReferences><externalReference '
                        'r:id="rIdX1"/></externalReferences>')
    parts["xl/workbook.xml"] = book.encode()
    # a chart and a picture on Oppsett
    parts["xl/drawings/drawing90.xml"] = donor["xl/drawings/drawing1.xml"]
    parts["xl/drawings/_rels/drawing90.xml.rels"] = donor["xl/drawings/_rels/drawing1.xml.rels"] \
        .replace(b"../charts/chart1.xml", b"../charts/chart90.xml") \
        .replace(b"../media/image1.png", b"../media/image90.png")
    parts["xl/charts/chart90.xml"] = donor["xl/charts/chart1.xml"]
    parts["xl/media/image90.png"] = donor["xl/media/image1.png"]
    _ct(parts, "xl/drawings/drawing90.xml", f"{ms}.drawing+xml")
    _ct(parts, "xl/charts/chart90.xml", f"{ms}.drawingml.chart+xml")
    ct = parts["[Content_Types].xml"].decode()
    if 'Extension="png"' not in ct:
        ct = ct.replace("<Override", '<Default Extension="png" ContentType="image/png"/><Override', 1)
    parts["[Content_Types].xml"] = ct.encode()
    setup = where[T.S_SETUP]
    srels = setup.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts[srels] = _add_rel(parts[srels].decode(), "rIdD90", "drawing",
                            "../drawings/drawing90.xml").encode()
    parts[setup] = _insert_before(parts[setup].decode(), ("<legacyDrawing", "<tableParts"),
                                  '<drawing r:id="rIdD90"/>').encode()
    # a comment on Nettverk
    net = where[T.S_NETWORKS]
    nrels = net.replace("worksheets/", "worksheets/_rels/") + ".rels"
    parts["xl/comments90.xml"] = donor["xl/comments1.xml"]
    parts["xl/drawings/vmlDrawing90.vml"] = donor["xl/drawings/vmlDrawing1.vml"]
    _ct(parts, "xl/comments90.xml", f"{ms}.spreadsheetml.comments+xml")
    r = _add_rel(parts[nrels].decode(), "rIdCm", "comments", "../comments90.xml")
    parts[nrels] = _add_rel(r, "rIdV90", "vmlDrawing", "../drawings/vmlDrawing90.vml").encode()
    parts[net] = _insert_before(parts[net].decode(), ("<tableParts",),
                                '<legacyDrawing r:id="rIdV90"/>').encode()
    # an add-in's parts and custom XML
    parts["xl/webextensions/webextension1.xml"] = (
        b'<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/'
        b'webextension/2010/11" id="{1}"><we:reference id="wa200000" version="1.0.0.0" '
        b'store="omex" storeType="OMEX"/><we:properties><we:property name="code" '
        b'value="&quot;print(1)&quot;"/></we:properties></we:webextension>')
    parts["xl/webextensions/taskpanes.xml"] = (
        b'<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/'
        b'taskpanes/2010/11"/>')
    parts["xl/webextensions/_rels/taskpanes.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2011/relationships/'
        b'webextension" Target="webextension1.xml"/></Relationships>')
    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><lite><code>print(1)</code></lite>'
    parts["customXml/itemProps1.xml"] = (
        b'<ds:datastoreItem ds:itemID="{1}" xmlns:ds="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/customXml"/>')
    parts["customXml/_rels/item1.xml.rels"] = _add_rel(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        "</Relationships>", "rId1", "customXmlProps", "itemProps1.xml").encode()
    _ct(parts, "customXml/itemProps1.xml", f"{ms}.customXmlProperties+xml")
    _ct(parts, "xl/webextensions/webextension1.xml", "application/vnd.ms-office.webextension+xml")
    _ct(parts, "xl/webextensions/taskpanes.xml", "application/vnd.ms-office.webextensiontaskpanes+xml")
    root = parts["_rels/.rels"].decode().replace("</Relationships>", (
        '<Relationship Id="rIdW" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'webextensiontaskpanes" Target="xl/webextensions/taskpanes.xml"/></Relationships>'))
    parts["_rels/.rels"] = root.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _owned(parts: dict[str, bytes]) -> set[str]:
    out = set(REGISTRY)
    for s in sheets(parts):
        if s["name"] in (*T.TOOL_SHEETS, "Logg"):
            out |= _graph(parts, s["part"])
    return out


@pytest.fixture
def dressed(demo_copy) -> Path:
    if not XLSM.exists():
        pytest.skip("xlsx_templates/fordeling.xlsm is not built")
    book = demo_copy / "fordeling_2025.xlsm"
    shutil.copy(XLSM, book)
    dress(book)
    return book


def _assert_kept(before: dict[str, bytes], after: dict[str, bytes]) -> None:
    owned = _owned(before) | _owned(after)
    kept = [n for n in before if n not in owned]
    assert {n for n in kept if n not in after} == set()  # nothing dropped
    assert [n for n in kept if after[n] != before[n]] == []  # nothing changed
    for must in ("xl/vbaProject.bin", "xl/externalLinks/externalLink1.xml", "xl/media/image90.png",
                 "xl/charts/chart90.xml", "xl/comments90.xml", "customXml/item1.xml",
                 "xl/webextensions/webextension1.xml"):
        assert must in kept


def test_collect_frames_and_check_keep_every_part_they_do_not_own(dressed, demo_copy):
    before = _parts(dressed)
    assert main(["collect", str(dressed), str(demo_copy / "maler")]) == 0
    after = _parts(dressed)
    _assert_kept(before, after)
    assert "<externalReference " in after["xl/workbook.xml"].decode()
    assert main(["frames", str(dressed)]) == 0
    _assert_kept(after, _parts(dressed))
    whole = dressed.read_bytes()
    assert main(["check", str(dressed)]) == 0
    assert dressed.read_bytes() == whole  # check writes nothing


def test_a_second_run_on_unchanged_input_changes_no_registry_part(dressed, demo_copy):
    assert main(["collect", str(dressed), str(demo_copy / "maler")]) == 0
    first = _parts(dressed)
    assert main(["collect", str(dressed), str(demo_copy / "maler")]) == 0
    second = _parts(dressed)
    for name in REGISTRY:  # styles are found, not appended again; no sheet registered twice
        assert second[name] == first[name], name


def _look(path: Path, sheet: str) -> list[tuple]:
    """Every cell of ``sheet``: value and the look of its format (font, fill, number format)."""
    ws = openpyxl.load_workbook(path)[sheet]
    return [(c.coordinate, c.value, c.font.name, c.font.sz, c.font.b, c.font.i,
             c.font.color.rgb if c.font.color is not None else None,
             c.fill.fgColor.rgb, c.number_format, c.alignment.wrap_text)
            for row in ws.iter_rows() for c in row if c.value is not None or c.has_style]


def _charts(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return sorted(re.sub(rb"<c:axId val=\"\d+\"/>", b"", z.read(n))
                      for n in z.namelist() if n.startswith("xl/charts/"))


def test_tool_sheets_written_by_collect_equal_those_of_new(demo_copy, tmp_path):
    """Same builder: collect's tool sheets equal a fresh `new` of the same year."""
    from dekom_xl.adapters.builder import build_allocation
    from dekom_xl.adapters.files import open_workbook
    from dekom_xl.app.workbook import read_allocation

    book = demo_copy / "fordeling_2025.xlsx"
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    fresh = tmp_path / "ny.xlsx"
    build_allocation(read_allocation(open_workbook(book)), fresh)
    for sheet in T.TOOL_SHEETS:
        assert _look(book, sheet) == _look(fresh, sheet), sheet
    assert _charts(book) == _charts(fresh)  # pie with percentages, bars not reversed wrongly


def test_the_kept_workbook_opens_in_libreoffice_with_the_same_figures(dressed, demo_copy,
                                                                     tmp_path):
    from conftest import soffice_or_skip

    from dekom_xl.tools.lo import error_cells, recalc

    soffice_or_skip()
    assert main(["collect", str(dressed), str(demo_copy / "maler")]) == 0
    out = recalc(dressed, tmp_path)
    assert error_cells(out) == []
    ours = openpyxl.load_workbook(dressed, data_only=True)
    theirs = openpyxl.load_workbook(out, data_only=True)
    assert theirs[T.S_SETUP]["A300"].value == 5 and theirs[T.S_SETUP]["B300"].value == 7
    for sheet in (T.S_FRAMES, T.S_SUMMARY, T.S_LINES):
        mine = [[c.value for c in row] for row in ours[sheet].iter_rows()]
        lo = [[c.value for c in row] for row in theirs[sheet].iter_rows()]
        assert [[v for v in r if isinstance(v, (int, float))] for r in lo] == \
            [[v for v in r if isinstance(v, (int, float))] for r in mine], sheet
