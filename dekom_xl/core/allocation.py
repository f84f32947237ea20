"""Allocation: split whole kroner exactly, by key or equally.

Every split uses the largest-remainder (Hamilton) method: each part gets the floor of
its exact share, and the kroner left over go one each to the parts with the largest
remainders. **Tie-break** (stated, deterministic, independent of row order): larger
remainder first, then larger weight, then the name in folded alphabetical order
(``names.fold``), then the name as written. The parts always sum to the total exactly,
and each part is within one krone of its exact share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dekom_xl.core.money import format_kr as kr
from dekom_xl.core.names import fold
from dekom_xl.core.problems import message

Number = int | float | Decimal | Fraction


class AllocationError(ValueError):
    """The inputs cannot be split (negative total or weights, pool below the base grants).

    ``code`` is a problem code of the catalogue and ``fields`` fill its template;
    ``str(err)`` is the bokmål message.
    """

    def __init__(self, code: str, *, network: str | None = None, **fields: Any):
        super().__init__(message(code, network=network, **fields))
        self.code = code
        self.network = network
        self.fields: dict[str, Any] = fields  # the template's fields, any printable value


def as_fraction(x: Number) -> Fraction:
    """An exact Fraction for a key figure (floats via their shortest repr: 0.1 → 1/10)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(repr(x))
    return Fraction(x)


def largest_remainder(total: int, weights: Mapping[str, Number]) -> dict[str, int]:
    """Split ``total`` kroner among the keys of ``weights`` pro rata, in whole kroner.

    If every weight is zero the total is split equally. The result has the same keys as
    ``weights`` (in the same order) and sums to ``total`` exactly.
    """
    if int(total) != total or total < 0:
        raise AllocationError("allocation-negative", total=total)
    total = int(total)
    fr = {name: as_fraction(w) for name, w in weights.items()}
    negative = [n for n, w in fr.items() if w < 0]
    if negative:
        raise AllocationError("key-negative", network=", ".join(negative),
                              found=", ".join(str(weights[n]) for n in negative))
    if not fr:
        if total:
            raise AllocationError("allocation-empty", total=kr(total))
        return {}
    weight_sum = sum(fr.values())
    if weight_sum == 0:
        fr = {name: Fraction(1) for name in fr}
        weight_sum = Fraction(len(fr))
    exact = {name: total * w / weight_sum for name, w in fr.items()}
    parts = {name: int(share) for name, share in exact.items()}  # floor: shares are >= 0
    left = total - sum(parts.values())
    order = sorted(
        exact,
        key=lambda n: (-(exact[n] - parts[n]), -fr[n], fold(n), n),
    )
    for name in order[:left]:
        parts[name] += 1
    return parts


def equal_split(total: int, names: list[str]) -> dict[str, int]:
    """Split ``total`` equally among ``names`` in whole kroner (e.g. leftover money)."""
    return largest_remainder(total, {n: 1 for n in names})


@dataclass(frozen=True)
class Frame:
    """One network's frame: base grant + pro rata share, and its coordination."""

    network: str
    base: int
    share: int
    coordination: int
    decided: int | None = None

    @property
    def frame(self) -> int:
        """The frame the key gives (base + pro rata)."""
        return self.base + self.share

    @property
    def used(self) -> int:
        """The frame that applies: the decided frame when entered, else the key's."""
        return self.decided if self.decided is not None else self.frame

    @property
    def incl_coordination(self) -> int:
        return self.used + self.coordination

    @property
    def deviation(self) -> int | None:
        """Decided minus key frame (positive: decided above what the key gives)."""
        return None if self.decided is None else self.decided - self.frame


def frames(
    pool: int,
    base_grant: int,
    keys: Mapping[str, Number],
    coordination: Mapping[str, int] | None = None,
    decided: Mapping[str, int | None] | None = None,
) -> dict[str, Frame]:
    """Frames for every network: ``base_grant`` each plus ``pool - n*base`` pro rata by key.

    The frames (``Frame.frame``) sum to ``pool`` exactly.
    """
    n = len(keys)
    rest = pool - n * base_grant
    if base_grant < 0:
        raise AllocationError("base-negative", base=kr(base_grant))
    if rest < 0:
        raise AllocationError("pool-below-base", pool=kr(pool), base=kr(base_grant), count=n,
                              bases=kr(n * base_grant))
    shares = largest_remainder(rest, keys)
    coordination = coordination or {}
    decided = decided or {}
    return {
        name: Frame(name, base_grant, shares[name], int(coordination.get(name, 0) or 0),
                    decided.get(name))
        for name in keys
    }

