"""Commands that never destroy, and faults handled like a careful program does (issue 9)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from dekom_xl.adapters.builder import fill_template
from dekom_xl.adapters.files import backups
from dekom_xl.cli import main
from dekom_xl.core.model import CostLine

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "kompetanseloftet_2025"


def _json(capsys) -> dict:
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out  # exactly one JSON object
    return json.loads(out[0])


def _codes(text: str) -> list[str]:
    import re

    return re.findall(r"\[([a-z-]+)\]", text)


# -- new -------------------------------------------------------------------------------------
def test_new_refuses_an_existing_workbook(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    before, had = book.read_bytes(), backups(book)
    assert main(["new", str(book), "--from-csv", str(SAMPLES)]) == 2
    assert _codes(capsys.readouterr().err) == ["file-exists"]
    assert book.read_bytes() == before
    assert backups(book) == had


def test_new_force_backs_the_old_workbook_up_first(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    before, had = book.read_bytes(), backups(book)
    assert main(["new", str(book), "--from-csv", str(SAMPLES), "--force"]) == 0
    assert [p.read_bytes() for p in backups(book) if p not in had] == [before]
    assert book.read_bytes() != before


# -- templates ---------------------------------------------------------------------------------
def test_templates_never_overwrite_a_filled_decision_base(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    out = demo_copy / "ut"
    assert main(["templates", str(book), "--out", str(out)]) == 0
    fosen = out / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    fill_template(fosen, [CostLine("Fosennettverket", "Kurs", 1000, 0)])
    filled = fosen.read_bytes()
    empty = out / "beslutningsgrunnlag_kompetanseloftet_2025_gauldal.xlsx"
    capsys.readouterr()
    assert main(["templates", str(book), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert fosen.read_bytes() == filled
    assert _codes(text) == ["template-has-lines"]
    assert ("beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx er allerede fylt ut "
            "(tiltakslinjer: 1)") in text
    assert str(empty) in text  # an empty one is written again


# -- collect -----------------------------------------------------------------------------------
def test_collect_on_an_empty_folder_is_an_error_and_writes_nothing(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    before, had = book.read_bytes(), backups(book)
    empty = demo_copy / "tom"
    empty.mkdir()
    assert main(["collect", str(book), str(empty), "--json"]) == 1
    out = _json(capsys)
    errors = [(p["code"], p["file"]) for p in out["problems"] if p["severity"] == "feil"]
    assert errors == [("no-decision-bases", str(empty))]
    assert book.read_bytes() == before
    assert backups(book) == had


def test_collect_in_the_wrong_folder_says_nothing_was_taken_and_keeps_the_list_short(
        demo_copy, capsys):
    """The user points collect at a folder full of other things (Downloads, /tmp)."""
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    wrong = demo_copy / "nedlastinger"
    wrong.mkdir()
    for i in range(10):
        (wrong / f"notat{i}.txt").write_text("hei", encoding="utf-8")
    assert main(["collect", str(book), str(wrong)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Ingenting hentet fra {wrong}; {book} er ikke endret."
    shown = [line for line in out if "[file-other]" in line]
    assert [line.split(":")[0] for line in shown] == ["notat0.txt", "notat1.txt", "notat2.txt"]
    assert ("… og 7 andre filer i mappen som ikke er beslutningsgrunnlag, hoppet over "
            "(alle står i --json).") in out
    assert book.read_bytes() == before
    assert main(["collect", str(book), str(wrong), "--json"]) == 1
    skipped = [p for p in _json(capsys)["problems"] if p["code"] == "file-other"]
    assert len(skipped) == 10  # --json keeps every one


def test_a_missing_network_is_named(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    (demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx").unlink()
    assert main(["collect", str(book), str(demo_copy / "maler"), "--json"]) == 0
    missing = [(p["code"], p["network"]) for p in _json(capsys)["problems"]
               if p["code"] == "no-submission"]
    assert missing == [("no-submission", "Fosennettverket")]


def test_a_note_below_innstilling_is_never_overwritten(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Innstilling"]
    t = ws.tables["Innstilling"]
    last = ws.max_row
    for c in range(1, 6):
        ws.cell(last, c).value = None
    t.ref = t.autoFilter.ref = f"A4:E{last - 1}"
    ws.cell(last, 1).value = "Notat: spør fylket"
    wb.save(book)
    assert main(["collect", str(book), str(demo_copy / "maler"), "--json"]) == 0
    found = [(p["code"], p["sheet"], p["cell"]) for p in _json(capsys)["problems"]
             if p["code"] == "rows-not-added"]
    assert found == [("rows-not-added", "Innstilling", f"A{last}")]
    ws = openpyxl.load_workbook(book)["Innstilling"]
    assert ws.cell(last, 1).value == "Notat: spør fylket"
    assert ws.tables["Innstilling"].ref == f"A4:E{last - 1}"


# -- faults ------------------------------------------------------------------------------------
def test_a_read_only_workbook_is_refused(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    os.chmod(book, 0o444)
    try:
        assert main(["collect", str(book), str(demo_copy / "maler"), "--json"]) == 2
        assert [p["code"] for p in _json(capsys)["problems"]] == ["file-read-only"]
        assert book.read_bytes() == before
        assert stat.S_IMODE(book.stat().st_mode) == 0o444
    finally:
        os.chmod(book, 0o644)


@pytest.mark.parametrize("lock, content, who", [
    ("~$fordeling_2025.xlsx", b"\x04Kari" + b" " * 50 + "Kari".encode("utf-16-le"), "Kari"),
    (".~lock.fordeling_2025.xlsx#", b"Ola Nordmann,host,ola,24.11.2026 20:00,file", "Ola Nordmann"),
])
def test_a_workbook_open_elsewhere_is_refused_naming_who(demo_copy, capsys, lock, content, who):
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    (demo_copy / lock).write_bytes(content)
    assert main(["frames", str(book), "--json"]) == 2
    out = _json(capsys)
    assert [p["code"] for p in out["problems"]] == ["file-open-in-excel"]
    assert f"åpen hos {who}" in out["problems"][0]["message"]
    assert book.read_bytes() == before


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600])
def test_permissions_are_kept(demo_copy, mode):
    book = demo_copy / "fordeling_2025.xlsx"
    os.chmod(book, mode)
    assert main(["frames", str(book)]) == 0
    assert stat.S_IMODE(book.stat().st_mode) == mode
    assert stat.S_IMODE(backups(book)[-1].stat().st_mode) == mode


def test_a_full_disk_is_explained_in_bokmal_with_one_json_object(demo_copy, capsys, monkeypatch):
    import errno

    import dekom_xl.adapters.files.save as save

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(demo_copy / "x.tmp"))

    monkeypatch.setattr(save, "_write_atomic", full)
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    assert main(["collect", str(book), str(demo_copy / "maler"), "--json"]) == 2
    out = _json(capsys)
    assert [p["code"] for p in out["problems"]] == ["os-error"]
    assert "disken er full" in out["problems"][0]["message"]
    assert book.read_bytes() == before


def test_every_exit_prints_one_json_object(demo_copy, capsys, monkeypatch):
    with pytest.raises(SystemExit) as stop:  # usage error
        main(["collect", "--json"])
    assert stop.value.code == 2
    assert [p["code"] for p in _json(capsys)["problems"]] == ["bad-arguments"]
    import dekom_xl.app.ops as ops

    monkeypatch.setattr(ops, "check", lambda p: 1 / 0)
    assert main(["check", str(demo_copy / "fordeling_2025.xlsx"), "--json"]) == 3  # a bug
    assert [p["code"] for p in _json(capsys)["problems"]] == ["internal-error"]


def test_a_255_byte_file_name_can_be_collected(demo_copy):
    name = "ø" * 122 + "abcdef" + ".xlsx"  # 244 + 6 + 5 = 255 bytes
    assert len(name.encode()) == 255
    book = demo_copy / name
    shutil.move(demo_copy / "fordeling_2025.xlsx", book)
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    assert len(backups(book)) == 2  # (demo's own backups have another name)
    assert all(len(p.name.encode()) <= 255 for p in backups(book))


CHILD = r"""
import sys, time
import dekom_xl.adapters.files.workbook as W
from dekom_xl.cli import main

real = W.write_package

def slow(source, changes, f):
    real(source, changes, f)
    print("writing", flush=True)
    time.sleep(60)

W.write_package = slow
sys.exit(main(["collect", sys.argv[1], sys.argv[2]]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_save_leaves_the_old_file_no_temp_and_no_traceback(demo_copy, sig):
    book = demo_copy / "fordeling_2025.xlsx"
    before, had = book.read_bytes(), backups(book)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(book), str(demo_copy / "maler")],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "writing"
        time.sleep(0.1)
        child.send_signal(sig)
        _, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 130  # ended like Ctrl-C
    assert "Traceback" not in err and "[interrupted]" in err
    assert book.read_bytes() == before
    assert [p.name for p in demo_copy.iterdir() if p.name.endswith(".tmp")] == []
    assert [p.read_bytes() for p in backups(book) if p not in had] == [before]


@pytest.mark.parametrize("delay", [0.15, 0.3, 0.45, 0.6, 0.9])
def test_ctrl_c_while_starting_prints_no_traceback(demo_copy, delay):
    """Ctrl-C at any moment of start-up (imports included): bokmål, exit 2, workbook intact."""
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "dekom_xl", "collect", str(book),
                              str(demo_copy / "maler"), "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    if "init_import_site" in err:  # the interpreter's own start-up, before any of our code ran
        pytest.skip("interrupted inside Python's site import (before dekom_xl starts)")
    assert "Traceback" not in err
    finished = child.returncode == 0
    if child.returncode == -signal.SIGINT and out == "":  # before Python itself was up
        pass
    elif child.returncode == -signal.SIGINT:  # after the run had finished and printed its
        assert "problems" in json.loads(out)  # whole result (interpreter shutdown)
        finished = True
    elif child.returncode != 0:  # (a fast machine may finish first)
        assert child.returncode in (2, 130) and "[interrupted]" in err
        assert len(out.strip().splitlines()) == 1 and json.loads(out)["problems"][0]["code"] \
            == "interrupted"
    assert book.read_bytes() == before or finished
    openpyxl.load_workbook(book)  # whole either way
    assert [p.name for p in demo_copy.iterdir() if p.name.endswith(".tmp")] == []
