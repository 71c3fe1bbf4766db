"""The column catalogue of a member list: the fields an import fills, their headers and
synonyms, and the matching of a file's headers to them (``auto_map``)."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from shanghui.core.chinese import to_simplified
from shanghui.core.uscc import uscc_check_char
from shanghui.members.models import Member


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's header
    synonyms: tuple[str, ...] = ()
    hint: str = ""
    text: bool = False  # formatted as text in the template, so Excel keeps leading zeros


COLUMNS: tuple[Column, ...] = (
    Column(
        "kind", "会员类型", ("类型", "会员类别", "类别"), "企业会员 或 个人会员；留空视为企业会员"
    ),
    Column(
        "name",
        "名称",
        (
            "会员名称",
            "企业名称",
            "单位名称",
            "公司名称",
            "会员单位",
            "企业全称",
            "单位全称",
            "会员姓名",
        ),
        "必填。企业全称，或个人会员的姓名",
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一信用代码", "统一代码", "社会统一信用代码"),
        "企业会员必填，18 位",
        text=True,
    ),
    Column("legal_representative", "法定代表人", ("法人", "法人代表", "法定代表人姓名")),
    Column(
        "industry_code",
        "行业代码",
        ("行业", "所属行业", "行业门类"),
        "国民经济行业分类门类字母或两位大类代码，如 C 或 39",
        text=True,
    ),
    Column(
        "region_code",
        "注册地区代码",
        ("注册地区", "注册地", "所在地区", "地区代码", "所在地"),
        "6 位行政区划代码或全称，如 440106 或 广东省广州市天河区",
        text=True,
    ),
    Column("address", "地址", ("注册地址", "通讯地址", "联系地址", "办公地址", "企业地址")),
    Column(
        "hometown_code",
        "籍贯代码",
        ("籍贯", "祖籍", "家乡"),
        "6 位行政区划代码或全称，如 360731 或 江西省赣州市于都县",
        text=True,
    ),
    Column("level", "会员级别", ("级别", "会员等级", "等级"), "须与本会已设置的会员级别名称一致"),
    Column(
        "joined_on",
        "入会日期",
        ("入会时间", "加入日期", "入会年月", "入会年份"),
        "如 2024-03-01；留空为导入当天",
    ),
    Column(
        "member_no",
        "会员编号",
        ("编号", "会员号", "会员证号"),
        "留空则按本会编号格式生成",
        text=True,
    ),
    # Synonyms go from the most specific to the least: when two columns match one field, the
    # more specific header wins (a 联系电话 column, often a landline, yields to 手机号码).
    Column(
        "rep_name", "会员代表", ("会员代表姓名", "代表姓名", "代表", "联系人", "负责人", "姓名")
    ),
    Column("rep_title", "代表职务", ("职务", "职位", "联系人职务")),
    Column(
        "rep_phone",
        "代表手机号",
        (
            "联系人手机",
            "手机号码",
            "手机号",
            "手机",
            "移动电话",
            "联系电话",
            "电话",
            "联系方式",
        ),
        "11 位中国大陆手机号",
        text=True,
    ),
    Column("introduction", "简介", ("企业简介", "公司简介", "单位简介", "会员简介")),
)
COLUMN_KEYS = tuple(column.key for column in COLUMNS)
# The columns read as they are, as text (the others go through their own parser).
TEXT_KEYS = (
    "name",
    "legal_representative",
    "address",
    "level",
    "rep_name",
    "rep_title",
    "introduction",
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Names and titles: one line each.
ONE_LINE_KEYS = ("name", "legal_representative", "level", "rep_name", "rep_title")
REQUIRED_KEYS = ("name",)
# clean_member_input's error keys → our columns.
SERVICE_FIELDS = {
    "level_id": "level",
    "representatives.0.name": "rep_name",
    "representatives.0.phone": "rep_phone",
}
KIND_WORDS = {
    "企业会员": Member.Kind.ENTERPRISE,
    "企业": Member.Kind.ENTERPRISE,
    "单位会员": Member.Kind.ENTERPRISE,
    "单位": Member.Kind.ENTERPRISE,
    "enterprise": Member.Kind.ENTERPRISE,
    "个人会员": Member.Kind.INDIVIDUAL,
    "个人": Member.Kind.INDIVIDUAL,
    "individual": Member.Kind.INDIVIDUAL,
}
_HEADER_HINT = re.compile(r"[(\[【].*?[)\]】]")
_HEADER_NOISE = re.compile(r"[\s*:：]")

# The template's example row: refused if it is imported by mistake.
EXAMPLE_NAME = "赣州示例稀土新材料有限公司"
EXAMPLE_USCC = "91360731MA35Q8K2E" + uscc_check_char("91360731MA35Q8K2E")


def normalize_header(value: object) -> str:
    """ "统一社会信用代码（必填）", "*名称", "手 机" → comparable keys."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _HEADER_NOISE.sub("", _HEADER_HINT.sub("", text))
    return to_simplified(text).lower()


@cache
def _header_lookup() -> dict[str, tuple[str, int]]:
    """Normalised header → (field, rank): the template's own header ranks 0, then each
    synonym in its order (the most specific first)."""
    lookup: dict[str, tuple[str, int]] = {}
    for column in COLUMNS:
        for rank, text in enumerate((column.label, *column.synonyms)):
            lookup.setdefault(normalize_header(text), (column.key, rank))
    return lookup


# The two rows of a two-level header are joined as “会员代表/手机”.
HEADER_LEVELS = "/"
# A person's name: the member's own name in a list of individuals that has no name column.
PERSON_NAME_HEADERS = frozenset({"姓名"})


def header_match(header: str) -> tuple[str, int] | None:
    """The field a header names and how specifically: the header as written; else, for
    “会员代表/手机” (two header rows, or a header naming two things), both parts read as one
    word, then the last part, then the first."""
    lookup = _header_lookup()
    found = lookup.get(normalize_header(header))
    if found is None and HEADER_LEVELS in header:
        parts = [part for part in header.split(HEADER_LEVELS) if part.strip()]
        for variant in ("".join(parts), *parts[::-1]):
            found = lookup.get(normalize_header(variant))
            if found is not None:
                break
    return found


def auto_map(headers: list[str]) -> dict[str, int]:
    """Column index of each field whose header the file uses. A field named by several
    columns takes the most specific header (the template's own, then the synonyms in their
    order), the leftmost among equals; a column feeds one field. A list without a name
    column whose people are listed by 姓名 is a list of individuals: 姓名 is the name."""
    claims = sorted(
        (match[1], index, match[0])
        for index, header in enumerate(headers)
        if (match := header_match(header)) is not None
    )
    mapping = _assign(claims)
    if "name" not in mapping:
        people = [i for i, h in enumerate(headers) if normalize_header(h) in PERSON_NAME_HEADERS]
        if people:
            mapping = _assign([(-1, people[0], "name"), *claims])
    return mapping


def _assign(claims: list[tuple[int, int, str]]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for _rank, index, key in claims:
        if key not in mapping and index not in taken:
            mapping[key] = index
            taken.add(index)
    return mapping
