"""Payments (.csv/.xlsx) and allocation letters (.docx → PDF via LibreOffice) from the demo."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess

import openpyxl
import pytest

from dekom_xl.adapters.letters import csv_safe
from dekom_xl.cli import main
from dekom_xl.core.load import networks_from_table
from dekom_xl.core.tables import RawTable
from tests.conftest import soffice_or_skip

TOTAL = 11_400_000


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("value,written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+47 123", "'+47 123"),
    ("-779", "'-779"), ("@SUM(A1)", "'@SUM(A1)"), ("Fosen", "Fosen"), (-779, -779),
    ("", ""), (None, None)])
def test_csv_text_never_runs_as_a_formula(value, written):
    assert csv_safe(value) == written


def test_payments_csv_and_xlsx_reconcile(demo_dir, tmp_path, capsys):
    book = demo_dir / "fordeling_2025.xlsx"
    code, out, _ = run(capsys, "payments", book, "--out", tmp_path / "utbetaling.csv")
    assert code == 0 and "Til sammen kr 11 400 000 til 16 mottakere" in out
    with open(tmp_path / "utbetaling.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][:5] == ["Mottaker", "Type", "Organisasjonsnummer", "Beløp", "Status"]
    body = rows[1:-1]
    assert sum(int(r[3]) for r in body) == TOTAL == int(rows[-1][3])
    held = [(r[0], int(r[3])) for r in body if r[4].startswith("holdes tilbake")]
    assert held == [("Værnes-nettverket", 493_881), ("NTNU", 300_000)]
    assert {r[0]: int(r[3]) for r in body if r[1] == "uh" and r[4] == "utbetales"}["UiS"] == 562_100

    code, out, _ = run(capsys, "payments", book, "--out", tmp_path / "utbetaling.xlsx", "--json")
    assert code == 0 and json.loads(out)["settlement_total"] == TOTAL
    ws = openpyxl.load_workbook(tmp_path / "utbetaling.xlsx")["Utbetaling"]
    amounts = [ws.cell(r, 4).value for r in range(5, ws.max_row) if ws.cell(r, 1).value]
    assert sum(amounts) == TOTAL and ws.cell(ws.max_row, 4).value == TOTAL


def test_payments_refuses_other_suffixes(demo_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["payments", str(demo_dir / "fordeling_2025.xlsx"), "--out", str(tmp_path / "x.txt")])
    assert exc.value.code == 2 and "må slutte på .xlsx eller .csv" in capsys.readouterr().err
    assert not (tmp_path / "x.txt").exists()


def test_org_number_is_a_located_error():
    t = RawTable("Nettverk", "Nettverk", ["Nettverk", "Nøkkeltall", "Koordinering",
                                          "Organisasjonsnummer"],
                 [["Fosen", 10, 100_000, "974 760 673"], ["Værnes", 5, 100_000, "974760674"],
                  ["Gauldal", 5, 100_000, None]], first_row=5, first_col=1, file="f.xlsx")
    nets, problems = networks_from_table(t)
    assert [(p.code, p.cell) for p in problems] == [("org-number-invalid", "D6")]
    assert [n.org_number for n in nets] == ["974760673", "974760674", ""]


def test_letters_sum_to_the_settlement(demo_dir, tmp_path, capsys):
    soffice_or_skip()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    code, out, _ = run(capsys, "letters", demo_dir / "fordeling_2025.xlsx", "--out",
                       tmp_path / "brev")
    assert code == 0 and "Skrev 16 tildelingsbrev" in out
    letters = sorted((tmp_path / "brev").glob("*.docx"))
    assert len(letters) == 16
    from dekom_xl.tools.lo import convert

    amounts = {}
    for doc in letters:
        pdf = convert(doc, tmp_path / "pdf", "pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        text = " ".join(text.split())
        m = re.search(r"Tildelt beløp til (.+?): kroner ([\d  ]+)", text)
        assert m, doc.name
        amounts[m.group(1)] = int(re.sub(r"\D", "", m.group(2)))
        assert "forvaltningsloven § 28" in text and "tre uker" in text
        assert "{{" not in text and "{%" not in text
    assert sum(amounts.values()) == TOTAL
    assert (amounts["NTNU"], amounts["UiS"], amounts["SEPU"]) == (1_720_000, 562_100, 127_600)
    assert amounts["Værnes-nettverket"] == 493_881
