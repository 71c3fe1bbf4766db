import pytest

from shanghui.core.industries import (
    Industry,
    divisions,
    get_industry,
    industry_label,
    industry_name,
    is_valid_industry,
    sections,
)


def test_twenty_sections_a_to_t() -> None:
    secs = sections()
    assert [s.code for s in secs] == list("ABCDEFGHIJKLMNOPQRST")
    assert all(s.section == s.code for s in secs)
    assert secs[2] == Industry(code="C", name="制造业", section="C")


def test_ninety_seven_divisions_numbered_01_to_97() -> None:
    divs = divisions()
    assert [d.code for d in divs] == [f"{n:02d}" for n in range(1, 98)]


@pytest.mark.parametrize(
    ("section", "first", "last", "count"),
    [
        ("A", "01", "05", 5),
        ("B", "06", "12", 7),
        ("C", "13", "43", 31),
        ("D", "44", "46", 3),
        ("E", "47", "50", 4),
        ("F", "51", "52", 2),
        ("G", "53", "60", 8),
        ("H", "61", "62", 2),
        ("I", "63", "65", 3),
        ("J", "66", "69", 4),
        ("K", "70", "70", 1),
        ("L", "71", "72", 2),
        ("M", "73", "75", 3),
        ("N", "76", "79", 4),
        ("O", "80", "82", 3),
        ("P", "83", "83", 1),
        ("Q", "84", "85", 2),
        ("R", "86", "90", 5),
        ("S", "91", "96", 6),
        ("T", "97", "97", 1),
    ],
)
def test_section_division_ranges(section: str, first: str, last: str, count: int) -> None:
    divs = divisions(section)
    assert len(divs) == count
    assert divs[0].code == first
    assert divs[-1].code == last
    assert all(d.section == section for d in divs)


def test_division_39_is_electronics_in_manufacturing() -> None:
    d39 = get_industry("39")
    assert d39 == Industry(code="39", name="计算机、通信和其他电子设备制造业", section="C")
    assert industry_label("39") == "C39 计算机、通信和其他电子设备制造业"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("I", "信息传输、软件和信息技术服务业"),
        ("S", "公共管理、社会保障和社会组织"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("11", "开采专业及辅助性活动"),
        ("58", "多式联运和运输代理业"),
        ("65", "软件和信息技术服务业"),
        ("79", "土地管理业"),
        ("95", "群众团体、社会团体和其他成员组织"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_names(code: str, name: str) -> None:
    assert industry_name(code) == name


def test_section_label() -> None:
    assert industry_label("C") == "C 制造业"
    assert industry_label("T") == "T 国际组织"


def test_unknown_section_has_no_divisions() -> None:
    assert divisions("Z") == []


@pytest.mark.parametrize("code", ["", "U", "c", "00", "98", "9", "C39", "3911", " 39"])
def test_invalid_codes(code: str) -> None:
    assert not is_valid_industry(code)
    assert get_industry(code) is None
    assert industry_name(code) == ""
    assert industry_label(code) == ""


def test_valid_codes() -> None:
    assert is_valid_industry("C")
    assert is_valid_industry("01")
    assert is_valid_industry("97")
