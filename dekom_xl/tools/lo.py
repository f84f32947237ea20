"""LibreOffice, headless: recalculate, convert and render workbooks (for tests and docs).

Not used by the product at run time and not imported by the core. Each call gets its own
throw-away user profile that tells LibreOffice to recalculate every formula when it loads
an .xlsx (files written by XlsxWriter/openpyxl carry no or stale cached values) and to use
Norwegian (bokmål) regional settings, as the secretariat's PCs do.

``python -m dekom_xl.tools.lo [DIR]`` renders the pictures in ``docs/`` (needs ``soffice`` and
``pdftoppm``; install ``fonts-crosextra-carlito`` for Calibri's metrics).
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>nb-NO</value></prop></item>
</oor:items>
"""

ERRORS = ("#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")

# CSV export "as shown" (token 9) of one sheet (token 12, LibreOffice 7.2+), UTF-8 (76).
_CSV_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,{}"


def find_soffice() -> str | None:
    """The LibreOffice binary, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, out_dir: Path, fmt: str, *, timeout: int = 180) -> Path:
    """Convert ``src`` with a fresh profile that recalculates on load; returns the new file."""
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dekom-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--nolockcheck", "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
            check=True, capture_output=True, timeout=timeout)
    ext = fmt.split(":")[0]
    candidates = [out_dir / (Path(src).stem + "." + ext),
                  *sorted(out_dir.glob(Path(src).stem + "-*." + ext))]  # one-sheet CSV export
    for out in candidates:
        if out.exists():
            return out
    raise RuntimeError(f"LibreOffice did not write {candidates[0]}")


def recalc(src: Path, out_dir: Path) -> Path:
    """A recalculated .xlsx copy of ``src`` in ``out_dir`` (values cached by LibreOffice)."""
    return convert(src, out_dir, "xlsx:Calc MS Excel 2007 XML")


def error_cells(path: Path) -> list[tuple[str, str, object]]:
    """(sheet, cell, value) for every cell showing an error value after recalculation."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    out: list[tuple[str, str, object]] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(ERRORS):
                    out.append((ws.title, c.coordinate, c.value))
    return out


def shown_values(src: Path, out_dir: Path, sheet: str) -> list[list[str]]:
    """The cells of ``sheet`` as LibreOffice shows them (number formats applied, recalculated).

    Non-breaking spaces (LibreOffice's Norwegian thousands separator) come back as spaces.
    """
    names = sheet_names(src)
    csv_path = convert(src, out_dir, _CSV_SHOWN.format(names.index(sheet) + 1))
    with open(csv_path, encoding="utf-8", newline="") as f:
        return [[v.replace("\u00a0", " ").replace("\u202f", " ") for v in row]
                for row in csv.reader(f)]


def sheet_names(src: Path) -> list[str]:
    """The sheet names of an .xlsx/.xlsm in workbook order (read from the zip, no library)."""
    with zipfile.ZipFile(src) as z:
        xml = z.read("xl/workbook.xml").decode("utf-8")
    return [_unescape(n) for n in re.findall(r'<sheet\b[^>]*?\bname="([^"]*)"', xml)]


def only_sheet(src: Path, sheet: str, dst: Path) -> Path:
    """A copy of ``src`` where every sheet but ``sheet`` is hidden (byte-level: charts kept)."""
    names = sheet_names(src)
    active = names.index(sheet)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = _hide_others(data.decode("utf-8"), sheet, active).encode("utf-8")
            elif item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'tabSelected="1"', b'tabSelected="0"')
            zout.writestr(item, data)
    return Path(dst)


def _hide_others(xml: str, sheet: str, active: int) -> str:
    def tag(m: re.Match) -> str:
        t = re.sub(r'\s+state="[^"]*"', "", m.group(0))
        name = re.search(r'\bname="([^"]*)"', t)
        if name is None or _unescape(name.group(1)) != sheet:
            t = t.replace("<sheet ", '<sheet state="hidden" ', 1)
        return t

    xml = re.sub(r"<sheet\b[^>]*/>", tag, xml)
    xml = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", xml)
    return xml.replace("<workbookView ", f'<workbookView activeTab="{active}" ', 1)


def _unescape(s: str) -> str:
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def render_png(src: Path, out_dir: Path, *, sheet: str | None = None, dpi: int = 70
               ) -> list[Path]:
    """Render a workbook (or one sheet of it) to PNG pages: LibreOffice → PDF → pdftoppm."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if sheet is not None:
        src = only_sheet(src, sheet, out_dir / (Path(src).stem + "_" + sheet
                                                + Path(src).suffix))
    pdf = convert(src, out_dir, "pdf")
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=120)
    return sorted(out_dir.glob(pdf.stem + "*.png"))


def render_docs(out: Path, *, dpi: int = 90) -> list[Path]:
    """Render ``docs/sammendrag.png``, ``docs/oppsett.png`` and ``docs/beslutningsgrunnlag.png``.

    The allocation workbook is built from the sample year with its decision bases (so the
    summary has numbers); the template is Indre Namdal's, filled as its coordinator would.
    """
    from dekom_xl.adapters.builder import build_allocation, build_template, fill_template
    from dekom_xl.app.samples import sample_year
    from dekom_xl.core.engine import evaluate

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = sample_year(with_submissions=True)
    outcome = evaluate(data)
    network = "Nettverket Indre Namdal"
    sub = next(s for s in data.submissions if s.network == network)
    written = []
    with tempfile.TemporaryDirectory(prefix="dekom-docs-") as tmp_name:
        tmp = Path(tmp_name)
        book = build_allocation(data, tmp / "fordeling_2025.xlsx", outcome=outcome)
        template = build_template(data, network, tmp / "beslutningsgrunnlag_2025.xlsx",
                                  outcome=outcome)
        fill_template(template, list(sub.lines), coordination=sub.coordination,
                      answers=DOC_ANSWERS, unspent=(0, 0))
        jobs = [(book, "Sammendrag", "sammendrag.png"), (book, "Oppsett", "oppsett.png"),
                (template, None, "beslutningsgrunnlag.png")]
        for src, sheet, name in jobs:
            pages = render_png(src, tmp / name, sheet=sheet, dpi=dpi)
            shutil.copy(pages[0], out / name)
            written.append(out / name)
    return written


DOC_ANSWERS = {  # what a coordinator might write (illustration for the rendered template)
    "a": "Lærere og ledere i barnehage og skole i alle kommunene i nettverket.",
    "b": "Kartlegging høsten 2024 i alle kommunene; PPT og skoleeiere har vært med.",
    "e": "Lærende nettverk med utprøving mellom samlingene, ledet sammen med Nord universitet.",
    "g": "Planlagt sammen med Nord universitet på to møter i januar.",
}


def main(argv: list[str] | None = None) -> int:
    """``python -m dekom_xl.tools.lo [DIR]``: render the documentation pictures (default docs/)."""
    if find_soffice() is None or shutil.which("pdftoppm") is None:
        print("LibreOffice (soffice) og pdftoppm trengs: apt-get install "
              "libreoffice-calc-nogui poppler-utils", file=sys.stderr)
        return 2
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "docs"
    for path in render_docs(out):
        print(f"Skrev {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
