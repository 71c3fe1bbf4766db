"""Sensitive-word screening of listings and messages: a short built-in list
(``network/data/sensitive_words.txt``) plus the words the platform operator added
(``SensitiveWord``). Matching is on the text as a reader would see it — Simplified,
full-width folded, spaces removed — so "代 开 發 票" is caught like "代开发票"."""

import unicodedata
from functools import lru_cache
from pathlib import Path

from shanghui.core.chinese import to_simplified
from shanghui.network.models import SensitiveWord

_BUILT_IN = Path(__file__).resolve().parent / "data" / "sensitive_words.txt"


@lru_cache(maxsize=1)
def built_in_words() -> tuple[str, ...]:
    """The built-in list, normalised, longest first."""
    lines = _BUILT_IN.read_text(encoding="utf-8").splitlines()
    words = {normalised(line) for line in lines if line.strip() and not line.startswith("#")}
    return tuple(sorted(words - {""}, key=lambda w: (-len(w), w)))


def normalised(text: str) -> str:
    """``text`` folded for matching: NFKC (full-width to half-width), Simplified, lower case,
    without whitespace."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(to_simplified(folded).lower().split())


def operator_words() -> list[str]:
    return [normalised(w) for w in SensitiveWord.objects.values_list("word", flat=True)]


def find_sensitive(text: str) -> str | None:
    """The first sensitive word ``text`` contains (as listed), or None."""
    haystack = normalised(text)
    if not haystack:
        return None
    for word in (*built_in_words(), *operator_words()):
        if word and word in haystack:
            return word
    return None
