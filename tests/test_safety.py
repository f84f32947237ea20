"""Nothing lost: a save killed mid-write leaves the previous workbook and its backup."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from dekom_xl.adapters.files import backups

ROOT = Path(__file__).resolve().parents[1]

# A child process that saves the workbook the real way, but hangs half-way through writing.
CHILD = r"""
import sys, time
from pathlib import Path
from dekom_xl.adapters.files import FileWorkbook

book = Path(sys.argv[1])
import dekom_xl.adapters.files.workbook as W
wb = FileWorkbook(book, for_update=True)
real = W.write_package

def slow(source, changes, f):
    f.write(b"PK\x03\x04 half a workbook")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
    real(source, changes, f)

W.write_package = slow
wb.save_to(book)  # written even without changes
"""


def test_killed_save_leaves_the_previous_workbook_and_a_backup(demo_copy):
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(book)], stdout=subprocess.PIPE,
                             text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "writing"
        time.sleep(0.2)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert book.read_bytes() == before  # the workbook is untouched
    openpyxl.load_workbook(book)  # and opens
    assert backups(book)[-1].read_bytes() == before  # the backup is whole


def test_a_failed_write_removes_its_temporary_file(demo_copy):
    from dekom_xl.adapters.files import atomic_save

    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()

    def broken(tmp):
        Path(tmp).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left on device"):
        atomic_save(broken, book)
    assert book.read_bytes() == before
    assert not [p for p in demo_copy.iterdir() if p.name.endswith(".tmp")]
