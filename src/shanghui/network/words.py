"""The searchable words of a listing or an enterprise, and of a query.

Bodies are segmented with jieba (search mode: 螺纹钢 gives 螺纹 and 螺纹钢). Titles and
products add, for each of their words, its full pinyin and initials (``core.chinese``
readings), and each Chinese character on its own, so that one- and two-character queries
(钢, 钢材) and typed pinyin (gangcai, gc) find them — the core search's forms, applied to
words rather than whole names. Everything is Simplified and lower case; a query in 繁體 is
converted first. Pinyin and initials in a query match as prefixes (``token_range``); Chinese
words match exactly."""

import logging
import re
import unicodedata
from functools import lru_cache

import jieba

from shanghui.core.chinese import name_pinyin, to_simplified
from shanghui.network.models import WORD_MAX

jieba.setLogLevel(logging.WARNING)

# Words longer than this are not words but pasted strings; past the cap a body says no more.
MAX_WORDS = 200
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"^[0-9a-z\u3400-\u9fff]+$")


def _normalized(text: str) -> str:
    return to_simplified(unicodedata.normalize("NFKC", text)).lower()


def _segments(text: str) -> list[str]:
    return [word for word in jieba.cut_for_search(_normalized(text)) if _WORD.match(word)]


@lru_cache(maxsize=65536)
def _readings(word: str) -> tuple[str, str]:
    syllables = name_pinyin(word)
    return "".join(syllables), "".join(s[:1] for s in syllables)


def _title_words(title: str) -> set[str]:
    words: set[str] = set()
    for word in _segments(title):
        words.add(word)
        if _CJK.search(word):
            words.update(_readings(word))
            words.update(_CJK.findall(word))
    return words


def _body_words(body: str) -> set[str]:
    # One character alone says little in a body and would bloat the index; titles keep them.
    return {word for word in _segments(body) if len(word) > 1}


def document_words(title: str, body: str = "") -> set[str]:
    """The words under which a listing (title, body) or an enterprise (name and products as
    the title, introduction as the body) is found."""
    words = _title_words(title)
    for word in sorted(_body_words(body), key=len, reverse=True):
        if len(words) >= MAX_WORDS:
            break
        words.add(word)
    return {word[:WORD_MAX] for word in words if word}


def query_words(query: str) -> list[str]:
    """The words a search for ``query`` requires, in order, without repeats. A Chinese query
    that jieba cannot split further is also tried by its characters by the caller when it
    finds nothing (``single_characters``)."""
    seen: dict[str, None] = {}
    for word in _segments(query):
        seen.setdefault(word[:WORD_MAX], None)
    return list(seen)


def single_characters(query: str) -> list[str]:
    """The Chinese characters of ``query``, each once."""
    return list(dict.fromkeys(_CJK.findall(_normalized(query))))


def is_reading(word: str) -> bool:
    """Pinyin or initials (matched as a prefix), not a Chinese word (matched exactly)."""
    return word.isascii() and word.isalpha()
