"""Largest-remainder allocation: exact sums, within one krone, independent of row order."""

import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dekom_xl.core.allocation import AllocationError, equal_split, frames, largest_remainder

names = st.lists(st.text(alphabet="abcdefghæøåABC -", min_size=1, max_size=12),
                 min_size=1, max_size=15, unique=True)
keys = st.one_of(st.integers(min_value=0, max_value=50_000),
                 st.fractions(min_value=0, max_value=5000, max_denominator=100))


@st.composite
def key_maps(draw):
    ns = draw(names)
    # Zeros and ties on purpose: many equal keys, some zero keys.
    pool = draw(st.lists(keys, min_size=1, max_size=3))
    return {n: draw(st.sampled_from(pool + [0])) for n in ns}


@given(total=st.integers(min_value=0, max_value=10**9), weights=key_maps())
def test_parts_sum_exactly_and_stay_within_one_krone(total, weights):
    parts = largest_remainder(total, weights)
    assert sum(parts.values()) == total
    s = sum(Fraction(w) for w in weights.values())
    for name, part in parts.items():
        exact = Fraction(total, len(weights)) if s == 0 else total * Fraction(weights[name]) / s
        assert abs(part - exact) < 1
        assert isinstance(part, int)


@given(total=st.integers(min_value=0, max_value=10**8), weights=key_maps(),
       seed=st.integers(0, 10**6))
def test_row_order_does_not_matter(total, weights, seed):
    items = list(weights.items())
    random.Random(seed).shuffle(items)
    assert largest_remainder(total, dict(items)) == largest_remainder(total, weights)


@settings(max_examples=200)
@given(pool=st.integers(min_value=0, max_value=5 * 10**7),
       base=st.integers(min_value=0, max_value=500_000), weights=key_maps(),
       seed=st.integers(0, 10**6))
def test_frames_sum_to_pool_and_are_base_plus_share(pool, base, weights, seed):
    assume(pool >= base * len(weights))
    fr = frames(pool, base, weights)
    assert sum(f.frame for f in fr.values()) == pool
    rest = pool - base * len(weights)
    s = sum(Fraction(w) for w in weights.values())
    for name, f in fr.items():
        share = Fraction(rest, len(weights)) if s == 0 else rest * Fraction(weights[name]) / s
        assert abs(f.frame - (base + share)) < 1
    items = list(weights.items())
    random.Random(seed).shuffle(items)
    assert {n: f.frame for n, f in frames(pool, base, dict(items)).items()} == {
        n: f.frame for n, f in fr.items()}


@given(total=st.integers(min_value=0, max_value=10**8), ns=names)
def test_equal_split(total, ns):
    parts = equal_split(total, ns)
    assert sum(parts.values()) == total
    assert max(parts.values()) - min(parts.values()) <= 1


def test_tie_break_is_stated_and_deterministic():
    # 10 kroner over 3 equal keys: remainders tie, so the names decide (folded alphabetical).
    assert largest_remainder(10, {"Ørland": 1, "Agdenes": 1, "Bjugn": 1}) == {
        "Ørland": 3, "Agdenes": 4, "Bjugn": 3}
    # Equal remainders but different weights: the larger weight wins the krone.
    parts = largest_remainder(1, {"a": 1, "b": 3})
    assert parts == {"a": 0, "b": 1}


def test_2024_one_krone_short_cannot_happen():
    # Three networks with shares of 1/3 each: rounding each share alone loses a krone.
    shares = {"A": 1, "B": 1, "C": 1}
    assert sum(round(100 * w / 3) for w in shares.values()) == 99
    assert sum(largest_remainder(100, shares).values()) == 100


def test_sample_year_frames():
    import csv
    from pathlib import Path

    rows = list(csv.DictReader(open(Path(__file__).parents[1]
                                    / "samples/kompetanseloftet_2025/networks.csv")))
    fr = frames(10_100_000, 150_000, {r["network"]: int(r["key"]) for r in rows},
                decided={r["network"]: int(r["frame_decided"]) for r in rows})
    assert sum(f.frame for f in fr.values()) == 10_100_000
    # The illustrative keys reproduce the decided frames within ±70 kroner.
    assert all(abs(f.deviation) <= 70 for f in fr.values())


@pytest.mark.parametrize("pool, base, weights, code", [
    (100, 60, {"a": 1, "b": 1}, "pool-below-base"),
    (100, 0, {"a": -1, "b": 1}, "key-negative"),
    (100, -1, {"a": 1}, "base-negative"),
])
def test_impossible_splits_raise_with_a_code(pool, base, weights, code):
    with pytest.raises(AllocationError) as err:
        frames(pool, base, weights)
    assert err.value.code == code
