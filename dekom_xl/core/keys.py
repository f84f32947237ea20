"""Key figures from municipality figures: the user table ``Kommuner`` maps each municipality
(kommunenummer, kommune) to its network; a per-municipality file's values are summed per
network. Pure: the caller hands over the file's rows and the table; problems are located.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction

from dekom_xl.core.load import _data_rows, _loc, check_columns, text
from dekom_xl.core.model import Location, Network, Problem
from dekom_xl.core.names import NameIndex
from dekom_xl.core.problems import problem
from dekom_xl.core.tables import RawTable

MUNICIPALITIES = "Kommuner"
MUNICIPALITY_COLUMNS = ["Kommunenummer", "Kommune", "Nettverk"]


@dataclass
class KeyFigures:
    """Per network the sum of its municipalities' values; which networks had none."""

    sums: dict[str, Fraction] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class FileRow:
    number: str
    name: str
    raw: str
    line: int  # 1-based line in the file


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the cp1252 Excel writes for «CSV (semikolondelt)»."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # never a crash on a stray byte


def parse_rows(content: str) -> tuple[list[str], list[FileRow]]:
    """Header and rows of a ``;`` or ``,`` separated file (kommunenummer, kommune, value)."""
    first = content.splitlines()[0] if content.strip() else ""
    delim = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(content), delimiter=delim))
    header = [h.strip() for h in rows[0]] if rows else []
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        r = [c.strip() for c in r] + ["", "", ""]
        out.append(FileRow(r[0], r[1], r[2], i))
    return header, out


def number(raw: str) -> Fraction | None:
    """``3904``, ``3 904``, ``12,5``, ``12.5`` → a number; anything else → None."""
    txt = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Fraction(txt)
    except (ValueError, ZeroDivisionError):
        return None
    return value if value >= 0 else None


def knr(value: object) -> str:
    """Kommunenummer as four digits (Excel drops a leading zero: 301 → 0301)."""
    t = text(value)
    return t.zfill(4) if t.isdigit() else t


def key_sums(table: RawTable, file_name: str, rows: list[FileRow], networks: list[Network]
             ) -> KeyFigures:
    """Sum the file's values per network through ``Kommuner``; every problem located."""
    out = KeyFigures()
    out.problems += check_columns(table, MUNICIPALITY_COLUMNS, MUNICIPALITY_COLUMNS)
    if any(p.code == "column-missing" for p in out.problems):
        return out
    index = NameIndex((n.name, n.aliases + ((n.short_name,) if n.short_name else ()))
                      for n in networks)
    mapping: dict[str, tuple[str, Location]] = {}
    for i in _data_rows(table, out.problems):
        kode = knr(table.value(i, "Kommunenummer"))
        kommune = text(table.value(i, "Kommune"))
        where = _loc(table, i, "Kommunenummer")
        if kode in mapping:
            out.problems.append(problem("keys-mapped-twice", where=where, number=kode,
                                        municipality=kommune, first=mapping[kode][1].cell))
            continue
        net_raw = text(table.value(i, "Nettverk"))
        net = index.resolve(net_raw) if net_raw else None
        if net is None:
            out.problems.append(problem("keys-unknown-network", where=_loc(table, i, "Nettverk"),
                                        municipality=kommune, found=net_raw or "tomt"))
            continue
        mapping[kode] = (net, where)
    seen: dict[str, int] = {}
    out.sums = {n.name: Fraction(0) for n in networks}
    out.counts = {n.name: 0 for n in networks}
    for r in rows:
        kode = knr(r.number)
        at = Location(file_name, None, f"A{r.line}")
        if kode in seen:
            out.problems.append(problem("keys-file-twice", where=at, number=kode,
                                        municipality=r.name, first=f"A{seen[kode]}"))
            continue
        seen[kode] = r.line
        value = number(r.raw)
        if value is None:
            out.problems.append(problem("keys-not-number", where=Location(file_name, None,
                                                                           f"C{r.line}"),
                                        municipality=r.name or kode, found=r.raw or "tomt"))
            continue
        if kode not in mapping:
            out.problems.append(problem("keys-not-mapped", where=at, number=kode,
                                        municipality=r.name))
            continue
        net = mapping[kode][0]
        out.sums[net] += value
        out.counts[net] += 1
    for kode, (net, where) in mapping.items():
        if kode not in seen:
            out.problems.append(problem("keys-missing-in-file", network=net, where=where,
                                        number=kode, source=file_name))
    for n in networks:
        if not out.counts[n.name] and not any(p.network == n.name for p in out.problems):
            out.problems.append(problem("keys-network-without-municipalities", network=n.name,
                                        where=n.where))
    return out
