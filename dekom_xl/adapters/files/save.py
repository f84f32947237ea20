"""Atomic saving: write to a temporary file beside the target, fsync, ``os.replace``.

Before the target is replaced, its previous version is copied (itself atomically) into the
backup folder ``.dekom-backup`` beside it, with the date and time in the name; the last
:data:`KEEP_BACKUPS` of each workbook are kept. The target's permissions are kept. A target
that is read-only, or open in Excel (its lock file ``~$name`` lies beside it), is refused
before anything is written. Temporary and backup names fit the file system's 255-byte limit.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path

from dekom_xl.adapters.files.gate import FileProblem
from dekom_xl.core.problems import problem

BACKUP_DIR = ".dekom-backup"
KEEP_BACKUPS = 20
NAME_MAX = 255  # bytes, on every common file system
_STAMP = "%Y%m%d-%H%M%S-%f"


def _fit(stem: str, room: int) -> str:
    """``stem`` cut (on a character boundary) to at most ``room`` bytes in UTF-8."""
    data = stem.encode("utf-8")[:max(room, 1)]
    return data.decode("utf-8", "ignore") or "x"


def lock_owner(target: Path) -> str | None:
    """Who has ``target`` open, when a lock file lies beside it; else None.

    Excel's lock file ``~$name`` holds the user name (a length byte, then the name; later
    the name again in UTF-16). LibreOffice's ``.~lock.name#`` starts with the name, then a comma.
    Returns ``"ukjent bruker"`` when the lock file says no name.
    """
    target = Path(target)
    for name in ("~$" + target.name, "~$" + target.name[2:], f".~lock.{target.name}#"):
        lock = target.with_name(name)
        try:
            if not lock.is_file():
                continue
        except OSError:  # a name over the file system's limit cannot exist
            continue
        try:
            data = lock.read_bytes()[:512]
        except OSError:
            return "ukjent bruker"
        if name.startswith(".~lock."):
            who = data.decode("utf-8", "ignore").split(",")[0].strip()
            return who or "ukjent bruker"
        if data and 0 < data[0] < 54:
            short = data[1:1 + data[0]].decode("cp1252", "ignore").strip()
            if short:
                return short
        wide = data[54:].decode("utf-16-le", "ignore").strip("\x00 ").split("\x00")[0].strip()
        return "".join(ch for ch in wide if ch.isprintable()) or "ukjent bruker"
    return None


def check_writable(target: Path) -> None:
    """Refuse (:class:`FileProblem`) a target that is read-only or open in Excel."""
    target = Path(target)
    if not target.exists():
        return
    if not target.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FileProblem(problem("file-read-only", file=target.name))
    owner = lock_owner(target)
    if owner is not None:
        raise FileProblem(problem("file-open-in-excel", file=target.name, user=owner))


def backup_dir(target: Path) -> Path:
    """The folder where previous versions of ``target`` are kept."""
    return Path(target).parent / BACKUP_DIR


def backups(target: Path) -> list[Path]:
    """The backups of ``target``, oldest first."""
    target = Path(target)
    folder = backup_dir(target)
    if not folder.is_dir():
        return []
    stem = _backup_stem(target)
    return sorted(p for p in folder.iterdir()
                  if p.name.startswith(stem + ".") and p.suffix == target.suffix)


def _backup_stem(target: Path) -> str:
    room = NAME_MAX - len(target.suffix.encode()) - len(datetime.now().strftime(_STAMP)) - 2
    return _fit(target.stem, room)


def backup_path(target: Path) -> Path:
    """The name the next backup of ``target`` gets (dated, within the name limit)."""
    target = Path(target)
    return backup_dir(target) / (f"{_backup_stem(target)}.{datetime.now().strftime(_STAMP)}"
                                 f"{target.suffix}")


def _write_atomic(write, target: Path, mode: int | None) -> None:
    prefix = "." + _fit(target.stem, NAME_MAX - 40) + "."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)  # atomic: readers see the old file or the new, never half
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def make_backup(target: Path) -> Path | None:
    """Copy ``target`` into the backup folder (atomically) and keep the last ones."""
    target = Path(target)
    if not target.exists():
        return None
    folder = backup_dir(target)
    folder.mkdir(exist_ok=True)
    dest = backup_path(target)
    data = target.read_bytes()

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)

    _write_atomic(write, dest, stat.S_IMODE(target.stat().st_mode))
    for old in backups(target)[:-KEEP_BACKUPS]:
        with contextlib.suppress(OSError):
            old.unlink()
    return dest


def atomic_save(write, target: Path, *, backup: bool = True) -> Path:
    """Call ``write(tmp_path)``, then move it over ``target``; keep the old one as backup."""
    target = Path(target)
    check_writable(target)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else _default_mode()
    if backup:
        make_backup(target)  # first: whatever happens next, the last version is kept
    _write_atomic(write, target, mode)
    return target
