"""LibreOffice, headless: recalculate, convert and render workbooks (for tests and docs).

Not used by the product at run time. Each call gets its own throw-away user profile that
tells LibreOffice to recalculate every formula when it loads an .xlsx (files written by
XlsxWriter/openpyxl carry no or stale cached values).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
    out = out_dir / (Path(src).stem + "." + ext)
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out}")
    return out


def recalc(src: Path, out_dir: Path) -> Path:
    """A recalculated .xlsx copy of ``src`` in ``out_dir`` (values cached by LibreOffice)."""
    return convert(src, out_dir, "xlsx:Calc MS Excel 2007 XML")


def error_cells(path: Path) -> list[tuple[str, str, object]]:
    """(sheet, cell, value) for every cell showing an error value after recalculation."""
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith(ERRORS):
                    out.append((ws.title, c.coordinate, c.value))
    return out


def render_png(src: Path, out_dir: Path, *, sheet: str | None = None, dpi: int = 70
               ) -> list[Path]:
    """Render a workbook (or one sheet of it) to PNG pages: LibreOffice → PDF → pdftoppm."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if sheet is not None:
        import openpyxl

        keep_vba = Path(src).suffix.lower() == ".xlsm"
        wb = openpyxl.load_workbook(src, keep_vba=keep_vba)
        for ws in wb.worksheets:
            if ws.title != sheet:
                ws.sheet_state = "hidden"
        wb.active = wb.sheetnames.index(sheet)
        one = out_dir / (Path(src).stem + "_" + sheet + Path(src).suffix)
        wb.save(one)
        src = one
    pdf = convert(src, out_dir, "pdf")
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True,
                   capture_output=True, timeout=120)
    return sorted(out_dir.glob(pdf.stem + "*.png"))
