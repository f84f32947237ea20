"""The safety gate: a file is checked before any parser sees it.

Refused, with a located bokmål problem (:class:`FileProblem`): missing, empty, too large (also
when unpacked: zip bombs), not a zip (an .xls, .ods, .csv or other file renamed),
password-protected (an OLE compound file) and unsafe XML (DOCTYPE/entities).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

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


def _refuse(code: str, at: Path, **fields: Any) -> FileProblem:
    return FileProblem(problem(code, file=at.name, **fields))


_KEEP = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
         "xl/sharedStrings.xml")
_KEEP_UNDER = ("xl/worksheets/sheet", "xl/worksheets/_rels/", "xl/tables/", "xl/comments")


def check_file(path: Path) -> dict[str, bytes]:
    """Refuse a file before parsing it; raises :class:`FileProblem` with a bokmål message.

    Returns the parts later needed (workbook, its relationships, worksheets, strings, styles,
    tables, comments), read in this same pass so the file is unpacked once for the checks,
    the formula scan and the fast reader (:mod:`.fastread`).
    """
    path = Path(path)
    if not path.exists():
        raise _refuse("file-missing", path, path=path)
    if path.is_dir():
        raise _refuse("not-a-file", path, path=path)
    size = path.stat().st_size
    if size == 0:
        raise _refuse("file-empty", path)
    if size > MAX_FILE_BYTES:
        raise _refuse("file-too-large", path, size=size // 1_000_000, state="stor",
                      limit=MAX_FILE_BYTES // 1_000_000)
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head == _OLE_MAGIC:
        if suffix in (".xls", ".xlt"):
            raise _refuse("file-old-format", path)
        raise _refuse("file-encrypted", path)
    if head[:4] != _ZIP_MAGIC:
        kind = {".csv": "en CSV-fil", ".ods": "en OpenDocument-fil"}.get(suffix, "en annen type fil")
        raise _refuse("file-not-xlsx", path, kind=kind)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            total = 0
            for info in z.infolist():
                total += info.file_size
                packed = max(info.compress_size, 1)
                if info.file_size > 1_000_000 and info.file_size / packed > MAX_RATIO:
                    raise _refuse("file-unsafe", path, reason="den pakkes ut til mye mer enn den "
                                  "fyller (mulig «zip-bombe»)")
            if total > MAX_UNPACKED_BYTES:
                raise _refuse("file-too-large", path, size=total // 1_000_000, state="utpakket",
                              limit=MAX_UNPACKED_BYTES // 1_000_000)
            if "mimetype" in names and z.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument"):
                raise _refuse("file-not-xlsx", path, kind="en OpenDocument-fil (.ods)")
            if "xl/workbook.xml" not in names:
                raise _refuse("file-not-xlsx", path, kind="en zip-fil")
            kept: dict[str, bytes] = {}
            for name in names:
                if name.endswith(".xml") or name.endswith(".rels"):
                    whole = name in _KEEP or name.startswith(_KEEP_UNDER)
                    with z.open(name) as part:
                        chunk = part.read() if whole else part.read(4096)
                    if whole:
                        kept[name] = chunk
                    head = chunk[:4096]
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _refuse("file-unsafe", path, reason="den inneholder XML med "
                                      "DOCTYPE/ENTITY (mulig angrep)")
    except zipfile.BadZipFile:
        raise _refuse("file-not-xlsx", path, kind="en skadet fil") from None
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
        raise _refuse("file-unreadable", path, error=type(err).__name__) from None


