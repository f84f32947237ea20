"""The distribution model side by side: frames under each model of the user table ``Modeller``.

A model is a base grant per network, a key (one key column of ``Nettverk``, or a weighted mix of
two) and an optional floor (the least frame any network gets). Every model's frames sum to the
pool exactly (largest remainder). Pure: standard library only, integer kroner.

A mix of two keys weighs each network's *share* of each key, so keys on different scales
(pupils, teacher FTEs) mix fairly: weight = (1 − a)·k1/Σk1 + a·k2/Σk2.

A floor lifts the networks whose frame would fall below it to exactly the floor and shares the
rest of the pool among the others by the key, repeated until no frame is below the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from dekom_xl.core import tables as T
from dekom_xl.core.allocation import as_fraction, largest_remainder
from dekom_xl.core.load import _data_rows, _loc, amount_at, check_columns, text
from dekom_xl.core.model import NOWHERE, Location, Network, Problem
from dekom_xl.core.money import format_kr
from dekom_xl.core.names import fold
from dekom_xl.core.problems import problem
from dekom_xl.core.tables import RawTable

MAIN_KEY = "Nøkkeltall"


@dataclass(frozen=True)
class ScenarioModel:
    """One row of ``Modeller``: ``share2`` is the weight of ``key2`` (0 to 1)."""

    name: str
    base_grant: int
    key: str = MAIN_KEY
    key2: str = ""
    share2: Fraction = Fraction(0)
    floor: int | None = None
    note: str = ""
    where: Location = NOWHERE
    key_where: Location = NOWHERE
    base_where: Location = NOWHERE
    floor_where: Location = NOWHERE

    def describe(self) -> str:
        """``Nøkkeltall`` or ``70 % Nøkkeltall + 30 % Nøkkeltall lærerårsverk``."""
        if not self.key2 or not self.share2:
            return self.key
        a = self.share2 * 100
        pct = lambda f: f"{float(f):g}".replace(".", ",")  # noqa: E731
        return f"{pct(100 - a)} % {self.key} + {pct(a)} % {self.key2}"


@dataclass
class Scenarios:
    """Frames per model: ``frames[model][network]``; ``current[network]`` the frame in use."""

    models: list[ScenarioModel]
    networks: list[str]
    current: dict[str, int]
    frames: dict[str, dict[str, int]] = field(default_factory=dict)
    pool: int = 0


def is_key_column(header: object) -> bool:
    """``Nøkkeltall``, ``Nøkkeltall lærerårsverk``, ``nøkkeltall elevtall``…"""
    return fold(str(header or "")).strip().startswith("nokkeltall")


def key_columns(t: RawTable) -> tuple[dict[str, dict[str, Fraction]], list[Problem]]:
    """The extra key columns of ``Nettverk`` (beyond ``Nøkkeltall``): header → network → value.

    A blank or non-number value is a warning and counts as 0 in the models that use it.
    """
    out: dict[str, dict[str, Fraction]] = {}
    problems: list[Problem] = []
    extra = [c for c in t.columns if is_key_column(c) and T._norm(c) != T._norm(MAIN_KEY)]
    for col in extra:
        values: dict[str, Fraction] = {}
        for i in range(len(t.rows)):
            name = text(t.value(i, "Nettverk"))
            if not name or t.is_blank(i):
                continue
            raw = t.value(i, col)
            value = _number(raw)
            if value is None or value < 0:
                problems.append(problem("scenario-key-value", network=name,
                                        where=_loc(t, i, col), column=col, found=text(raw)))
                value = Fraction(0)
            values[name] = value
        out[str(col)] = values
    return out, problems


def _number(raw: object) -> Fraction | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return as_fraction(raw)
    txt = text(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Fraction(txt) if txt else None
    except ValueError:
        return None


MODEL_COLUMNS = ["Modell", "Grunntilskudd", "Nøkkel", "Nøkkel 2", "Andel nøkkel 2", "Gulv",
                 "Merknad"]


def models_from_table(t: RawTable) -> tuple[list[ScenarioModel], list[Problem]]:
    """The rows of ``Modeller``; a bad value is a located problem and the row is skipped."""
    problems = check_columns(t, MODEL_COLUMNS, ["Modell", "Grunntilskudd", "Nøkkel"])
    if any(p.code == "column-missing" for p in problems):
        return [], problems
    out = []
    for i in _data_rows(t, problems):
        name = text(t.value(i, "Modell")) or f"Modell {i + 1}"
        before = len(problems)
        base = amount_at(t, i, "Grunntilskudd", problems, what=f"Grunntilskuddet i «{name}»")
        floor = amount_at(t, i, "Gulv", problems, what=f"Gulvet i «{name}»")
        key = text(t.value(i, "Nøkkel")) or MAIN_KEY
        key2 = text(t.value(i, "Nøkkel 2"))
        raw_share = t.value(i, "Andel nøkkel 2")
        share = _share(raw_share)
        share_where = _loc(t, i, "Andel nøkkel 2")
        if (key2 and share is None) or (share is not None and not (0 <= share <= 1)) or \
                (share and not key2):
            problems.append(problem("scenario-share", where=share_where, model=name,
                                    found=text(raw_share) or "tomt"))
        if len(problems) > before:
            continue
        out.append(ScenarioModel(name, base or 0, key, key2, share or Fraction(0), floor,
                                 text(t.value(i, "Merknad")), _loc(t, i, "Modell"),
                                 _loc(t, i, "Nøkkel"), _loc(t, i, "Grunntilskudd"),
                                 _loc(t, i, "Gulv")))
    return out, problems


def _share(raw: object) -> Fraction | None:
    """``30 %``, ``30``, ``0,3`` or a percent cell (0.3) → 3/10; blank → None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    pct = isinstance(raw, str) and "%" in raw
    value = _number(raw.replace("%", "") if isinstance(raw, str) else raw)
    if value is None:
        return Fraction(-1)  # reported as out of range
    return value / 100 if pct or value > 1 else value


def model_weights(model: ScenarioModel, networks: list[Network],
                  columns: dict[str, dict[str, Fraction]]) -> dict[str, Fraction] | None:
    """Each network's weight under ``model`` (None when a key column is unknown)."""
    def column(header: str) -> dict[str, Fraction] | None:
        if T._norm(header) == T._norm(MAIN_KEY):
            return {n.name: n.key for n in networks}
        found = next((v for h, v in columns.items() if T._norm(h) == T._norm(header)), None)
        return None if found is None else {n.name: found.get(n.name, Fraction(0))
                                           for n in networks}

    first = column(model.key)
    if first is None:
        return None
    if not model.key2 or not model.share2:
        return first
    second = column(model.key2)
    if second is None:
        return None
    a = model.share2
    return {n: (1 - a) * _share_of(first, n) + a * _share_of(second, n) for n in first}


def _share_of(values: dict[str, Fraction], name: str) -> Fraction:
    total = sum(values.values())
    return values[name] / total if total else Fraction(1, len(values))


def floored_frames(pool: int, base: int, weights: dict[str, Fraction],
                   floor: int | None = None) -> dict[str, int]:
    """``base`` each plus the rest by weight; networks below ``floor`` get exactly the floor.

    Sums to ``pool`` exactly. Requires ``pool >= n*base`` and ``pool >= n*floor``.
    """
    names = list(weights)
    floor = floor if floor is not None and floor > base else None
    fixed: set[str] = set()
    while True:
        free = [n for n in names if n not in fixed]
        rest = pool - len(fixed) * (floor or 0) - len(free) * base
        wsum = sum(weights[n] for n in free)
        below = set()
        if floor is not None:
            for n in free:
                exact = base + (rest * weights[n] / wsum if wsum else Fraction(rest, len(free)))
                if exact < floor:
                    below.add(n)
        if not below or len(below) == len(free):  # (all below cannot happen when pool >= n*floor)
            break
        fixed |= below
    free = [n for n in names if n not in fixed]
    rest = pool - len(fixed) * (floor or 0) - len(free) * base
    shares = largest_remainder(rest, {n: weights[n] for n in free}) if free else {}
    return {n: (floor or 0) if n in fixed else base + shares[n] for n in names}


def compare(pool: int, networks: list[Network], current: dict[str, int],
            models: list[ScenarioModel], columns: dict[str, dict[str, Fraction]]
            ) -> tuple[Scenarios, list[Problem]]:
    """Frames for every usable model; unusable models become located problems."""
    problems: list[Problem] = []
    names = [n.name for n in networks]
    result = Scenarios([], names, current, {}, pool)
    known = ", ".join([MAIN_KEY, *columns]) if networks else MAIN_KEY
    n = len(names)
    seen: set[str] = set()
    for m in models:
        if fold(m.name) in seen:
            problems.append(problem("scenario-duplicate", where=m.where, model=m.name))
            continue
        seen.add(fold(m.name))
        weights = model_weights(m, networks, columns)
        if weights is None:
            problems.append(problem("scenario-key-unknown", where=m.key_where, model=m.name,
                                    key=m.describe(), known=known))
            continue
        if n * m.base_grant > pool:
            problems.append(problem("scenario-pool-below-base", where=m.base_where, model=m.name,
                                    need=format_kr(n * m.base_grant), pool=format_kr(pool)))
            continue
        if m.floor is not None and n * m.floor > pool:
            problems.append(problem("scenario-floor-too-high", where=m.floor_where, model=m.name,
                                    need=format_kr(n * m.floor), pool=format_kr(pool)))
            continue
        if not names:
            continue
        result.models.append(m)
        result.frames[m.name] = floored_frames(pool, m.base_grant, weights, m.floor)
    return result, problems
