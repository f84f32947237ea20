"""``dekom-xl overview WORKBOOK… --out FILE``: one overview workbook from several allocation
workbooks (schemes, years). The inputs are only read."""

from __future__ import annotations

from pathlib import Path

from dekom_xl.adapters.files import atomic_save, open_workbook
from dekom_xl.app.workbook import read_allocation
from dekom_xl.core import tables as T
from dekom_xl.core.engine import Outcome, evaluate
from dekom_xl.core.model import Problem, Refused
from dekom_xl.core.overview import Source, overview_sheet
from dekom_xl.core.problems import problem

BASIS = ("innstilt og fordelt per mottaker, med direktetildelinger og etter avkorting for "
         "ubrukte midler (fordelingen bak Vedtak og Utbetaling i hver arbeidsbok)")


def amounts(outcome: Outcome) -> dict[str, int]:
    """What each recipient gets in one workbook: its settlement (core/settlement.py), held
    money included, uncertain budget lines not, reductions for unspent money taken off."""
    return {r.recipient: r.amount for r in outcome.settlement.recipients}


def overview(paths: list[Path], out: Path) -> tuple[list[Source], list[Problem]]:
    """Read every workbook, write the overview to ``out``; problems of the inputs returned."""
    paths = [Path(p) for p in paths]
    out = Path(out)
    if any(out.exists() and p.exists() and out.resolve() == p.resolve() for p in paths):
        raise Refused(problem("overview-out-is-input", file=out.name))
    sources, problems = [], []
    seen: dict[tuple[str, int], str] = {}
    for p in paths:
        wb = open_workbook(p, kind=T.KIND_ALLOCATION)
        outcome = evaluate(read_allocation(wb))
        problems += outcome.problems
        s = outcome.data.setup
        key = (s.scheme.casefold(), s.year)
        if key in seen:  # a copy, or the same file twice: its money would count twice
            raise Refused(problem("overview-same-scheme-year", file=p.name, other=seen[key],
                                  scheme=s.scheme, year=s.year))
        seen[key] = p.name if p.name not in seen.values() else str(p)
        sources.append(Source(s.scheme, s.year, p.name, amounts(outcome)))
    content = overview_sheet(sources, BASIS)

    def write(tmp: str) -> None:
        from dekom_xl.adapters.builder.sheets import _new_workbook, write_content

        wb, fm = _new_workbook(Path(tmp))
        write_content(wb, fm, content)
        wb.close()

    atomic_save(write, out)
    from dekom_xl.adapters.files import backup_path

    backup_path(out).unlink(missing_ok=True)  # a generated report: no backup beside it
    return sources, problems
