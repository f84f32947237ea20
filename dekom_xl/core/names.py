"""Matching the names people write to the networks and UH institutions the year knows.

``Værnes``, ``Vaernes`` and ``VÆRNES-nettverket`` are one network; ``Nord U`` is
``Nord universitet``. Matching folds case, Norwegian letters (æ→ae, ø→o, å→a) and other
accents, drops filler words (``nettverket``, ``for``, ``de``) and compares the remaining
words as a set, so ``Malvik-Trondheim`` matches ``Trondheim-Malvik``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
_FILLER = frozenset({"nettverket", "nettverk", "kompetansenettverket", "for", "de", "og", "i"})
_SUFFIXES = ("nettverket", "nettverk")


_INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad"}


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: ``VÆRNES-nettverket`` → ``vaernes-nettverket``."""
    text = unicodedata.normalize("NFKC", str(text).translate(_INVISIBLE)).translate(_FOLD).casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def name_key(text: str) -> frozenset[str]:
    """The set of meaningful words in a name, for matching."""
    words = re.split(r"[^0-9a-z]+", fold(text))
    out = set()
    for w in words:
        if not w or w in _FILLER:
            continue
        for suffix in _SUFFIXES:  # "innherredsnettverket" → "innherreds" → "innherred"
            if w.endswith(suffix) and len(w) > len(suffix):
                w = w[: -len(suffix)]
                if w.endswith("s") and len(w) > 3:
                    w = w[:-1]
                break
        out.add(w)
    return frozenset(out)


class NameIndex:
    """Find the canonical name for what someone wrote, using names and aliases."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]]):
        self._by_key: dict[frozenset[str], set[str]] = {}
        self.canonical: list[str] = []
        for name, aliases in entries:
            self.canonical.append(name)
            for variant in (name, *aliases):
                key = name_key(variant)
                if key:
                    self._by_key.setdefault(key, set()).add(name)

    def match(self, written: str) -> list[str]:
        """Every canonical name that ``written`` can mean (empty: unknown; two+: ambiguous)."""
        key = name_key(written)
        if not key:
            return []
        exact = self._by_key.get(key)
        if exact:
            return sorted(exact)
        # "Namdal" alone: every name whose words include all the written words.
        wider = {name for k, names in self._by_key.items() if key < k for name in names}
        return sorted(wider)

    def resolve(self, written: str) -> str | None:
        """The one canonical name ``written`` means, or ``None`` (unknown or ambiguous)."""
        found = self.match(written)
        return found[0] if len(found) == 1 else None
