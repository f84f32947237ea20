"""Saving the allocation workbook from the command line: tool sheets in, nothing else touched.

:func:`write_package` reads the user's file as it is on disk, builds the tool sheets with the
XlsxWriter builder (identical to ``dekom-xl new``), transplants them (:mod:`.package`), adds
rows to user tables by a targeted edit (:mod:`.rows`) and writes the result to an open file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import xlsxwriter

from dekom_xl.adapters.files import rows as row_edit
from dekom_xl.adapters.files.package import Package, relationships, rels_of, resolve, sheets, transplant
from dekom_xl.core.render import SheetContent


@dataclass
class Changes:
    """What a save writes: whole tool sheets, and rows to add to user tables."""

    sheets: dict[str, SheetContent] = field(default_factory=dict)
    appends: list[tuple[str, Sequence[Sequence[object]]]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (table, sheet) not appended
    cells: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # (sheet, {A1: v})

    def __bool__(self) -> bool:
        return bool(self.sheets or self.appends or self.cells)


def build_sheets(contents: list[SheetContent]) -> bytes:
    """The tool sheets as a new workbook, with the same code and formats as ``dekom-xl new``."""
    from dekom_xl.adapters.builder.sheets import _Formats
    from dekom_xl.adapters.builder.sheets import write_content as build_content

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    fm = _Formats(wb)
    for content in contents:
        build_content(wb, fm, content)
    wb.close()
    return out.getvalue()


def _table_part(pkg: Package, table: str) -> tuple[str, str] | None:
    """(sheet part, table part) of the table named ``table`` (case-insensitive)."""
    import re

    for s in sheets(pkg.parts):
        rels = pkg.parts.get(rels_of(s["part"]))
        if rels is None:
            continue
        for r in relationships(rels):
            if not r.get("Type", "").endswith("/table"):
                continue
            part = resolve(s["part"], r["Target"])
            m = re.search(rb'\bdisplayName="([^"]*)"', pkg.parts.get(part, b""))
            if m and m.group(1).decode("utf-8").casefold() == table.casefold():
                return s["part"], part
    return None


def write_package(source: bytes, changes: Changes, f) -> Package:
    """Apply ``changes`` to the package ``source`` and write it to the binary file ``f``."""
    user = Package(source)
    for table, new_rows in changes.appends:
        found = _table_part(user, table)
        edited = None
        if found is not None:
            edited = row_edit.append_rows(user.parts[found[0]].decode("utf-8"),
                                          user.parts[found[1]].decode("utf-8"), new_rows)
        if found is None or edited is None:
            changes.refused.append((table, found[0] if found else ""))
            continue
        user.parts[found[0]] = edited[0].encode("utf-8")
        user.parts[found[1]] = edited[1].encode("utf-8")
    for sheet_name, values in changes.cells:  # targeted cell values (dekom-xl keys)
        from dekom_xl.adapters.files.cells import set_cells

        part = next(s["part"] for s in sheets(user.parts) if s["name"] == sheet_name)
        user.parts[part] = set_cells(user.parts[part].decode("utf-8"), values).encode("utf-8")
    if changes.sheets:
        built = Package(build_sheets(list(changes.sheets.values())))
        transplant(user, built, list(changes.sheets))
    user.write(f)
    return user
