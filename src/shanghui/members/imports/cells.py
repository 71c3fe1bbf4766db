"""Reading one cell: text, dates, regions, industries and member types as people type them
in a spreadsheet."""

import re
import unicodedata
from datetime import date, datetime
from functools import cache, lru_cache

from openpyxl.utils.datetime import from_excel

from shanghui.core.chinese import to_simplified
from shanghui.core.industries import divisions, sections
from shanghui.core.regions import children, provinces, region_full_name
from shanghui.core.text import clean_text
from shanghui.members.imports.columns import KIND_WORDS
from shanghui.members.models import Member


def cell_text(value: object) -> str:
    """What a cell shows, as trimmed text (whole numbers without “.0”, dates as ISO)."""
    if type(value) is str:  # most cells: the checks below are for the others
        return clean_text(value).replace("\u3000", " ").replace("\xa0", " ").strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value)).replace("\u3000", " ").replace("\xa0", " ").strip()


def code_text(value: object) -> str:
    """Codes, phone numbers, member numbers: full-width digits and letters made plain."""
    text = cell_text(value)
    if text.isascii():  # NFKC leaves ASCII as it is
        return text
    return unicodedata.normalize("NFKC", text).strip()


_DATE_PATTERNS = (
    # A time after the date (“2020-05-01 10:00:00”, as a CSV export writes a date cell) is
    # left out: the day is what counts.
    re.compile(
        r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
    ),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?()$"),
    re.compile(r"^(\d{4})年?()()$"),
)


def parse_date(value: object) -> date | None:
    """A date cell, or text such as 2024-03-01, 2024/3/1, 2024年3月1日, 20240301, 2024-03
    (the 1st), 2024 (1 January) or 2024-03-01 10:00:00 (the day). Raises ValueError for
    anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 19000101 <= number <= 21001231:
            value = str(number)
        elif 20000 <= number <= 80000:  # an Excel serial day in a cell not formatted as a date
            return from_excel(number).date()
    text = code_text(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) if part else 1 for part in match.groups())
            return date(year, month, day)
    raise ValueError(text)


@cache
def _region_names() -> dict[str, str]:
    """Full name (江西省赣州市于都县) → code, for sheets that write places out."""
    names: dict[str, str] = {}
    pending = [region.code for region in provinces()]
    while pending:
        code = pending.pop()
        names[region_full_name(code)] = code
        pending.extend(child.code for child in children(code))
    return names


def parse_region(value: object) -> str:
    return _region_of(code_text(value))


@lru_cache(maxsize=4096)  # a member list holds a few hundred places, each many times
def _region_of(text: str) -> str:
    text = text.replace(" ", "")
    return _region_names().get(text, text)


@cache
def _industry_names() -> dict[str, str]:
    return {industry.name: industry.code for industry in [*sections(), *divisions()]}


def parse_industry(value: object) -> str:
    return _industry_of(code_text(value))


@lru_cache(maxsize=1024)
def _industry_of(text: str) -> str:
    text = text.upper().replace(" ", "")
    if text.isdigit() and len(text) == 1:
        return "0" + text  # Excel dropped the leading zero of 01–09
    if re.fullmatch(r"[A-T]\d{2}", text):
        return text[1:]  # "C39" → "39"
    return _industry_names().get(text, text)


def parse_kind(value: object) -> str | None:
    return _kind_of(cell_text(value))


@lru_cache(maxsize=256)
def _kind_of(text: str) -> str | None:
    text = to_simplified(text).lower().replace(" ", "")
    if not text:
        return Member.Kind.ENTERPRISE
    return KIND_WORDS.get(text)


def same_name(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)
