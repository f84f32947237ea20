"""From raw tables to records: every bad cell becomes a located problem."""

import pytest

from dekom_xl.core import load
from dekom_xl.core.tables import RawTable


def measures(rows, *, hidden=(), formulas=None):
    return RawTable("Tiltak", "Behovsmelding",
                    ["Tiltak", "Kostnad nettverk", "Kostnad UH", "UH-institusjon", "Merknad"],
                    rows, first_row=12, first_col=2, file="fosen.xlsx",
                    hidden_rows=set(hidden), formula_cells=formulas or {})


@pytest.mark.parametrize("row, code, cell", [
    (["A", "985 000?", 0, "NTNU", None], "amount-uncertain", "C12"),
    (["A", 0, "ca. 500 000", "NTNU", None], "amount-approximate", "D12"),
    (["A", -5, 0, "NTNU", None], "amount-negative", "C12"),
    (["A", "#REF!", 0, "NTNU", None], "amount-excel-error", "C12"),
    (["A", 0, "#DIV/0!", "NTNU", None], "amount-excel-error", "D12"),
    (["A", "tusen", 0, "NTNU", None], "amount-not-number", "C12"),
    ([None, 1000, 0, "NTNU", None], "measure-missing-name", "B12"),
])
def test_bad_cells_are_located(row, code, cell):
    lines, problems = load.cost_lines_from_table(measures([row]), "Fosennettverket")
    assert [(p.code, p.file, p.sheet, p.cell, p.network) for p in problems] == [
        (code, "fosen.xlsx", "Behovsmelding", cell, "Fosennettverket")]
    assert len(lines) == 1  # the line is kept; the bad amount counts as 0


def test_columns_found_by_header_in_any_order():
    t = RawTable("Tiltak", "S", ["UH-institusjon", "Kostnad UH", "Tiltak", "Kostnad nettverk"],
                 [["NTNU", "kr 1 000", "A", "2 000"]], first_row=5, first_col=1)
    lines, problems = load.cost_lines_from_table(t, "N")
    assert problems == []
    assert (lines[0].measure, lines[0].network_cost, lines[0].uh_cost, lines[0].uh) == (
        "A", 2000, 1000, "NTNU")
    assert lines[0].where.cell == "C5"


def test_missing_column_and_extra_column():
    t = RawTable("Tiltak", "S", ["Tiltak", "Kostnad nettverk", "Farge"], [["A", 1, "rød"]],
                 first_row=5, first_col=1)
    _, problems = load.cost_lines_from_table(t, "N")
    assert {(p.code, p.cell) for p in problems} == {("column-missing", "A4"),
                                                   ("column-extra", "A4")}


def test_blank_rows_skipped_hidden_rows_reported_formulas_without_value_warned():
    t = measures([["A", 1, 0, "NTNU", None], [None, None, None, None, None],
                  ["B", 2, 0, "NTNU", None], ["C", None, 0, "NTNU", None]],
                 hidden=[14], formulas={"C15": "=SUM(X1:X2)"})
    lines, problems = load.cost_lines_from_table(t, "N")
    assert [c.measure for c in lines] == ["A", "B", "C"]
    assert [(p.code, p.cell) for p in problems] == [("hidden-row", "14:14"),
                                                    ("amount-formula-no-value", "C15")]
