"""The overview across workbooks: totals per recipient across schemes and per year, for the
secretariat's own reporting (pure content; ``dekom-xl overview`` writes it)."""

from __future__ import annotations

from dataclasses import dataclass

from dekom_xl.core.render import FMT_KR, Block, SheetContent

SHEET = "Oversikt"


@dataclass(frozen=True)
class Source:
    """One allocation workbook: its scheme, year, file and amount per recipient."""

    scheme: str
    year: int
    file: str
    amounts: dict[str, int]

    @property
    def label(self) -> str:
        return f"{self.scheme} {self.year}".strip()


def totals(sources: list[Source]) -> dict[str, int]:
    """Recipient → total across every workbook."""
    out: dict[str, int] = {}
    for s in sources:
        for who, amount in s.amounts.items():
            out[who] = out.get(who, 0) + amount
    return out


def by_year(sources: list[Source]) -> dict[int, dict[str, int]]:
    """Year → recipient → total across the schemes of that year."""
    out: dict[int, dict[str, int]] = {}
    for s in sources:
        year = out.setdefault(s.year, {})
        for who, amount in s.amounts.items():
            year[who] = year.get(who, 0) + amount
    return out


def overview_sheet(sources: list[Source], basis: str) -> SheetContent:
    """Per recipient: one column per workbook, the total; below, per year."""
    recipients: list[str] = []
    for s in sources:
        recipients += [r for r in s.amounts if r not in recipients]
    all_ = totals(sources)
    years = by_year(sources)
    blocks = [Block(1, 1, [["Oversikt per mottaker – alle ordninger og år"]], style="title"),
              Block(2, 1, [[f"Beløp: {basis}. Laget av «dekom-xl overview» fra "
                            + ", ".join(f"{s.file} ({s.label})" for s in sources) + "."]],
                    style="note")]
    head = ["Mottaker", *(s.label for s in sources), "Sum"]
    rows: list[list] = [[r, *(s.amounts.get(r, 0) for s in sources), all_[r]]
                        for r in recipients]
    fm = {j: FMT_KR for j in range(1, len(head))}
    blocks.append(Block(4, 1, [head] + rows, table="OversiktMottakere", formats=fm, header=True))
    last = 4 + len(rows)
    blocks.append(Block(last + 1, 1, [["Sum"] + [sum(r[j] for r in rows)
                                                 for j in range(1, len(head))]],
                        formats=fm, style="sum"))
    row = last + 4
    ys = sorted(years)
    yhead = ["Mottaker", *(str(y) for y in ys), "Sum"]
    yrows: list[list] = [[r, *(years[y].get(r, 0) for y in ys), all_[r]] for r in recipients]
    yfm = {j: FMT_KR for j in range(1, len(yhead))}
    blocks.append(Block(row - 1, 1, [["Per år (alle ordninger)"]], style="subtitle"))
    blocks.append(Block(row, 1, [yhead] + yrows, table="OversiktAr", formats=yfm, header=True))
    blocks.append(Block(row + len(yrows) + 1, 1, [["Sum"] + [sum(r[j] for r in yrows)
                                                            for j in range(1, len(yhead))]],
                        formats=yfm, style="sum"))
    widths = {1: 40.0} | {j: 20.0 for j in range(2, max(len(head), len(yhead)) + 1)}
    return SheetContent(SHEET, blocks, widths=widths)
