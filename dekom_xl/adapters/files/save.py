"""Atomic saving: write to a temporary file beside the target, fsync, ``os.replace``; the
previous version is kept as a backup."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from dekom_xl.adapters.files.gate import BACKUP_INFIX


def atomic_save(write, target: Path) -> Path:
    """Call ``write(tmp_path)``, then move it over ``target``; keep the old one as backup."""
    target = Path(target)
    if target.exists():  # the backup first: whatever happens next, the last version is kept
        shutil.copy2(target, backup_path(target))
    fd, tmp = tempfile.mkstemp(prefix="." + target.stem + ".", suffix=target.suffix + ".tmp",
                               dir=target.parent)
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)  # atomic: readers see the old file or the new, never half
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def backup_path(target: Path) -> Path:
    """Where the previous version of ``target`` is kept."""
    return target.with_name(target.stem + BACKUP_INFIX + target.suffix)


