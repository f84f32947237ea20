"""Regenerate the committed workbooks in ``xlsx_templates/``: ``python -m dekom_xl.tools.templates``."""

from __future__ import annotations

import sys
from pathlib import Path

from dekom_xl.adapters.builder import build_allocation, build_template
from dekom_xl.core.engine import evaluate


def main(argv: list[str] | None = None) -> int:
    """Regenerate the committed workbooks in ``xlsx_templates/`` from the sample year."""
    from dekom_xl.app.samples import sample_folder, sample_year

    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "xlsx_templates"
    out.mkdir(parents=True, exist_ok=True)
    data = sample_year(with_submissions=False)
    outcome = evaluate(data)
    build_allocation(data, out / "fordeling.xlsx", outcome=outcome)
    build_template(data, "Fosennettverket", out / "beslutningsgrunnlag.xlsx", outcome=outcome)
    from dekom_xl.adapters.files import backups

    for name in ("fordeling.xlsx", "beslutningsgrunnlag.xlsx"):  # generated: no backups
        for old in backups(out / name):
            old.unlink()
    print(f"Skrev {out / 'fordeling.xlsx'} og {out / 'beslutningsgrunnlag.xlsx'} "
          f"(fra {sample_folder()}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
