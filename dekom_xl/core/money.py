"""Money: parsing what people type into whole kroner, and formatting kroner the Norwegian way.

``parse_amount`` never raises for user input. It returns an :class:`Amount`: the value in
whole kroner, or a problem code (from the catalogue in :mod:`dekom_xl.core.problems`) and what
was found. The caller adds what the amount is and where it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from dekom_xl.core.problems import message as _message

EXCEL_ERRORS = frozenset(
    {"#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#VALUE!", "#SPILL!",
     "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)

# Spaces people and Excel put between thousands: space, NBSP, narrow NBSP, thin space.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_CURRENCY = re.compile(r"^(kr\.?|nok)\s*|\s*(kr\.?|nok)$", re.IGNORECASE)
_TRAILING_DASH = re.compile(r"[,.]\s*[-\u2013\u2014]+$")  # "1 000,-" / "1 000,–"
_APPROX = re.compile(r"^(ca\.?|cirka| omtrent|~|≈)\s*", re.IGNORECASE)
_MINUS = "-\u2212\u2013"


@dataclass(frozen=True)
class Amount:
    """A parsed amount: ``value`` in whole kroner, or ``code`` and ``found`` when it is not one.

    ``value`` is ``None`` and ``code`` is ``None`` for an empty cell. ``found`` is the cell's
    text as shown in a message (shortened).
    """

    value: int | None
    code: str | None = None
    found: str | None = None

    @property
    def message(self) -> str | None:
        """The bokmål message for a bad amount (``what`` = «Beløpet»); None when it is fine."""
        return self.describe("Beløpet")

    def describe(self, what: str) -> str | None:
        """The bokmål message naming the amount as ``what``; None when it is fine."""
        return None if self.code is None else _message(self.code, what=what, found=self.found)

    @property
    def ok(self) -> bool:
        return self.code is None

    @property
    def empty(self) -> bool:
        return self.value is None and self.code is None


MAX_PLAUSIBLE = 1_000_000_000  # no single amount in a year's allocation comes near this
_COMMA_THOUSANDS = re.compile(r"(?i)^(kr\.?\s*)?\d{1,3}(,\d{3})+(\s*kr\.?)?(,-)?$")


def _bad(code: str, raw: object) -> Amount:
    return Amount(None, code, _show(raw))


def _show(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "…"


def parse_amount(raw: object, *, signed: bool = False) -> Amount:
    """Parse an amount as typed in a cell into whole kroner.

    Accepts ``754521``, ``754 521`` (space, NBSP, U+202F), ``kr 754 521``, ``Kr 349 418``,
    ``1 660 100,-``, ``kr 1 000,–``, ``1.660.100``, ``131 582,00`` and numbers from Excel.
    Gives a problem for ``985 000?``, ``ca. 500 000``, negative amounts, øre that are not
    zero, Excel error values (``#REF!``) and any other text; for English thousands
    separators (``250,000`` could be 250 000 or 250: never guessed) and for amounts over
    :data:`MAX_PLAUSIBLE` (``1e15``). ``signed``: a negative amount is an amount (money
    carried back in on a budget line), not a problem.
    """
    if raw is None:
        return Amount(None)
    if isinstance(raw, bool):
        return _bad("amount-not-number", raw)
    if isinstance(raw, int):
        return _check_sign(Decimal(raw), raw, signed)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return _bad("amount-not-number", raw)
        nearest = round(raw)
        if abs(raw - nearest) < 1e-6:  # floating-point noise from a formula, e.g. 754520.9999999
            return _check_sign(Decimal(nearest), raw, signed)
        return _check_sign(Decimal(repr(raw)), raw, signed)
    if isinstance(raw, Decimal):
        return _check_sign(raw, raw, signed)
    text = _clean(str(raw)).strip()
    if not text:
        return Amount(None)
    if _COMMA_THOUSANDS.match(text):
        return _bad("amount-comma-thousands", text)
    if text.upper() in EXCEL_ERRORS or text.startswith("#") or text.startswith("Err:"):
        return _bad("amount-excel-error", text)
    if "?" in text:
        return _bad("amount-uncertain", text)
    if _APPROX.match(text):
        return _bad("amount-approximate", text)
    number = _to_decimal(text)
    if number is None:
        return _bad("amount-not-number", text)
    return _check_sign(number, text, signed)


def _clean(text: str) -> str:
    """Text without invisible characters (zero-width space, soft hyphen, BOM …)."""
    return text.translate(INVISIBLE)


INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}


def _check_sign(number: Decimal, raw: object, signed: bool = False) -> Amount:
    if abs(number) > MAX_PLAUSIBLE:
        return _bad("amount-implausible", raw)
    if number < 0 and not signed:
        return _bad("amount-negative", raw)
    if number != number.to_integral_value():
        return _bad("amount-ore", raw)
    return Amount(int(number))


def _to_decimal(text: str) -> Decimal | None:
    """Turn Norwegian amount text into a Decimal, or None when it is not an amount."""
    t = _CURRENCY.sub("", text.strip()).strip()
    t = _CURRENCY.sub("", t).strip()  # "kr 1 000 kr" is odd but harmless
    t = _TRAILING_DASH.sub("", t)
    t = t.rstrip("-\u2013\u2014").strip() if t.endswith((",-", ",–")) else t
    negative = False
    if t and t[0] in _MINUS:
        negative, t = True, t[1:].strip()
    elif t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    t = _SPACES.sub(" ", t).strip()
    if not t:
        return None
    # Spaces only as thousands separators: "1 660 100".
    if " " in t:
        head, *groups = t.split(" ")
        decimals = ""
        if groups and "," in groups[-1]:
            groups[-1], decimals = groups[-1].split(",", 1)
        if not (head.isdigit() and len(head) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups)):
            return None
        t = head + "".join(groups) + ("," + decimals if decimals else "")
    digits: str
    if "," in t and "." in t:
        # "1.660.100,50": dots group thousands, the comma marks decimals.
        whole, dec = t.rsplit(",", 1)
        if not _dotted_thousands(whole):
            return None
        digits = whole.replace(".", "") + "." + dec
    elif "," in t:
        whole, dec = t.split(",", 1)
        if "," in dec:
            return None
        digits = whole + "." + dec
    elif t.count(".") >= 2 or (t.count(".") == 1 and len(t.split(".")[1]) == 3):
        # "1.660.100" or "754.521": Norwegian thousands separators.
        if not _dotted_thousands(t):
            return None
        digits = t.replace(".", "")
    else:
        digits = t  # "754521" or "131582.00"
    if not re.fullmatch(r"\d+(\.\d*)?", digits):
        return None
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None
    return -value if negative else value


def _dotted_thousands(text: str) -> bool:
    parts = text.split(".")
    return (
        parts[0].isdigit()
        and len(parts[0]) <= 3
        and all(p.isdigit() and len(p) == 3 for p in parts[1:])
    )


def format_kr(amount: int | None, *, kr: bool = False, sep: str = " ") -> str:
    """Format whole kroner Norwegian style: ``1 234 567`` (``sep`` between groups).

    With ``kr=True`` the result reads ``kr 1 234 567``. ``None`` gives an empty string.
    Negative amounts get a true minus sign: ``−1 000``.
    """
    if amount is None:
        return ""
    sign = "\u2212" if amount < 0 else ""
    text = f"{abs(int(amount)):,}".replace(",", sep)
    return f"kr {sign}{text}" if kr else f"{sign}{text}"
