import pytest

from shanghui.core.chinese import index_letter, normalize_query, search_key, sort_key, to_simplified


@pytest.mark.parametrize(
    ("name", "pinyin", "initials"),
    [
        ("曾国藩", "zengguofan", "zgf"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区志强", "ouzhiqiang", "ozq"),
        ("龚志军", "gongzhijun", "gzj"),
        ("万俟卨", "moqixie", "mqx"),
        ("单于丹", "chanyudan", "cyd"),
        ("曾煜珩", "zengyuheng", "zyh"),
        ("李晟", "lisheng", "ls"),
        ("陈莞尔", "chenwaner", "cwe"),
    ],
)
def test_person_names_read_surnames_correctly(name: str, pinyin: str, initials: str) -> None:
    assert search_key(name, person=True).split() == [name, pinyin, initials]


def test_given_name_readings_cover_the_common_polyphonic_characters() -> None:
    """Every polyphonic character of this list of common given-name characters is read as in
    names: either pypinyin's first reading is right, or GIVEN_NAME_READINGS fixes it."""
    from pypinyin import Style, pinyin

    from shanghui.core.chinese import GIVEN_NAME_READINGS, name_pinyin

    right_first = {"茜": "qian", "蔚": "wei", "炅": "jiong", "澍": "shu", "皓": "hao", "荃": "quan"}
    right_first |= {"蓁": "zhen", "瑗": "yuan", "焱": "yan", "澄": "cheng", "溪": "xi"}
    common = "珩晟茜翀昱玥钰琛骞喆堃蔚燊祎婧铧炅弢甯嬿芃珺瑾琰璟翊煜曦睿泓淇沅澍湉婳娴嫣妍彧皓"
    common += "昊旻晞暄曈朗荃莞菁萱蓁蕴薇芸苒茗晗瑶琪琦璇瑜璐珂玮珏琬瑗炜烨熠焱灏澄滢潇澜漪"
    polyphonic = {c for c in common if len(pinyin(c, style=Style.NORMAL, heteronym=True)[0]) > 1}
    assert polyphonic <= set(right_first) | set(GIVEN_NAME_READINGS), polyphonic
    for char, reading in (right_first | GIVEN_NAME_READINGS).items():
        assert name_pinyin(f"王{char}", person=True) == ["wang", reading], char


def test_company_names_are_not_read_as_surnames() -> None:
    # 重庆 is chong-qing as a place, and a company name is no person's name.
    assert "chongqing" in search_key("重庆长安汽车股份有限公司")


def test_traditional_input_matches_simplified_key() -> None:
    key = search_key("广东省江西商会")
    assert normalize_query("廣東省江西商會") in key
    assert normalize_query("江西") in key
    assert normalize_query("商") in key  # one character
    assert to_simplified("龔志軍") == "龚志军"


def test_query_normalization_drops_spaces_and_case() -> None:
    assert normalize_query(" Gong Zhi ") == "gongzhi"


def test_sort_key_and_letter_index() -> None:
    assert sort_key("曾国藩", person=True).startswith("zeng")
    assert index_letter(sort_key("阿里巴巴")) == "A"
    assert index_letter(sort_key("123公司")) == "#"


def test_syllables_are_plain_letters_with_v_for_u_umlaut() -> None:
    """吕 lǚ, 女 nǚ, 略 lüè: searched as lv, nv, lve, as people type them on a phone."""
    from pypinyin import Style, lazy_pinyin

    from shanghui.core.chinese import _TONELESS, name_pinyin

    assert name_pinyin("吕女士", person=True) == ["lv", "nv", "shi"]
    assert name_pinyin("战略") == ["zhan", "lve"]
    # Every reading of every CJK Unified Ideograph loses its tone marks exactly as
    # Style.NORMAL would drop them.
    characters = [chr(c) for c in range(0x4E00, 0x9FA6)]
    toned = lazy_pinyin(characters, style=Style.TONE, errors="default")
    plain = lazy_pinyin(characters, style=Style.NORMAL, errors="default")
    assert [syllable.translate(_TONELESS) for syllable in toned] == plain


def test_readings_are_pypinyins_own_for_every_character_and_for_names() -> None:
    """``_readings`` skips pypinyin's per-syllable pipeline; it must read exactly as
    ``lazy_pinyin`` does: every character alone, phrases in names (重庆 chong-qing, 银行
    yin-hang), and text mixed with letters, digits and punctuation."""
    from pypinyin import Style, lazy_pinyin

    from shanghui.core.chinese import _TONELESS, _readings
    from shanghui.core.demo_data import MemberGenerator
    from shanghui.members.demo import PROFILES

    characters = [chr(c) for c in (*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), 0x20000)]
    for char in characters:
        assert _readings(char) == lazy_pinyin(char, style=Style.TONE), char
    names = [
        "重庆长安汽车股份有限公司",
        "中国工商银行长沙分行",
        "ABC科技（深圳）有限公司",
        "3M中国",
        "〇一二三",
        "a.b-c 公司",
        "",
    ]
    for record in MemberGenerator(PROFILES["gdjx"]).members(2000):
        names += [record.name, *(person.name for person in record.people)]
    for name in names:
        toned = lazy_pinyin(name, style=Style.TONE)
        assert _readings(name) == toned, name
        plain = [s.translate(_TONELESS).lower() for s in toned if s.strip()]
        assert _readings(name, plain=True) == plain, name


def test_phrases_cut_as_pypinyins_segmenter() -> None:
    """``_phrases`` replaces pypinyin's segmenter for speed; it must cut every run alike —
    including its quirk of spelling out a tail that is a prefix of phrases but holds none."""
    import random

    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg.mmseg import seg

    from shanghui.core.chinese import _phrases

    rng = random.Random(3)
    phrases = sorted(PHRASES_DICT)
    runs = ["重庆长安汽车", "中国工商银行长沙分行", "长", "银行行长", ""]
    for _ in range(5000):
        # Phrases run together, and cut anywhere: matches across phrase borders and tails
        # that begin a phrase without completing it.
        text = "".join(rng.choice(phrases) for _ in range(rng.randint(1, 4)))
        runs.append(text[rng.randint(0, len(text) - 1) :][: rng.randint(1, 12)])
    for run in runs:
        assert _phrases(run) == list(seg.cut(run)), run


def found(needle: str, tokens: set[str]) -> bool:
    from shanghui.core.chinese import token_range

    low, high = token_range(needle)
    return any(low <= token and (high is None or token < high) for token in tokens)


def test_a_substring_of_a_form_is_the_beginning_of_a_token() -> None:
    from shanghui.core.chinese import search_tokens

    tokens = search_tokens("龚志军", person=True)
    for needle in ("龚", "志", "军", "志军", "龚志军", "gzj", "zj", "j", "zhijun", "jun", "gong"):
        assert found(needle, tokens), needle
    # Full pinyin is cut where a syllable starts, not inside one.
    assert not found("hijun", tokens)
    assert not found("ongzhi", tokens)
    assert not found("龚军", tokens)  # not a substring
    company = search_tokens("东莞市新迪五金制品有限公司")
    for needle in ("新迪", "迪五金", "xindi", "wujinzhipin", "xdwj", "公司", "gongsi", "s"):
        assert found(needle, company), needle


def test_tokens_are_cut_to_the_token_length() -> None:
    from shanghui.core.chinese import SEARCH_TOKEN_LENGTH, search_tokens

    tokens = search_tokens("广州市天河区石牌村第三经济合作社股份有限公司")
    assert max(len(token) for token in tokens) == SEARCH_TOKEN_LENGTH
    # A longer needle is looked up by its beginning (and confirmed by the caller).
    assert found("广州市天河区石牌村第三经济合作社股份"[:SEARCH_TOKEN_LENGTH], tokens)


def test_codes_are_found_from_their_beginning_and_phones_by_their_last_digits() -> None:
    from shanghui.core.chinese import phone_token, search_tokens

    tokens = search_tokens(codes=["91440300MA5FXXXX1X"], phones=["13512345678"])
    assert found("91440300ma5f", tokens)
    assert found(phone_token("5678"), tokens)
    assert found(phone_token("13512345678"), tokens)
    assert not found(phone_token("1234"), tokens)  # inside the number, not at its end
    # The phone tokens are apart from the names': "8765…" as a name needle finds nothing.
    assert not found("87654321", tokens)
    assert normalize_query(".8765") == "8765"  # no query reaches them by their mark


@pytest.mark.parametrize(
    ("prefix", "inside", "outside"),
    [
        ("abc", ["abc", "abcd", "abc\U0010ffff"], ["abd", "abb", "ab"]),
        ("江", ["江", "江西", "江𠀀"], ["汞", "汛", "氵"]),
        ("a\ud7ff", ["a\ud7ff", "a\ud7ffb"], ["a\ue000"]),
        ("𠀀", ["𠀀", "𠀀a"], ["𠀁"]),
    ],
)
def test_token_range_is_the_prefix_in_code_point_order(
    prefix: str, inside: list[str], outside: list[str]
) -> None:
    from shanghui.core.chinese import token_range

    low, high = token_range(prefix)
    assert high is not None
    for text in inside:
        assert low <= text < high, text
    for text in outside:
        assert not low <= text < high, text
    # Code point order is UTF-8 byte order, as SQLite (BINARY) and PostgreSQL ("C") compare.
    assert low.encode() <= min(inside).encode() and max(inside).encode() < high.encode()


def test_a_prefix_of_the_last_character_has_no_upper_bound() -> None:
    from shanghui.core.chinese import token_range

    assert token_range("\U0010ffff") == ("\U0010ffff", None)
    assert token_range("a\U0010ffff") == ("a\U0010ffff", "b")
