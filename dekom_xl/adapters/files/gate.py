"""The safety gate: a file is checked before any parser sees it.

Refused, with a located bokmål problem (:class:`FileProblem`): missing, empty, too large (also
when unpacked: zip bombs), not a zip (an .xls, .ods, .csv or other file renamed),
password-protected (an OLE compound file) and unsafe XML (DOCTYPE/entities).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from dekom_xl.core.model import Refused
from dekom_xl.core.problems import problem

MAX_FILE_BYTES = 20 * 1024 * 1024  # a decision base is ~30 KB; the allocation workbook < 2 MB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts unpacked together
MAX_RATIO = 200  # unpacked/packed per part: beyond this it is a zip bomb, not a workbook
BACKUP_INFIX = ".forrige"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"



class FileProblem(Refused):
    """A file that cannot be used at all. ``problem`` says why, in bokmål, with the file."""


def _refuse(code: str, path: Path, message: str) -> FileProblem:
    return FileProblem(problem(code, message, file=path.name))


_KEEP = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def check_file(path: Path) -> dict[str, bytes]:
    """Refuse a file before parsing it; raises :class:`FileProblem` with a bokmål message.

    Returns the parts later needed (workbook, its relationships, worksheets), read in this
    same pass so the file is unpacked once for the checks and the formula scan.
    """
    path = Path(path)
    if not path.exists():
        raise _refuse("file-unreadable", path, f"Filen {path} finnes ikke. Kontroller navnet "
                      "og mappen.")
    if path.is_dir():
        raise _refuse("file-unreadable", path, f"{path} er en mappe, ikke en fil.")
    size = path.stat().st_size
    if size == 0:
        raise _refuse("file-empty", path, f"Filen {path.name} er tom (0 byte). Be om å få "
                      "filen sendt på nytt.")
    if size > MAX_FILE_BYTES:
        raise _refuse("file-too-large", path, f"Filen {path.name} er {size // 1_000_000} MB, "
                      f"over grensen på {MAX_FILE_BYTES // 1_000_000} MB. Et beslutningsgrunnlag "
                      "skal være lite; be om malen fylt ut på nytt.")
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head == _OLE_MAGIC:
        if suffix in (".xls", ".xlt"):
            raise _refuse("file-old-format", path, f"{path.name} er i det gamle Excel-formatet "
                          "(.xls). Åpne filen i Excel og lagre den som Excel-arbeidsbok (.xlsx).")
        raise _refuse("file-encrypted", path, f"{path.name} er passordbeskyttet (kryptert) "
                      "eller et gammelt .xls-format. Fjern passordet (Fil → Info → Beskytt "
                      "arbeidsbok) og lagre som .xlsx.")
    if head[:4] != _ZIP_MAGIC:
        kind = {".csv": "en CSV-fil", ".ods": "en OpenDocument-fil"}.get(suffix, "ikke en Excel-fil")
        raise _refuse("file-not-xlsx", path, f"{path.name} er {kind}, ikke en Excel-arbeidsbok "
                      "(.xlsx). Åpne den i Excel og lagre som Excel-arbeidsbok (.xlsx).")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            total = 0
            for info in z.infolist():
                total += info.file_size
                packed = max(info.compress_size, 1)
                if info.file_size > 1_000_000 and info.file_size / packed > MAX_RATIO:
                    raise _refuse("file-unsafe", path, f"{path.name} pakkes ut til mye mer enn "
                                  "den fyller (mulig «zip-bombe») og er avvist. Be om en ny fil.")
            if total > MAX_UNPACKED_BYTES:
                raise _refuse("file-too-large", path, f"{path.name} blir {total // 1_000_000} MB "
                              "utpakket, over grensen. Be om en ny fil.")
            if "mimetype" in names and z.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"):
                raise _refuse("file-not-xlsx", path, f"{path.name} er en OpenDocument-fil "
                              "(.ods). Åpne den og lagre som Excel-arbeidsbok (.xlsx).")
            if "xl/workbook.xml" not in names:
                raise _refuse("file-not-xlsx", path, f"{path.name} er en zip-fil, men ikke en "
                              "Excel-arbeidsbok. Send beslutningsgrunnlaget som .xlsx.")
            kept: dict[str, bytes] = {}
            for name in names:
                if name.endswith(".xml") or name.endswith(".rels"):
                    whole = name in _KEEP or name.startswith(("xl/worksheets/sheet",
                                                              "xl/worksheets/_rels/"))
                    with z.open(name) as part:
                        chunk = part.read() if whole else part.read(4096)
                    if whole:
                        kept[name] = chunk
                    head = chunk[:4096]
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _refuse("file-unsafe", path, f"{path.name} inneholder XML med "
                                      "DOCTYPE/ENTITY (mulig angrep) og er avvist. Be om en ny "
                                      "fil lagret fra Excel.")
    except zipfile.BadZipFile:
        raise _refuse("file-not-xlsx", path, f"{path.name} er skadet eller ikke en "
                      "Excel-arbeidsbok. Be om å få filen sendt på nytt.") from None
    return kept


def _load(path: Path, *, data_only: bool):
    """openpyxl's load of a file already checked by :func:`check_file`."""
    keep_vba = path.suffix.lower() == ".xlsm"
    try:
        return openpyxl.load_workbook(path, data_only=data_only, keep_vba=keep_vba,
                                      keep_links=False, rich_text=False)
    except FileProblem:
        raise
    except Exception as err:  # openpyxl raises many kinds for broken files
        raise _refuse("file-unreadable", path, f"{path.name} kan ikke leses som Excel-arbeidsbok "
                      f"({type(err).__name__}). Åpne den i Excel, lagre på nytt som .xlsx og "
                      "prøv igjen.") from None


