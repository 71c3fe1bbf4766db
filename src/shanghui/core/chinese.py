"""Chinese text helpers shared by every module: Simplified/Traditional conversion, the search
key of a name and the search tokens derived from it.

A search key holds three forms of a name, space separated, so that one ``contains`` query
matches whichever the user typed: the Simplified characters ("龚志军"), the full pinyin
("gongzhijun") and the initials ("gzj"). Traditional input is converted before matching.

Search tokens (``search_tokens``) turn that substring match into a prefix match, which a
btree serves with leakproof comparisons (so also under PostgreSQL's row-level security): the
keys are the suffixes of each form, cut to ``SEARCH_TOKEN_LENGTH``. A needle is found in a
form exactly when it is the beginning of one of the form's suffixes, i.e. when some key lies
in ``token_range(needle)``. The characters and the initials are cut at every character; the
full pinyin only where a syllable starts — "zhijun" finds 龚志军, "hijun" does not.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

import opencc
from django.utils.translation import get_language
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
from pypinyin.seg.mmseg import seg as _phrase_seg

# pypinyin reads these characters as common words, not as surnames (曾 ceng → zeng …).
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "覃": "qin",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
    "万俟": "mo qi",
    "尉迟": "yu chi",
    "长孙": "zhang sun",
    "种": "chong",
    "召": "shao",
    "句": "gou",
    "能": "nai",
    "那": "na",
    "牟": "mou",
    "宓": "mi",
    "逄": "pang",
    "藏": "zang",
    "黑": "he",
    "沈": "shen",
    "纪": "ji",
    "隗": "wei",
    "折": "she",
    "郇": "huan",
    "莘": "shen",
    "眭": "sui",
    "卜": "bu",
    "重": "chong",
    "柏": "bai",
    "贾": "jia",
    "薄": "bo",
    "石": "shi",
    "华": "hua",
    "任": "ren",
    "冼": "xian",
    "单于": "chan yu",
}

# Characters of given names whose first reading in pypinyin is not the one used in names
# (曾煜珩 is zeng yu heng, not yu hang): checked against every polyphonic character of a
# list of common given-name characters (core/tests/test_chinese.py).
GIVEN_NAME_READINGS: dict[str, str] = {
    "珩": "heng",
    "晟": "sheng",
    "莞": "wan",
}

_TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
# Never part of a name's forms nor of a query: the search tokens' phone mark relies on that.
_NON_WORD = re.compile(r"[\s·・\-_.,，。()（）]+")

# Characters pypinyin has readings for, in runs: its own RE_HANS without the anchors.
_HANS_RUN = re.compile(f"({RE_HANS.pattern.removeprefix('^(?:').removesuffix(')+$')}+)")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


# Names are converted several times on their way to a search key, its tokens and a sort key.
_simplified_name = lru_cache(maxsize=65536)(to_simplified)


def to_traditional(text: str) -> str:
    return str(_converter("s2t").convert(text))


def in_readers_script(text: str, language: str | None = None) -> str:
    """A name from a simplified-Chinese standard catalogue (GB/T 2260 regions, GB/T 4754
    industries) as the reader's script writes it: traditional for 繁體 readers. The active
    language unless ``language`` is given. Stored codes, exports and imports keep the
    catalogue's own names."""
    return to_traditional(text) if (language or get_language()) == "zh-hant" else text


def _surname_split(name: str) -> tuple[str, str, str]:
    """(surname, its reading, rest) when the name starts with a surname we read specially."""
    for length in (2, 1):
        head = name[:length]
        if len(name) > length and head in SURNAME_READINGS:
            return head, SURNAME_READINGS[head], name[length:]
    return "", "", name


def name_pinyin(name: str, *, person: bool = False) -> list[str]:
    """Syllables of a name; with ``person=True`` the surname is read as a surname."""
    return list(_name_pinyin(name, person))


@lru_cache(maxsize=16384)
def _word_readings(word: str) -> tuple[str, ...]:
    """The toned readings of one word of Chinese characters, as pypinyin reads it: the phrase's
    readings when it is a known phrase, else each character's first reading."""
    phrase = PHRASES_DICT.get(word)
    if phrase is not None:
        return tuple(readings[0] for readings in phrase)
    return tuple(
        reading.split(",", 1)[0] if (reading := PINYIN_DICT.get(ord(char))) else char
        for char in word
    )


# The prefixes of pypinyin's phrases, which its segmenter matches against: the set itself, as
# the wrapper's ``in`` is a Python call (a third of the segmenter's time). A private attribute:
# pypinyin is pinned below its next minor version, and a test compares the cuts.
_PHRASE_PREFIXES: set[str] = _phrase_seg._prefix_set._set


def _phrases(run: str) -> list[str]:
    """``list(pypinyin.seg.mmseg.seg.cut(run))``, word for word (a test compares them): forward
    maximum matching of known phrases, as ``lazy_pinyin`` cuts a run of characters, without
    the generator and the repeated slicing."""
    words: list[str] = []
    start, length = 0, len(run)
    while start < length:
        phrase_end = 0  # where the longest phrase from ``start`` ends
        end = start + 1
        while end <= length and (word := run[start:end]) in _PHRASE_PREFIXES:
            if word in PHRASES_DICT:
                phrase_end = end
            end += 1
        if phrase_end:
            words.append(run[start:phrase_end])
            start = phrase_end
        elif end > length:  # the rest is a prefix of phrases but holds none: pypinyin spells it
            words += run[start:]
            break
        else:
            words.append(run[start])
            start += 1
    return words


@lru_cache(maxsize=16384)
def _word_syllables(word: str) -> tuple[str, ...]:
    """A word's readings without tone marks, in lower case."""
    return tuple(reading.translate(_TONELESS).lower() for reading in _word_readings(word))


def _readings(text: str, *, plain: bool = False) -> list[str]:
    """``lazy_pinyin(text, style=Style.TONE, errors="default")``, syllable for syllable (a test
    compares them over every CJK character and the demo's names). pypinyin passes every
    syllable through its style and converter pipeline, which was two thirds of an import's
    pinyin time; the words themselves repeat (有限公司, 科技, 东莞市 …) and are cached here.
    ``plain``: the syllables without tone marks, in lower case, blank parts left out — toned
    readings with the marks translated away equal Style.NORMAL (checked for all 20,902 CJK
    Unified Ideographs), and NORMAL strips the marks by regex, which is slower."""
    syllables: list[str] = []
    word_readings = _word_syllables if plain else _word_readings
    for index, part in enumerate(_HANS_RUN.split(text)):
        if not part:
            continue
        if index % 2:  # a run of characters with readings, cut into phrases as pypinyin does
            for word in _phrases(part):
                syllables += word_readings(word)
        elif not plain:  # anything else stays as it is, in one piece
            syllables.append(part)
        elif part.strip():
            syllables.append(part.translate(_TONELESS).lower())
    return syllables


# Phrase segmentation is the slow part of saving a name, and every name needs both its search
# key and its sort key (and people's names repeat: 王伟, 李娜 …).
@lru_cache(maxsize=65536)
def _name_pinyin(name: str, person: bool) -> tuple[str, ...]:
    simplified = _simplified_name(name)
    if not person:
        return tuple(_readings(simplified, plain=True))
    _surname, reading, given = _surname_split(simplified)
    syllables = _readings(given, plain=True)
    if len(syllables) == len(given):  # one syllable per character: read each as in names
        syllables = [
            GIVEN_NAME_READINGS.get(char, s) for char, s in zip(given, syllables, strict=True)
        ]
    return (*reading.split(), *syllables)


def sort_key(name: str, *, person: bool = False) -> str:
    """Full pinyin used for ordering and the A–Z letter index (as in WeChat contacts)."""
    key = "".join(name_pinyin(name, person=person))
    return key[:100]


def index_letter(key: str) -> str:
    first = key[:1].upper()
    return first if "A" <= first <= "Z" else "#"


@lru_cache(maxsize=65536)
def _forms(name: str, person: bool) -> tuple[str, tuple[str, ...]]:
    """The Simplified form of a name as searched (no spaces or punctuation, lower case) and
    its syllables."""
    simplified = _NON_WORD.sub("", _simplified_name(name)).lower()
    return simplified, _name_pinyin(simplified, person)


def search_key(*names: str, person: bool = False) -> str:
    """Search key for one or more names of the same thing (e.g. company name and short name)."""
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        simplified, syllables = _forms(name, person)
        parts += [simplified, "".join(syllables), "".join(s[:1] for s in syllables)]
    return " ".join(parts)


# Longer needles are looked up by their first SEARCH_TOKEN_LENGTH characters and confirmed
# against the search key: 16 keeps the index small and is selective enough for any name.
SEARCH_TOKEN_LENGTH = 16
# Phone tokens are the number reversed behind this mark, so that "ends with 5678" is the
# prefix ".8765". _NON_WORD removes "." from every name and query: no name token starts with
# it, and no needle reaches the phone tokens except through phone_token().
PHONE_TOKEN_MARK = "."  # noqa: S105 - a separator, not a secret


@lru_cache(maxsize=65536)
def _name_tokens(name: str, person: bool) -> frozenset[str]:
    simplified, syllables = _forms(name, person)
    length = SEARCH_TOKEN_LENGTH
    initials = "".join(s[:1] for s in syllables)
    pinyin = "".join(syllables)
    tokens = {simplified[i : i + length] for i in range(len(simplified))}
    tokens.update(initials[i : i + length] for i in range(len(initials)))
    start = 0
    for syllable in syllables:  # the full pinyin from each syllable on, not from each letter
        tokens.add(pinyin[start : start + length])
        start += len(syllable)
    return frozenset(tokens)


def phone_token(digits: str) -> str:
    """The token of a phone number; of a needle of digits, the prefix of the phone tokens that
    end with it."""
    return (PHONE_TOKEN_MARK + digits[::-1])[:SEARCH_TOKEN_LENGTH]


def search_tokens(
    *names: str, person: bool = False, codes: Iterable[str] = (), phones: Iterable[str] = ()
) -> set[str]:
    """The keys under which a search finds a thing with these names: the suffixes of each
    form of each name (see the module docstring), each code (a credit code, found from its
    beginning) and each phone number (found by its last digits, see ``phone_token``)."""
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens |= _name_tokens(name, person)
    tokens.update(code.lower()[:SEARCH_TOKEN_LENGTH] for code in codes if code)
    tokens.update(phone_token(phone) for phone in phones if phone)
    tokens.discard("")
    return tokens


def token_range(prefix: str) -> tuple[str, str | None]:
    """``(low, high)``: the keys that start with ``prefix`` are those with ``low <= key < high``
    in code point order — SQLite's BINARY collation and PostgreSQL's ``C`` collation (UTF-8
    bytes compare as code points do). ``high`` is None when no key can be above the range."""
    prefix = prefix[:SEARCH_TOKEN_LENGTH]
    head = prefix
    while head:
        following = ord(head[-1]) + 1
        if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters: skip them
            following = 0xE000
        if following <= 0x10FFFF:
            return prefix, head[:-1] + chr(following)
        head = head[:-1]
    return prefix, None


# A mainland mobile number as people paste it from a contact card: +86 139…, 0086 139….
_MOBILE_WITH_COUNTRY = re.compile(r"^(?:\+86|0086|86)(1\d{10})$")


def normalize_query(query: str) -> str:
    """What to look for inside a search key: full-width letters and digits made plain (ＧＺＪ,
    ７０００ from a Chinese input method), Simplified, lower case, no spaces or punctuation, a
    mobile number without its country code. Empty when nothing searchable is left: a caller
    given a non-blank query ("_") must then match nothing, not everything."""
    text = query if query.isascii() else unicodedata.normalize("NFKC", query)
    needle = _NON_WORD.sub("", to_simplified(text.strip())).lower()
    mobile = _MOBILE_WITH_COUNTRY.match(needle)
    return mobile.group(1) if mobile else needle


def forget_names() -> None:
    """Empties the caches of converted names, readings and tokens (benchmarks measure a worker
    that has seen none of a file's names)."""
    for cached in (
        _simplified_name,
        _word_readings,
        _word_syllables,
        _name_pinyin,
        _forms,
        _name_tokens,
    ):
        cached.cache_clear()


# Two-character surnames (复姓) that an avatar without a photo shows
# whole (check-in).
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
        "司徒", "夏侯", "令狐", "端木", "轩辕", "独孤", "南宫", "西门", "万俟", "闻人", "澹台",
        "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "呼延", "百里", "东郭",
        "赫连", "拓跋", "司空", "第五", "左丘", "谷梁", "梁丘", "羊舌", "微生", "段干", "仲孙",
        "亓官", "巫马", "乐正", "壤驷", "公良", "漆雕",
    }
)  # fmt: skip


def surname_of(name: str) -> str:
    """ "欧阳修" → "欧阳", "龚志军" → "龚", "Lily Chen" → "L"; "" for no name."""
    text = (name or "").strip()
    if not text:
        return ""
    if len(text) > 2 and text[:2] in COMPOUND_SURNAMES:
        return text[:2]
    first = text[0]
    return first.upper() if first.isascii() else first
