"""Read the import layout (``budget.csv``, ``networks.csv`` …) into domain records.

Used by ``dekom-xl new --from-csv`` and by the sample year. Columns are those of
product.md; each CSV row is located as a cell the way Excel would show the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dekom_xl.core import load
from dekom_xl.core import model as M
from dekom_xl.core.model import Problem, Status, Submission, University, YearData
from dekom_xl.core.problems import problem
from dekom_xl.core.tables import RawTable

GRANT_LINE = "grant"

# CSV column → workbook column
_BUDGET = {"line": "Kode", "label_nb": "Post", "amount": "Beløp", "status": "Status",
           "note": "Merknad", "recipient": "Mottaker"}
_NETWORKS = {"network": "Nettverk", "short_name": "Kortnavn", "key": "Nøkkeltall",
             "coordination": "Koordinering", "frame_decided": "Vedtatt ramme", "aliases": "Alias",
             "org_number": "Organisasjonsnummer"}
_UH = {"uh": "UH-institusjon", "aliases": "Alias", "org_number": "Organisasjonsnummer"}
_RECS = {"network": "Nettverk", "decision": "Vedtak", "amount": "Beløp", "remark": "Merknad",
         "condition": "Vilkår", "own_share": "Til nettverket"}
_MEASURES = {"network": "Nettverk", "measure": "Tiltak", "network_cost": "Kostnad nettverk",
             "uh_cost": "Kostnad UH", "uh_institution": "UH-institusjon"}

DEFAULT_UNIVERSITIES = [
    University("NTNU", ("Matematikksenteret/NTNU", "Matematikksenteret")),
    University("Nord universitet", ("Nord", "Nord U")),
    University("DMMH", ("Dronning Mauds Minne Høgskole",)),
    University("UiS", ("Universitetet i Stavanger",)),
    University("SEPU", ("Høgskolen i Innlandet", "HINN")),
]


class CsvError(Exception):
    """A CSV file that cannot be used at all (missing, unreadable); ``problem`` says why."""

    def __init__(self, prob: Problem):
        super().__init__(prob.message)
        self.problem = prob


def read_csv_table(path: Path, mapping: dict[str, str]) -> RawTable:
    """A CSV file as a :class:`RawTable` with workbook column names (all values text)."""
    from dekom_xl.core.keys import decode

    try:
        # UTF-8, or the cp1252 and «;» of Excel's «CSV (semikolondelt)» on a Norwegian PC
        text = decode(Path(path).read_bytes())
        first = text.split("\n", 1)[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    except FileNotFoundError:
        raise CsvError(problem("file-missing", path=path, file=path.name)) from None
    except csv.Error as err:
        raise CsvError(problem("csv-unreadable", path=path, error=err, file=path.name)) from None
    if not rows:
        raise CsvError(problem("csv-empty", path=path, columns=", ".join(mapping),
                               file=path.name))
    header = [mapping.get(h.strip(), h.strip()) for h in rows[0]]
    data: list[list[object]] = [[v if v != "" else None for v in r] for r in rows[1:]]
    return RawTable(name=path.stem, sheet=path.name, columns=header, rows=data, first_row=2,
                    first_col=1, file=path.name)


def read_year(folder: Path, *, year: int | None = None, scheme: str | None = None,
              base_grant: int | None = None, with_submissions: bool = False) -> YearData:
    """Read the import layout in ``folder`` into :class:`YearData`.

    ``budget.csv`` and ``networks.csv`` are required; ``uh.csv``, ``recommendations.csv``
    and (with ``with_submissions``) ``measures.csv`` are read when present.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    bt = read_csv_table(folder / "budget.csv", _BUDGET)
    lines, found = load.budget_from_table(bt)
    problems += found
    grant_line = next((b for b in lines if b.line_id == GRANT_LINE), None)
    if grant_line is None:
        problems.append(problem("grant-line-missing", line=GRANT_LINE, file="budget.csv"))
    budget = [b for b in lines if b.line_id != GRANT_LINE]
    nt = read_csv_table(folder / "networks.csv", _NETWORKS)
    networks, found = load.networks_from_table(nt)
    problems += found
    universities = list(DEFAULT_UNIVERSITIES)
    if (folder / "uh.csv").exists():
        universities, found = load.universities_from_table(read_csv_table(folder / "uh.csv", _UH))
        problems += found
    recs: list[M.Recommendation] = []
    if (folder / "recommendations.csv").exists():
        recs, found = load.recommendations_from_table(
            read_csv_table(folder / "recommendations.csv", _RECS))
        problems += found
    inferred_year, inferred_scheme = _year_and_scheme(grant_line)
    setup = M.Setup(
        year=year or inferred_year or 0,
        scheme=scheme or inferred_scheme,
        grant=grant_line.amount if grant_line else 0,
        base_grant=base_grant if base_grant is not None else 0,
    )
    data = YearData(setup, budget, networks, universities, recs, [], problems)
    if with_submissions and (folder / "measures.csv").exists():
        data.submissions = submissions_from_measures(folder / "measures.csv", data)
    return data


def _year_and_scheme(grant: M.BudgetLine | None) -> tuple[int | None, str]:
    """``Tildelt beløp Trøndelag (Kompetanseløftet 2025)`` → (2025, ``Kompetanseløftet``)."""
    if grant is None:
        return None, ""
    import re

    m = re.search(r"\(([^()]*?)\s*(\d{4})\)", grant.label)
    if m:
        return int(m.group(2)), m.group(1).strip()
    m = re.search(r"(\d{4})", grant.label)
    return (int(m.group(1)) if m else None), ""


def submissions_from_measures(path: Path, data: YearData) -> list[Submission]:
    """One submission per network from ``measures.csv`` (coordination = the maximum)."""
    t = read_csv_table(path, _MEASURES)
    lines, found = load.cost_lines_from_table(t, None)
    data.problems += [p for p in found if p.code != "column-extra"]
    out = []
    for n in data.networks:
        mine = tuple(c for c in lines if c.network == n.name)
        out.append(Submission(n.name, mine, n.coordination_max, year=data.setup.year,
                              where=M.Location("measures.csv", "measures.csv", None)))
    return out


__all__ = ["read_year", "read_csv_table", "CsvError", "DEFAULT_UNIVERSITIES", "Status"]
