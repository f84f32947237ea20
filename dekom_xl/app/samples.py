"""The bundled sample year (2025, Kompetanseløftet) that ``dekom-xl demo`` runs on.

The key figures in ``networks.csv`` are **illustrative**: the source gives none, so pupil
counts were calibrated to reproduce the decided frames with a 150 000 base grant.
"""

from __future__ import annotations

from pathlib import Path

from dekom_xl.app.csvin import read_year
from dekom_xl.core.model import YearData

SAMPLE_NAME = "kompetanseloftet_2025"
SAMPLE_BASE_GRANT = 150_000
SAMPLE_KEY_LABEL = "elevtall (illustrativt)"


def sample_folder() -> Path:
    """The folder with the sample year's CSV files (in a source checkout or an install)."""
    import site
    import sys
    import sysconfig

    here = Path(__file__).resolve().parents[1]  # the dekom_xl package folder
    # pip installs data-files under the scheme's data root: the venv or system prefix, or the
    # user base for ``pip install --user``.
    roots = [sys.prefix, sysconfig.get_path("data"), site.USER_BASE or ""]
    installed = [Path(r) / "share" / "dekom-xl" / "samples" / SAMPLE_NAME for r in roots if r]
    for candidate in (here.parent / "samples" / SAMPLE_NAME, *installed):
        if (candidate / "budget.csv").exists():
            return candidate
    raise FileNotFoundError(
        "Fant ikke eksempelåret (samples/kompetanseloftet_2025). Installer prosjektet fra "
        "en kopi av kildekoden med «pip install -e .».")


def sample_year(*, with_submissions: bool = False) -> YearData:
    """The sample year as records (with its decision bases from measures.csv if asked)."""
    from dataclasses import replace

    data = read_year(sample_folder(), base_grant=SAMPLE_BASE_GRANT,
                     with_submissions=with_submissions)
    data.setup = replace(data.setup, key_label=SAMPLE_KEY_LABEL)
    data.municipalities = sample_municipalities()
    return data


def sample_municipalities() -> list[tuple[str, str, str]]:
    """Trøndelag's municipalities → the 11 networks: an ILLUSTRATIVE mapping (not decided)."""
    import csv

    path = sample_folder() / "kommuner_illustrativ.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["kommunenummer"], r["kommune"], r["nettverk"]) for r in csv.DictReader(f)]
