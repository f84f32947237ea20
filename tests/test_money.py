"""Parsing amounts as people type them, and formatting kroner."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dekom_xl.core.money import format_kr, parse_amount

GOOD = [
    ("754521", 754521),
    ("754 521", 754521),
    ("754\u00a0521", 754521),  # NBSP, as Excel's Norwegian format writes it
    ("754\u202f521", 754521),  # narrow NBSP
    ("kr 754 521", 754521),
    ("Kr 349 418", 349418),
    ("1 660 100,-", 1660100),
    ("kr 1 000,–", 1000),
    ("1.660.100", 1660100),
    ("131 582,00", 131582),
    ("  0 ", 0),
    ("NOK 2 000", 2000),
    ("kr. 5 000", 5000),
    ("131582.00", 131582),
    (754521, 754521),
    (754521.0, 754521),
    (754520.9999999999, 754521),  # floating-point noise from a formula
    (Decimal("1000"), 1000),
]

BAD = [
    ("985 000?", "amount-uncertain"),
    ("ca. 500 000", "amount-approximate"),
    ("Ca 500 000", "amount-approximate"),
    ("-5 000", "amount-negative"),
    ("\u22125 000", "amount-negative"),
    (-1, "amount-negative"),
    ("131 582,50", "amount-ore"),
    ("1,5", "amount-ore"),
    (1234.5, "amount-ore"),
    ("#REF!", "amount-excel-error"),
    ("#DIV/0!", "amount-excel-error"),
    ("#N/A", "amount-excel-error"),
    ("#VALUE!", "amount-excel-error"),
    ("abc", "amount-not-number"),
    ("12 34", "amount-not-number"),
    ("1 2345", "amount-not-number"),
    ("1.2.3", "amount-not-number"),
    (True, "amount-not-number"),
    (float("nan"), "amount-not-number"),
]


@pytest.mark.parametrize("raw, expected", GOOD)
def test_parses_what_people_type(raw, expected):
    parsed = parse_amount(raw)
    assert parsed.ok, parsed.message
    assert parsed.value == expected
    assert isinstance(parsed.value, int)


@pytest.mark.parametrize("raw, code", BAD)
def test_bad_amounts_become_problems(raw, code):
    parsed = parse_amount(raw)
    assert parsed.value is None
    assert parsed.code == code
    # The message is bokmål, quotes what was found and says what is expected.
    assert "kroner" in parsed.message or "beløp" in parsed.message.lower()
    assert str(raw)[:5] in parsed.message or code == "amount-not-number" and raw is True


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_is_not_a_problem(raw):
    parsed = parse_amount(raw)
    assert parsed.empty and parsed.ok


@given(st.integers(min_value=0, max_value=10**12))
def test_format_then_parse_round_trips(n):
    from dekom_xl.core.money import MAX_PLAUSIBLE

    if n > MAX_PLAUSIBLE:  # never a real amount: refused, never guessed
        assert parse_amount(format_kr(n, sep=" ")).code == "amount-implausible"
        return
    for sep in (" ", "\u00a0", "\u202f"):
        assert parse_amount(format_kr(n, sep=sep)).value == n
        assert parse_amount(format_kr(n, kr=True, sep=sep)).value == n
    assert parse_amount(f"{n:,}".replace(",", ".")).value == n


def test_format_kr():
    assert format_kr(1234567) == "1 234 567"
    assert format_kr(500, kr=True) == "kr 500"
    assert format_kr(-1000) == "\u22121 000"
    assert format_kr(None) == ""
