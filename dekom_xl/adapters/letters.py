"""Allocation letters (.docx) from a Word template with docxtpl, and the payment list
(.xlsx or .csv). The content comes from :mod:`dekom_xl.core.letters` and
:mod:`dekom_xl.core.payments`; this module only writes files."""

from __future__ import annotations

import csv
from pathlib import Path

from dekom_xl.core.engine import Outcome
from dekom_xl.core.letters import letter_contexts
from dekom_xl.core.payments import HEADER, payments


class LettersUnavailable(RuntimeError):
    """docxtpl is not installed (it is the optional extra ``dekom-xl[letters]``)."""


DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "tildelingsbrev.docx"


def write_letters(o: Outcome, out_dir: Path, template: Path | None = None) -> list[Path]:
    """One letter per recipient into ``out_dir``; returns the files written."""
    try:
        from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    except ImportError:
        raise LettersUnavailable() from None

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ctx in letter_contexts(o):
        doc = DocxTemplate(str(template or DEFAULT_TEMPLATE))
        doc.render(ctx, autoescape=True)
        target = out_dir / ctx["file"]
        doc.save(str(target))
        written.append(target)
    return written


def csv_safe(value: object) -> object:
    """Text a spreadsheet could run as a formula (= + - @, tab, CR) gets a leading ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_payments(o: Outcome, target: Path) -> Path:
    """The payment list as .csv (UTF-8 with BOM, semicolons) or .xlsx; totals reconcile."""
    target = Path(target)
    rows = [p.row() for p in payments(o)]
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        with open(target, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow(HEADER)
            for r in rows:
                w.writerow([csv_safe(v) for v in r])
            w.writerow(["Sum", "", "", sum(r[3] for r in rows), "", "", "", "", "", ""])
        return target
    from dekom_xl.adapters.builder.sheets import _new_workbook, write_content
    from dekom_xl.adapters.files import atomic_save
    from dekom_xl.core.render import payments_sheet

    def write(tmp: str) -> None:
        wb, fm = _new_workbook(Path(tmp))
        write_content(wb, fm, payments_sheet(o))
        wb.close()

    return atomic_save(write, target)
