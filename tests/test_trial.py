"""What a new user does by mistake in the allocation workbook, and what they are told:
each case a located problem (code, cell), nothing silently dropped, nothing counted twice."""

import json
import re
import zipfile
from dataclasses import replace
from fractions import Fraction

import openpyxl
import pytest

from dekom_xl.app.samples import sample_year
from dekom_xl.cli import main
from dekom_xl.core import load, render
from dekom_xl.core import tables as T
from dekom_xl.core.engine import evaluate
from dekom_xl.core.load import Field
from dekom_xl.core.model import Location
from dekom_xl.core.render import tool_sheets
from dekom_xl.core.tables import RawTable

BUDGET_COLS = ["Kode", "Post", "Beløp", "Status", "Merknad", "Mottaker"]
BUDGET = [["partnerships", "Partnerskapene", 10_100_000, "fast", "", None],
          ["meetings", "Møter", 300_000, "fast", "", None]]
REC_COLS = ["Nettverk", "Vedtak", "Beløp", "Merknad", "Vilkår", "Til nettverket"]
RECS = [["Fosen", "innstilles", 643_042, "", "", None],
        ["Gauldal", "innstilles", 861_904, "", "", None]]


def _table(name, sheet, cols, rows, formulas=None):
    return RawTable(name, sheet, cols, rows, first_row=26, first_col=1, file="fordeling.xlsx",
                    formulas=formulas or {})


@pytest.mark.parametrize("extra, formulas, expected, total", [
    ([], {}, [], 10_400_000),
    ([[None, "Sum", 10_400_000, "fast", "", None]], {}, [("total-row-in-table", "B28")],
     10_400_000),
    ([["SUM", "", 10_400_000, "", "", None]], {}, [("total-row-in-table", "A28")], 10_400_000),
    ([[None, "Totalt", None, None, "", None]], {}, [("total-row-in-table", "B28")], 10_400_000),
    ([[None, "", 10_400_000, "fast", "", None]], {"C28": "=SUM(C26:C27)"},
     [("total-row-in-table", "C28")], 10_400_000),
    ([[None, "Summerskole", 50_000, "fast", "", None]], {}, [], 10_450_000),
])
def test_total_row_pasted_into_budget_is_not_a_line(extra, formulas, expected, total):
    lines, problems = load.budget_from_table(
        _table("Budsjett", "Oppsett", BUDGET_COLS, BUDGET + extra, formulas))
    assert [(p.code, p.cell) for p in problems] == expected
    assert sum(b.amount for b in lines) == total
    assert all(p.sheet == "Oppsett" and p.file == "fordeling.xlsx" for p in problems)


@pytest.mark.parametrize("extra, formulas, expected, names", [
    ([], {}, [], ["Fosen", "Gauldal"]),
    ([["Sum", None, 1_504_946, "", "", None]], {}, [("total-row-in-table", "A28")],
     ["Fosen", "Gauldal"]),
    ([["I alt", None, None, "", "", None]], {}, [("total-row-in-table", "A28")],
     ["Fosen", "Gauldal"]),
    ([[None, None, 1_504_946, "", "", None]], {"C28": "=SUBTOTAL(109,C26:C27)"},
     [("total-row-in-table", "C28")], ["Fosen", "Gauldal"]),
])
def test_total_row_pasted_into_recommendations_is_not_a_network(extra, formulas, expected,
                                                                names):
    recs, problems = load.recommendations_from_table(
        _table("Innstilling", "Innstilling", REC_COLS, RECS + extra, formulas))
    assert [(p.code, p.cell) for p in problems] == expected
    assert [r.network for r in recs] == names


GRANT_AT = Location("fordeling.xlsx", "Oppsett", "B13")


@pytest.mark.parametrize("grant, expected", [
    (14_239_000, [("unallocated", "B13")]),
    (None, [("setup-missing", "B13")]),
    ("14,2 mill", [("amount-not-number", "B13")]),
    ("ca. 14 000 000", [("amount-approximate", "B13")]),
    (-14_239_000, [("amount-negative", "B13")]),
    (1_000_000, [("budget-over-grant", "B13")]),
    (12_600_000, [("budget-over-grant-uncertain", "B13"), ("unallocated", "B13")]),
])
def test_an_empty_or_unreadable_grant_is_one_problem_not_two(grant, expected):
    data = sample_year()
    fields = {T.N_YEAR: Field(2025), T.N_BASE: Field(150_000), T.N_GRANT: Field(grant, GRANT_AT)}
    data.setup, data.problems = load.setup_from_fields(fields, "fordeling.xlsx")
    data.grant_where = GRANT_AT
    out = evaluate(data)
    assert [(p.code, p.cell) for p in out.problems if p.sheet == "Oppsett"
            and p.cell == "B13"] == expected


def _typed(path, cells_values):
    wb = openpyxl.load_workbook(path)
    for sheet, cell, value in cells_values:
        wb[sheet][cell] = value
    wb.save(path)


@pytest.mark.parametrize("typed, expected", [
    ([], []),
    ([("Innstilling", "A17", "Fosennettverket"), ("Innstilling", "C17", 5000)],
     [("data-under-table", "Innstilling", "A17"), ("data-under-table", "Innstilling", "C17")]),
    ([("Oppsett", "B35", "Ekstra post"), ("Oppsett", "C35", 50_000)],
     [("data-under-table", "Oppsett", "B35"), ("data-under-table", "Oppsett", "C35")]),
    ([("Nettverk", "A17", "Nytt nettverk"), ("Nettverk", "C17", 1200)],
     [("data-under-table", "Nettverk", "A17"), ("data-under-table", "Nettverk", "C17")]),
    ([("Innstilling", "A16", "Sum"), ("Innstilling", "C16", 11_400_000)], []),  # a total
    ([("Innstilling", "H16", "notat ved siden av")], []),  # beside the table: not read, fine
    ([("Innstilling", "A16", "Notat: spør fylket")], []),  # one text cell: a note
    ([("Oppsett", "C34", 50_000)], [("data-under-table", "Oppsett", "C34")]),  # an amount
    ([("Innstilling", "A18", "Fosen"), ("Innstilling", "C18", 1)], []),  # after 2 empty rows
    ([("Oppsett", "B40", "Notat: sjekk postene")], []),  # far below: a note kept on purpose
    ([("Nettverk", "K10", '=HYPERLINK("http://example.invalid")')], []),  # their formula
])
def test_a_row_typed_under_a_user_table_is_reported_not_dropped(demo_copy, capsys, typed,
                                                                  expected):
    path = demo_copy / "fordeling_2025.xlsx"
    _typed(path, typed)
    code = main(["check", str(path), "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["sheet"], p["cell"]) for p in problems
            if p["code"] == "data-under-table"] == expected
    assert code == (1 if expected else 0)
    kept = openpyxl.load_workbook(path)
    assert [kept[s][c].value for s, c, _ in typed] == [v for _, _, v in typed]


@pytest.mark.parametrize("row, expected", [
    (["Fosen", "innstilles", 643_042, "", "", None], []),
    (["Fosen", None, 643_042, "", "", None], [("recommendation-decision-missing", "B28")]),
    (["Fosen", "", None, "", "", 300_000], [("recommendation-decision-missing", "B28")]),
    (["Fosen", None, None, "venter på svar", "", None], []),  # nothing decided yet: fine
    (["Fosen", "innstilt", 643_042, "", "", None],
     [("recommendation-unknown-decision", "B28")]),  # one problem, not two
])
def test_an_amount_without_a_decision_is_not_silently_no_recommendation(row, expected):
    recs, problems = load.recommendations_from_table(
        _table("Innstilling", "Innstilling", REC_COLS, RECS + [row]))
    assert [(p.code, p.cell) for p in problems] == expected
    assert [r.network for r in recs] == ["Fosen", "Gauldal", "Fosen"]


@pytest.mark.parametrize("argv, code, says", [
    (["collect", "{book}", "{tpl}"], "folder-missing",
     "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx er en fil. Oppgi mappen den ligger i"),
    (["templates", "{book}", "--out", "{book}"], "os-error",
     "det finnes allerede en fil med det navnet (ventet en mappe)"),
    (["payments", "{book}", "--out", "{book}/utbetaling.csv"], "os-error",
     "det finnes allerede en fil med det navnet (ventet en mappe)"),
])
def test_a_file_where_a_folder_is_wanted_is_said_so(demo_copy, capsys, argv, code, says):
    book = demo_copy / "fordeling_2025.xlsx"
    tpl = demo_copy / "maler" / "beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx"
    before = book.read_bytes()
    assert main([a.format(book=book, tpl=tpl) for a in argv]) == 2
    err = capsys.readouterr().err
    assert f"feil [{code}]" in err and says in err and "Traceback" not in err
    assert book.read_bytes() == before


def test_pie_labels_are_the_percentage_only(demo_copy):
    """LibreOffice reads a data-label flag that is left out as on: the pie on Sammendrag then
    printed «NTNU; Beløp; kr 1 720 000; 15%» on every slice, over each other."""
    book = demo_copy / "fordeling_2025.xlsx"
    assert main(["collect", str(book), str(demo_copy / "maler")]) == 0
    with zipfile.ZipFile(book) as z:
        pies = [z.read(n).decode() for n in z.namelist()
                if n.startswith("xl/charts/chart") and "<c:pieChart>" in z.read(n).decode()]
    assert len(pies) == 1
    labels = re.search(r"<c:dLbls>(.*?)</c:dLbls>", pies[0]).group(1)
    assert re.findall(r'<c:(show\w+) val="(\d)"/>', labels) == [
        ("showLegendKey", "0"), ("showVal", "0"), ("showCatName", "0"), ("showSerName", "0"),
        ("showPercent", "1")]  # in the schema's order


def test_every_amount_on_a_tool_sheet_fits_its_column():
    """No «###» when a sheet is opened or printed: the widest amount (as «kr 1 234 567») of
    every amount column fits the column's width (LibreOffice showed ### under «Ramme i
    malen» and «Koordinering i malen» on Beslutningsgrunnlag)."""
    too_narrow = []
    for sheet in tool_sheets(evaluate(sample_year(with_submissions=True))):
        for b in sheet.blocks:
            for j in b.formats:
                amounts = [r[j] for r in b.values[1 if b.header else 0:]
                           if j < len(r) and isinstance(r[j], int)]
                width = sheet.widths.get(b.col + j, 8.43)
                if amounts and max(len(f"kr {a:,}") for a in amounts) > width:
                    too_narrow.append((sheet.name, b.values[0][j] if b.header else b.col + j))
    assert too_narrow == []


@pytest.mark.parametrize("text, width, lines", [
    ("", 10, 1),
    ("kort", 10, 1),
    ("to ord", 10, 1),
    ("dette blir to", 10, 2),
    ("beslutningsgrunnlag_kompetanseloftet_2025_levanger_verdal.xlsx", 24, 3),  # no spaces
    ("beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx", 26, 2),
    ("a beslutningsgrunnlag_kompetanseloftet_2025_fosen.xlsx", 26, 3),
])
def test_a_file_name_wider_than_its_column_gets_the_lines_it_wraps_to(text, width, lines):
    assert render._lines(text, width) == lines


@pytest.mark.parametrize("name, make, kind", [
    ("kommuner.xlsx", lambda p, demo: p.write_bytes((demo / "fordeling_2025.xlsx").read_bytes()),
     "en Excel-arbeidsbok"),
    ("kommuner.xls", lambda p, demo: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
     "en gammel Excel-fil (.xls)"),
    ("kommuner.ods", lambda p, demo: p.write_bytes(b"PK\x03\x04" + bytes(100)),
     "et OpenDocument-regneark (.ods)"),
    ("kommuner.csv", lambda p, demo: p.write_bytes(b"nr;navn;verdi\x00\x00"), "ikke en tekstfil"),
])
def test_keys_from_a_workbook_instead_of_a_csv_is_refused_not_a_crash(demo_copy, capsys, name,
                                                                      make, kind):
    book = demo_copy / "fordeling_2025.xlsx"
    before = book.read_bytes()
    make(demo_copy / name, demo_copy)
    assert main(["keys", str(book), str(demo_copy / name), "--json"]) == 2
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert [(p["code"], p["file"]) for p in problems] == [("keys-file-not-csv", name)]
    assert f"{name} er {kind}, ikke en CSV-fil" in problems[0]["message"]
    assert book.read_bytes() == before


def test_keys_from_a_csv_with_a_byte_cp1252_lacks_is_read_not_a_crash(demo_copy, capsys):
    book = demo_copy / "fordeling_2025.xlsx"
    (demo_copy / "k.csv").write_bytes(b"kommunenummer;kommune;verdi\n5001;Trondheim\x8d;1 234\n")
    assert main(["keys", str(book), str(demo_copy / "k.csv"), "--json"]) == 1  # data errors
    codes = {p["code"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert "internal-error" not in codes and "keys-missing-in-file" in codes


def _undecided(data, names):
    data.recommendations = [replace(r, decision=None, amount=None) if r.network in names
                            else r for r in data.recommendations]
    return data


@pytest.mark.parametrize("undecided, rejected, letters_to_networks", [
    (set(), set(), 11),
    ({"Fosennettverket"}, set(), 10),  # no recommendation yet: no «tildeles kroner 0» letter
    ({"Fosennettverket"}, {"Gauldal-nettverket"}, 10),  # a rejection still gets its letter
    ("all", set(), 0),
])
def test_no_letter_for_a_network_without_a_recommendation(undecided, rejected,
                                                          letters_to_networks):
    from dekom_xl.core.letters import letter_contexts
    from dekom_xl.core.model import Decision

    data = sample_year(with_submissions=True)
    names = {r.network for r in data.recommendations} if undecided == "all" else undecided
    data = _undecided(data, names)
    data.recommendations = [replace(r, decision=Decision.REJECT, amount=None)
                            if r.network in rejected else r for r in data.recommendations]
    contexts = letter_contexts(evaluate(data))
    networks = [c for c in contexts if c["is_network"]]
    assert len(networks) == letters_to_networks
    assert not [c for c in contexts if c["recipient"] in names]
    assert all(c["amount_int"] > 0 or c["rejected"] for c in contexts)


def test_letters_before_any_recommendation_writes_none_and_says_why(demo_copy, capsys):
    book = demo_copy / "fordeling_2026.xlsx"
    assert main(["new-year", str(demo_copy / "fordeling_2025.xlsx"), str(book), "--year",
                 "2026"]) == 0
    capsys.readouterr()
    assert main(["letters", str(book), "--out", str(demo_copy / "brev")]) == 1  # no grant yet
    out = capsys.readouterr().out
    assert "Ingen tildelingsbrev er skrevet: ingen nettverk har innstilling ennå." in out
    assert not list((demo_copy / "brev").glob("*.docx"))


@pytest.mark.parametrize("grant, line", [
    (14_239_000, "Tildelt kr 14 239 000; fordelt (faste poster) kr 12 500 000; usikre kr 462 500; "
                 "udisponert kr 1 739 000."),
    (None, "Tildelt beløp mangler (se feilen over); fordelt (faste poster) kr 12 500 000; "
           "usikre kr 462 500."),
    ("14,2 mill", "Tildelt beløp mangler (se feilen over); fordelt (faste poster) kr 12 500 000; "
                  "usikre kr 462 500."),
])
def test_check_says_the_grant_is_missing_not_kr_0(demo_copy, capsys, grant, line):
    book = demo_copy / "fordeling_2025.xlsx"
    _typed(book, [("Oppsett", "B13", grant)])
    main(["check", str(book)])
    assert line in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("encoding, sep", [
    ("utf-8", ","),
    ("utf-8-sig", ";"),
    ("cp1252", ";"),  # Excel's «CSV (semikolondelt)» on a Norwegian PC
    ("cp1252", ","),
])
def test_new_reads_the_csv_excel_saves(tmp_path, capsys, encoding, sep):
    import csv

    from dekom_xl.app.samples import sample_folder

    folder = tmp_path / "csv"
    folder.mkdir()
    for src in sample_folder().glob("*.csv"):
        rows = list(csv.reader(src.open(encoding="utf-8-sig", newline="")))
        with (folder / src.name).open("w", encoding=encoding, newline="") as f:
            csv.writer(f, delimiter=sep).writerows(rows)
    book = tmp_path / "fordeling_2025.xlsx"
    assert main(["new", str(book), "--from-csv", str(folder), "--base-grant", "150000"]) == 0
    names = [r[0] for r in openpyxl.load_workbook(book)["Nettverk"].iter_rows(
        min_row=5, max_col=1, values_only=True) if r[0]]
    assert len(names) == 11 and "Nettverket Trøndelag sørvest" in names
    assert "Tildelt" in openpyxl.load_workbook(book)["Oppsett"]["A13"].value


@pytest.mark.parametrize("lines", [1, 2, 10])
def test_template_has_lines_reads_right_with_one_line(lines):
    from dekom_xl.core.problems import problem

    p = problem("template-has-lines", network="Fosennettverket", file="fosen.xlsx", lines=lines)
    assert p.message == (f"fosen.xlsx er allerede fylt ut (tiltakslinjer: {lines}) og er ikke "
                         "overskrevet. Flytt filen hvis du vil ha en ny, tom mal for "
                         "Fosennettverket.")


@pytest.mark.parametrize("undecided, rows_for", [
    (set(), {"Fosennettverket", "Gauldal-nettverket"}),
    ({"Fosennettverket"}, {"Gauldal-nettverket"}),
])
def test_no_payment_row_for_a_network_without_a_recommendation(undecided, rows_for):
    from dekom_xl.core.payments import payments

    o = evaluate(_undecided(sample_year(with_submissions=True), undecided))
    pays = payments(o)
    names = {p.recipient for p in pays}
    assert rows_for <= names and not (undecided & names)
    assert sum(p.amount for p in pays) == o.settlement.total


@pytest.mark.parametrize("change, blocked_by", [
    ([], []),
    ([("Nettverk", "C15", "skal oppdateres (2025: 3 042)")], [("key-missing", "C15")]),
    ([("Nettverk", "C15", -5)], [("key-negative", "C15")]),
    ([("Oppsett", "B13", None)], []),  # the grant is not part of the frames
])
def test_templates_are_not_sent_with_wrong_frames(demo_copy, capsys, change, blocked_by):
    book = demo_copy / "fordeling_2025.xlsx"
    _typed(book, change)
    out = demo_copy / "nye_maler"
    status = main(["templates", str(book), "--out", str(out)])
    text = capsys.readouterr().out
    written = sorted(out.glob("*.xlsx")) if out.exists() else []
    found = [(code, cell) for code, cell in re.findall(r"'!(\w+): feil \[([\w-]+)\]", text)]
    assert [(code, cell) for cell, code in found] == blocked_by
    assert (status, len(written)) == ((1, 0) if blocked_by else (0, 11))
    if blocked_by:
        assert "Ingen beslutningsgrunnlag er skrevet" in text


@pytest.mark.parametrize("keys_missing, note", [
    (0, []),
    (2, [[["IKKE RIKTIGE ENNÅ: 2 feil i nøkkeltall, pott eller grunntilskudd – se arket "
           "Kontroll."]]]),
])
def test_rammer_says_when_the_frames_are_not_right_yet(keys_missing, note):
    data = sample_year()
    data.networks = [replace(n, key=Fraction(0)) if i < keys_missing else n
                     for i, n in enumerate(data.networks)]
    data.problems += [load.problem("key-missing", network=n.name, found="skal oppdateres",
                                   file="f.xlsx", sheet="Nettverk", cell=f"C{5 + i}")
                      for i, n in enumerate(data.networks[:keys_missing])]
    sheet = render.frames_sheet(evaluate(data))
    assert [b.values for b in sheet.blocks if b.row == 3] == note
    assert sheet.blocks[1].values[0][0].startswith("Grunntilskudd kr 150 000 per nettverk")


@pytest.mark.parametrize("inputs, refused", [
    (["fordeling_2025.xlsx", "fordeling_2026.xlsx"], False),
    (["fordeling_2025.xlsx", "fordeling_2025.xlsx"], True),  # the same file twice
    (["fordeling_2025.xlsx", "fordeling_2025 - Kopi.xlsx"], True),  # a copy
])
def test_overview_never_counts_a_scheme_and_year_twice(demo_copy, capsys, inputs, refused):
    import shutil

    shutil.copy(demo_copy / "fordeling_2025.xlsx", demo_copy / "fordeling_2025 - Kopi.xlsx")
    assert main(["new-year", str(demo_copy / "fordeling_2025.xlsx"),
                 str(demo_copy / "fordeling_2026.xlsx"), "--year", "2026", "--force"]) == 0
    capsys.readouterr()
    out = demo_copy / "oversikt_ny.xlsx"
    status = main(["overview", *[str(demo_copy / n) for n in inputs], "--out", str(out),
                   "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    if refused:
        assert status == 2 and not out.exists()
        assert [(p["code"], p["file"]) for p in problems] == [
            ("overview-same-scheme-year", inputs[1])]
        assert "Kompetanseløftet 2025" in problems[0]["message"]
    else:
        assert out.exists()


@pytest.mark.parametrize("year, status, code", [
    ("2026", 0, None),
    ("2025", 2, "new-year-not-later"),  # last year's year typed again
    ("2024", 2, "new-year-not-later"),
])
def test_new_year_must_be_a_later_year(demo_copy, capsys, year, status, code):
    new = demo_copy / "ny.xlsx"
    assert main(["new-year", str(demo_copy / "fordeling_2025.xlsx"), str(new), "--year", year,
                 "--json"]) == status
    problems = json.loads(capsys.readouterr().out)["problems"]
    if code:
        assert [p["code"] for p in problems] == [code] and not new.exists()
        assert "--year 2026" in problems[0]["message"]
    else:
        assert new.exists()
