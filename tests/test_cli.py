"""The command line: output, JSON contract and exit statuses."""

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from dekom_xl.app.samples import sample_folder
from dekom_xl.cli import build_parser, main


def run(capsys, *args):
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_json_on_the_demo_workbook(demo_dir, capsys):
    book = demo_dir / "fordeling_2025.xlsx"
    before = book.read_bytes()
    code, out, _ = run(capsys, "check", str(book), "--json")
    assert code == 0
    data = json.loads(out)  # exactly one JSON object
    s = data["summary"]
    assert s["grant"] == 14_239_000
    assert s["frames_total"] == 10_100_000
    assert (s["allocated"], s["uncertain"], s["unallocated"]) == (12_500_000, 462_500, 1_739_000)
    rec = {r["recipient"]: r for r in s["recipients"]}
    assert rec["NTNU"]["amount"] == 1_720_000
    assert rec["UiS"]["amount"] == 562_100
    assert rec["SEPU"]["amount"] == 127_600
    own = rec["Nettverkene (egen bruk)"]
    assert (own["amount"], own["own_costs"]) == (5_239_745, 3_939_745)
    # Each frame within 1 krone of base + exact share of the rest by key.
    import csv

    keys = {r["network"]: int(r["key"]) for r in csv.DictReader(
        open(sample_folder() / "networks.csv", encoding="utf-8"))}
    rest = 10_100_000 - 11 * 150_000
    for n in s["networks"]:
        exact = 150_000 + Fraction(rest * keys[n["network"]], sum(keys.values()))
        assert abs(n["frame"] - exact) < 1
    over = [p for p in data["problems"] if p["code"] == "over-frame"]
    assert [p["network"] for p in over] == ["Nettverket Indre Namdal"]
    assert "779" in over[0]["message"] and over[0]["severity"] == "advarsel"
    assert set(data["problems"][0]) == {"code", "severity", "message", "network", "file",
                                        "sheet", "cell"}
    assert book.read_bytes() == before  # check writes nothing


def test_check_text_output_is_located(demo_dir, capsys):
    code, out, _ = run(capsys, "check", str(demo_dir / "fordeling_2025.xlsx"))
    assert code == 0
    assert ("beslutningsgrunnlag_kompetanseloftet_2025_indre_namdal.xlsx: 'Behovsmelding'!B4: advarsel "
            "[over-frame]") in out
    assert "udisponert kr 1 739 000" in out


@pytest.mark.parametrize("args, code, text", [
    (["check", "finnes-ikke.xlsx"], 2, "finnes ikke"),
    (["collect", "finnes-ikke.xlsx", "."], 2, "finnes ikke"),
    (["frames", "finnes-ikke.xlsx"], 2, "finnes ikke"),
])
def test_unusable_input_exits_2_with_a_message(tmp_path, capsys, monkeypatch, args, code, text):
    monkeypatch.chdir(tmp_path)
    got, out, err = run(capsys, *args)
    assert got == code
    assert text in err and "Traceback" not in err


def test_not_a_workbook_exits_2(tmp_path, capsys):
    fake = tmp_path / "fordeling.xlsx"
    fake.write_text("dette er ikke en arbeidsbok")
    code, _, err = run(capsys, "check", str(fake))
    assert code == 2 and "file-not-xlsx" in err and "fordeling.xlsx" in err


def test_new_frames_templates(tmp_path, capsys):
    book = tmp_path / "ny.xlsx"
    code, out, _ = run(capsys, "new", str(book), "--from-csv", str(sample_folder()),
                       "--base-grant", "150000")
    assert code == 0 and book.exists() and "11 nettverk" in out
    code, out, _ = run(capsys, "frames", str(book))
    assert code == 0 and "Sum rammer kr 10 100 000 = potten kr 10 100 000" in out
    code, out, _ = run(capsys, "templates", str(book), "--out", str(tmp_path / "maler"))
    assert code == 0 and len(list((tmp_path / "maler").glob("*.xlsx"))) == 11


def test_new_from_a_missing_folder(tmp_path, capsys):
    code, _, err = run(capsys, "new", str(tmp_path / "x.xlsx"), "--from-csv",
                       str(tmp_path / "nei"))
    assert code == 2 and "budget.csv" in err and not (tmp_path / "x.xlsx").exists()


def test_every_command_has_help_text():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {"demo", "new", "frames", "templates", "collect", "check",
                                "excel", "scenarios", "new-year", "keys", "overview"}
    for name, p in sub.choices.items():
        assert p.description, name
        for action in p._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest}"


def test_console_script_runs_demo(tmp_path):
    import os

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-m", "dekom_xl", "demo", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert "Kontroll: 0 feil, 1 advarsel" in out.stdout
    assert Path(tmp_path / "fordeling_2025.xlsx").exists()
    assert len(list((tmp_path / "maler").glob("*.xlsx"))) == 11
    # The year after: new-year, an illustrative second scheme for 2026, and their overview.
    for name in ("fordeling_2026.xlsx", "fordeling_2026_videregaende_illustrativ.xlsx",
                 "oversikt.xlsx"):
        assert (tmp_path / name).exists(), name
    assert "ILLUSTRATIV" in out.stdout and "Oversikt:" in out.stdout


def _break(monkeypatch, exc: BaseException):
    """Make the operation behind ``check`` fail with ``exc`` (a bug, or Ctrl-C)."""
    from dekom_xl.app import ops

    def broken(*_a, **_k):
        raise exc

    monkeypatch.setattr(ops, "check", broken)


@pytest.mark.parametrize("as_json", [False, True])
def test_a_bug_exits_3_with_a_bokmal_message_and_the_traceback_in_a_log(
        demo_dir, capsys, monkeypatch, tmp_path, as_json):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("DEKOM_DEBUG", raising=False)
    _break(monkeypatch, ZeroDivisionError("division by zero"))
    args = ["check", str(demo_dir / "fordeling_2025.xlsx")] + (["--json"] if as_json else [])
    code, out, err = run(capsys, *args)
    assert code == 3
    logs = sorted(tmp_path.glob("dekom-xl-feil-*.log"))
    assert len(logs) == 1
    assert err == ("feil [internal-error]: Intern feil i dekom-xl (ZeroDivisionError). Ingenting "
                   f"er lagret. Detaljene er skrevet til {logs[0]}; send den filen og kommandoen "
                   "du kjørte til utviklerne.\n")
    assert "Traceback" not in err + out
    text = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: division by zero" in text
    assert "kommando: dekom-xl check" in text
    if as_json:
        data = json.loads(out)  # exactly one JSON object
        assert [p["code"] for p in data["problems"]] == ["internal-error"]
        assert str(logs[0]) in data["problems"][0]["message"] and data["summary"] is None
    else:
        assert out == ""


@pytest.mark.parametrize("as_json", [False, True])
def test_ctrl_c_ends_quietly_with_130(demo_dir, capsys, monkeypatch, as_json):
    _break(monkeypatch, KeyboardInterrupt())
    args = ["check", str(demo_dir / "fordeling_2025.xlsx")] + (["--json"] if as_json else [])
    code, out, err = run(capsys, *args)
    assert code == 130
    assert err == ("feil [interrupted]: Avbrutt. Arbeidsboken er uendret (lagring skjer i ett "
                   "steg).\n")
    if as_json:
        data = json.loads(out)  # exactly one JSON object
        assert ([p["code"] for p in data["problems"]], data["summary"]) == (["interrupted"], None)
    else:
        assert out == ""


def test_check_does_not_import_pandas(demo_dir):
    """`dekom-xl check` as a whole process: pandas is not on the command-line path.

    ``-X importtime`` lists every module the process imports, whatever imports it. (numpy may
    appear: openpyxl imports it when it is installed, to recognise numpy numbers.)
    """
    code = "import sys; from dekom_xl.cli import main; sys.exit(main(sys.argv[1:]))"
    run_ = subprocess.run([sys.executable, "-X", "importtime", "-c", code, "check",
                           str(demo_dir / "fordeling_2025.xlsx")],
                          capture_output=True, text=True, timeout=120)
    assert run_.returncode == 0, run_.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run_.stderr.splitlines()
                if line.startswith("import time:")}
    assert "dekom_xl.cli" in imported and "openpyxl" in imported  # the listing is real
    assert [m for m in imported if m.split(".")[0] == "pandas"] == []
