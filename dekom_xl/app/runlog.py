"""The run log: a tool sheet ``Logg`` with one row per command that changed the workbook.

Each row holds the time, the command, every file read with its SHA-256, the totals, the
problem counts and what changed since the previous row (networks whose requested or
recommended amount moved, and by how much). The sheet is rewritten whole like every tool
sheet, so the rows already there are read first and carried forward.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from dekom_xl.app.ports import WorkbookIO
from dekom_xl.core.engine import Outcome
from dekom_xl.core.load import text
from dekom_xl.core.money import format_kr
from dekom_xl.core.render import FMT_KR, Block, SheetContent

SHEET = "Logg"
TABLE = "Logg"
COLUMNS = ["Tid", "Kommando", "Filer lest (SHA-256)", "Tildelt", "Rammer", "Meldt behov",
           "Innstilt", "Feil", "Advarsler", "Endret siden forrige kjøring", "Tall per nettverk"]


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _figures(outcome: Outcome) -> dict[str, tuple[int | None, int | None]]:
    """Per network: requested, and recommended as settled (a held network counts with the
    amount it is held at; a network with no decision yet has none)."""
    settled = {n.network: n.recommended for n in outcome.settlement.networks
               if n.decision is not None}
    return {n.network: (n.requested, settled.get(n.network, n.recommended))
            for n in outcome.summary.networks}


def _encode(figures: dict[str, tuple[int | None, int | None]]) -> str:
    def num(v: int | None) -> str:
        return "" if v is None else str(v)

    return "; ".join(f"{name}={num(r)}/{num(s)}" for name, (r, s) in figures.items())


def _decode(cell: str) -> dict[str, tuple[int | None, int | None]]:
    out: dict[str, tuple[int | None, int | None]] = {}
    for part in cell.split("; "):
        name, _, pair = part.rpartition("=")
        if not name:
            continue
        r, _, s = pair.partition("/")
        out[name] = (int(r) if r.isdigit() else None, int(s) if s.isdigit() else None)
    return out


def _changes(before: dict, after: dict) -> str:
    """``Fosennettverket: meldt +50 000, innstilt −10 000`` for every network that moved."""
    if not before:
        return "første kjøring med logg"
    out = []
    for name in sorted(set(before) | set(after)):
        (r0, s0), (r1, s1) = before.get(name, (None, None)), after.get(name, (None, None))
        moved = []
        for label, a, b in (("meldt", r0, r1), ("innstilt", s0, s1)):
            if a != b:
                if a is None or b is None:
                    moved.append(f"{label} {'—' if a is None else format_kr(a)} → "
                                 f"{'—' if b is None else format_kr(b)}")
                else:
                    moved.append(f"{label} {'+' if b > a else '−'}{format_kr(abs(b - a))}")
        if moved:
            out.append(f"{name}: {', '.join(moved)}")
    return "; ".join(out) or "ingen endring i tallene"


def previous_rows(wb: WorkbookIO) -> list[list[object]]:
    """The log's rows as they stand (read before the sheet is rewritten)."""
    t = wb.read_table(TABLE)
    if t is None:
        return []
    rows = []
    for i in range(len(t.rows)):
        if t.is_blank(i):
            continue
        rows.append([t.value(i, c) for c in COLUMNS])
    return rows


def log_run(wb: WorkbookIO, command: str, outcome: Outcome, files: list[Path], *,
            now: datetime | None = None) -> SheetContent:
    """Add this run's row to ``Logg`` (carrying every earlier row forward); returns the sheet."""
    rows = previous_rows(wb)
    before = _decode(text(rows[-1][-1])) if rows else {}
    figures = _figures(outcome)
    s = outcome.summary
    requested = sum(n.requested or 0 for n in s.networks)
    recommended = outcome.settlement.recommended_total  # as Sammendrag and Vedtak say
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    read = "\n".join(f"{p.name}: {sha256(p)}" for p in files)
    rows.append([stamp, command, read, s.budget.grant, s.frames_total, requested, recommended,
                 outcome.errors, outcome.warnings, _changes(before, figures), _encode(figures)])
    content = SheetContent(
        SHEET,
        blocks=[Block(1, 1, [["Logg over kjøringer"]], style="title"),
                Block(2, 1, [["Én rad per kjøring som endret arbeidsboken. Filene er merket med "
                              "SHA-256, så du kan se om en fil er byttet ut."]], style="note"),
                Block(4, 1, [COLUMNS, *rows], table=TABLE, header=True,
                      formats={3: FMT_KR, 4: FMT_KR, 5: FMT_KR, 6: FMT_KR}, wrap=(2, 9))],
        widths={1: 19.0, 2: 11.0, 3: 60.0, 4: 13.0, 5: 13.0, 6: 13.0, 7: 13.0, 8: 6.0, 9: 9.0,
                10: 50.0, 11: 30.0},
        freeze=(5, 1))
    wb.write_sheet(content)
    return content
