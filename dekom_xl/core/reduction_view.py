"""Reductions for unspent money in the tool sheets: a block at the foot of ``Sammendrag`` and
a paragraph in ``Vedtak`` (pure content, added to what render makes)."""

from __future__ import annotations

from dekom_xl.core.balances import PART_UH
from dekom_xl.core.engine import Outcome
from dekom_xl.core.money import format_kr
from dekom_xl.core.render import FMT_KR, Block, SheetContent


def _bottom(content: SheetContent) -> int:
    return max((b.last_row for b in content.blocks), default=0)


def add_to_summary(content: SheetContent, o: Outcome) -> None:
    if not o.reductions:
        return
    row = _bottom(content) + 3
    head = ["Nettverk", "Del", "Ubrukt (Saldo)", "Innstilt før avkorting", "Avkortet",
            "Tildeling etter avkorting"]
    rows = [[r.network, r.part, r.unspent, r.allocated, r.reduced, r.after] for r in o.reductions]
    fm = {2: FMT_KR, 3: FMT_KR, 4: FMT_KR, 5: FMT_KR}
    content.blocks.append(Block(row - 1, 1, [["Avkorting for ubrukte midler (regelen på "
                                              "Oppsett, tallene på arket Saldo)"]],
                                style="subtitle"))
    content.blocks.append(Block(row, 1, [head] + rows, table="SammendragAvkorting", formats=fm,
                                header=True))
    total = ["Sum", None] + [sum(r[j] for r in rows) for j in range(2, 6)]
    content.blocks.append(Block(row + len(rows) + 1, 1, [total], formats=fm, style="sum"))


def paragraph(o: Outcome) -> str | None:
    """The decision text for the reductions (None when there are none)."""
    if not o.reductions:
        return None
    y = o.data.setup.year
    parts = []
    for r in o.reductions:
        who = f"UH-delen til {r.network}" if r.part == PART_UH else r.network
        parts.append(f"{who} avkortes med kr {format_kr(r.reduced)}, fra kr "
                     f"{format_kr(r.allocated)} til kr {format_kr(r.after)}")
    total = sum(r.reduced for r in o.reductions)
    return (f"På bakgrunn av rapportering på tidligere tildelinger avkortes {y}-midlene opp mot "
            f"gjenstående midler: {'; '.join(parts)}. Til sammen avkortes kr {format_kr(total)}, "
            "som blir stående som udisponerte midler.")


def add_to_decision(content: SheetContent, o: Outcome) -> None:
    text = paragraph(o)
    if text is None:
        return
    content.blocks.append(Block(_bottom(content) + 1, 1, [[text]], style="text"))
