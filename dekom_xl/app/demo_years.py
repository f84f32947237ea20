"""The demo's year-after-year part: next year's workbook from the sample year, an ILLUSTRATIVE
second scheme for 2026 (the upper-secondary schools on their own, as the 2026 regulation
does), and the overview of both schemes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation
from dekom_xl.adapters.files import backup_path
from dekom_xl.app.newyear import NewYear, new_year
from dekom_xl.app.overview import overview
from dekom_xl.core.model import POOL_LINE, BudgetLine, YearData
from dekom_xl.core.overview import Source

SECOND_SCHEME = "Videregående (illustrativ)"
VGS = "Nettverket for de videregående skolene"


@dataclass
class DemoYears:
    next_year: NewYear
    second: Path
    overview: Path
    sources: list[Source]


def second_scheme(path: Path) -> Path:
    """An illustrative 2026 workbook of a second scheme: the upper-secondary network alone,
    with its 2025 decision basis and frame (made up for the demo, not real 2026 figures)."""
    from dekom_xl.app.samples import sample_year

    full = sample_year(with_submissions=True)
    vgs = next(n for n in full.networks if n.name == VGS)
    frame = vgs.frame_decided or 0
    setup = replace(full.setup, year=2026, scheme=SECOND_SCHEME, grant=frame + vgs.coordination_max)
    data = YearData(
        setup=setup,
        budget=[BudgetLine("coordination", "Koordinering (illustrativ)", vgs.coordination_max),
                BudgetLine(POOL_LINE, "Ramme til nettverket (illustrativ)", frame)],
        networks=[vgs], universities=list(full.universities),
        recommendations=[r for r in full.recommendations if r.network == VGS],
        submissions=[replace(s, year=2026) for s in full.submissions if s.network == VGS],
        municipalities=[])
    data.setup = replace(setup, base_grant=0)
    build_allocation(data, path)
    backup_path(path).unlink(missing_ok=True)
    return path


def demo_years(out_dir: Path, workbook: Path) -> DemoYears:
    """new-year on the demo workbook, the illustrative second scheme, and the overview."""
    out_dir = Path(out_dir)
    nxt = new_year(workbook, out_dir / "fordeling_2026.xlsx", 2026, force=True)
    second = second_scheme(out_dir / "fordeling_2026_videregaende_illustrativ.xlsx")
    target = out_dir / "oversikt.xlsx"
    sources, _ = overview([workbook, second], target)
    return DemoYears(nxt, second, target, sources)
