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
    ],
)
def test_person_names_read_surnames_correctly(name: str, pinyin: str, initials: str) -> None:
    assert search_key(name, person=True).split() == [name, pinyin, initials]


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
