"""Few rectangles for many cells: how a live adapter sets formats in few Excel round trips.

:func:`paint` takes what every cell must end up with (``{(row, col): value}``, 1-based) and
returns rectangles ``(row1, col1, row2, col2, value)`` to apply in order (later ones paint
over earlier ones). Cells not in ``targets`` are free: a rectangle may cover them (a number
format on an empty or text cell changes nothing). The result is checked by replaying it; a
plan that would leave any target cell wrong is never returned.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import permutations
from typing import TypeVar

V = TypeVar("V", bound=Hashable)
Rect = tuple[int, int, int, int, V]


def paint(targets: dict[tuple[int, int], V]) -> list[Rect[V]]:
    """Rectangles (applied in order) that leave every target cell with its value."""
    rows = _row_runs(targets)
    down = _merge_down(rows, targets)
    plans = [p for p in (_layered(targets), _merge_across(down, targets), down, rows)
             if p is not None]
    for plan in sorted(plans, key=len):
        if _ok(plan, targets):
            return plan
    raise AssertionError("row runs always paint exactly")  # pragma: no cover


def _row_runs(targets: dict[tuple[int, int], V]) -> list[Rect[V]]:
    """Per row, maximal runs of equal values over adjacent target columns."""
    out: list[Rect[V]] = []
    for (r, c) in sorted(targets):
        v = targets[(r, c)]
        if out and out[-1][0] == r and out[-1][3] == c - 1 and out[-1][4] == v:
            out[-1] = (r, out[-1][1], r, c, v)
        else:
            out.append((r, c, r, c, v))
    return out


def _clean(r1: int, c1: int, r2: int, c2: int, v: V,
           targets: dict[tuple[int, int], V]) -> bool:
    """No target cell inside the rectangle wants another value."""
    return all(targets.get((r, c), v) == v for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))


def _merge_down(rects: list[Rect[V]], targets: dict[tuple[int, int], V]) -> list[Rect[V]]:
    """Join rectangles with the same columns and value when nothing between them objects."""
    out: list[Rect[V]] = []
    for rect in sorted(rects, key=lambda x: (x[1], x[3], str(x[4]), x[0])):
        if out:
            r1, c1, r2, c2, v = out[-1]
            if (c1, c2, v) == (rect[1], rect[3], rect[4]) and \
                    _clean(r1, c1, rect[2], c2, v, targets):
                out[-1] = (r1, c1, rect[2], c2, v)
                continue
        out.append(rect)
    return out


def _merge_across(rects: list[Rect[V]], targets: dict[tuple[int, int], V]) -> list[Rect[V]]:
    """Join same-row, same-value rectangles into one wide one painted first; the rectangles
    in the gaps are painted over it afterwards."""
    groups: dict[tuple[int, int, V], list[Rect[V]]] = {}
    for rect in rects:
        groups.setdefault((rect[0], rect[2], rect[4]), []).append(rect)
    wide: list[Rect[V]] = []
    rest: list[Rect[V]] = []
    for (r1, r2, v), members in groups.items():
        if len(members) == 1:
            rest.extend(members)
            continue
        wide.append((r1, min(m[1] for m in members), r2, max(m[3] for m in members), v))
    return wide + rest


def _ok(plan: list[Rect[V]], targets: dict[tuple[int, int], V]) -> bool:
    got: dict[tuple[int, int], V] = {}
    for r1, c1, r2, c2, v in plan:
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) in targets:
                    got[(r, c)] = v
    return got == targets


def paint_flags(targets: dict[tuple[int, int], bool]) -> list[tuple[int, int, int, int]]:
    """Rectangles to switch on, starting from all off, so exactly the ``True`` cells are on
    (``False`` cells must stay off; cells not in ``targets`` are free)."""
    on = [cell for cell, v in targets.items() if v]
    plan = cover(on, lambda cell: targets.get(cell) is False)
    got = {(r, c) for r1, c1, r2, c2 in plan for r in range(r1, r2 + 1)
           for c in range(c1, c2 + 1) if (r, c) in targets}
    if got != set(on):  # pragma: no cover - cover() never takes a forbidden cell
        plan = [r[:4] for r in _row_runs({cell: True for cell in on})]
    return plan


def _layered(targets: dict[tuple[int, int], V]) -> list[Rect[V]] | None:
    """One layer per value, painted in the order that needs the fewest rectangles: a layer
    may cover free cells and cells of layers painted after it (they paint over it), so the
    first layer is often one bounding box. None when there are too many values to try."""
    values = sorted({v for v in targets.values()}, key=str)
    if not values or len(values) > 5:
        return None
    cells: dict[V, list[tuple[int, int]]] = {v: [] for v in values}
    for cell, v in targets.items():
        cells[v].append(cell)
    best: list[Rect[V]] | None = None
    for order in permutations(values):
        plan: list[Rect[V]] = []
        for i, v in enumerate(order):
            earlier = set(order[:i])
            plan.extend((r1, c1, r2, c2, v) for r1, c1, r2, c2 in
                        cover(cells[v], lambda cell, done=earlier: cell in targets
                              and targets[cell] in done))
            if best is not None and len(plan) >= len(best):
                break
        else:
            best = plan
    return best


def cover(cells: list[tuple[int, int]], forbidden) -> list[tuple[int, int, int, int]]:
    """Few rectangles over ``cells`` that contain no cell for which ``forbidden`` is true:
    per row, runs over the allowed cells between the wanted ones, then each run joined to an
    earlier rectangle when their joint bounding box stays allowed."""
    rows: dict[int, list[int]] = {}
    for r, c in cells:
        rows.setdefault(r, []).append(c)
    runs: list[tuple[int, int, int]] = []
    for r in sorted(rows):
        cols = sorted(rows[r])
        start = prev = cols[0]
        for c in cols[1:]:
            if any(forbidden((r, x)) for x in range(prev + 1, c)):
                runs.append((r, start, prev))
                start = c
            prev = c
        runs.append((r, start, prev))
    rects: list[tuple[int, int, int, int]] = []
    for r, c1, c2 in runs:
        for k, (a1, b1, a2, b2) in enumerate(rects):
            box = (min(a1, r), min(b1, c1), max(a2, r), max(b2, c2))
            if not any(forbidden((x, y)) for x in range(box[0], box[2] + 1)
                       for y in range(box[1], box[3] + 1)):
                rects[k] = box
                break
        else:
            rects.append((r, c1, r, c2))
    return rects
