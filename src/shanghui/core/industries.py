"""National industry classification GB/T 4754-2017: sections (门类) and divisions (大类).

Platform-wide reference data: not tenant-owned. Importable without Django settings.

Canonical codes are a section letter ("C") or a two-digit division ("39"). Groups and
classes (3- and 4-digit codes) are not covered. Lookups are exact: "c", "C39" or " 39"
are not codes; store ``Industry.code``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from shanghui.core.chinese import in_readers_script

__all__ = [
    "Industry",
    "divisions",
    "get_industry",
    "industry_display_name",
    "industry_label",
    "industry_name",
    "is_valid_industry",
    "sections",
]


@dataclass(frozen=True, slots=True)
class Industry:
    """A section (``code == section``, e.g. "C") or a division ("39", section "C")."""

    code: str
    name: str
    section: str

    @property
    def is_section(self) -> bool:
        return self.code == self.section


@dataclass(frozen=True, slots=True)
class _Index:
    sections: list[Industry]
    divisions: list[Industry]
    by_code: dict[str, Industry]


@cache
def _index() -> _Index:
    raw = files("shanghui.core").joinpath("data/gb4754.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    section_rows: list[tuple[str, str]] = data["sections"]
    division_rows: list[tuple[str, str, str]] = data["divisions"]
    secs = [Industry(code=c, name=n, section=c) for c, n in section_rows]
    divs = [Industry(code=c, name=n, section=s) for c, n, s in division_rows]
    secs.sort(key=lambda i: i.code)
    divs.sort(key=lambda i: i.code)
    by_code = {i.code: i for i in [*secs, *divs]}
    return _Index(sections=secs, divisions=divs, by_code=by_code)


def sections() -> list[Industry]:
    """The 20 sections A–T in order."""
    return list(_index().sections)


def divisions(section: str | None = None) -> list[Industry]:
    """Divisions 01–97 in code order, optionally only those of one section letter.

    An unknown section letter gives [].
    """
    all_divisions = _index().divisions
    if section is None:
        return list(all_divisions)
    return [d for d in all_divisions if d.section == section]


def get_industry(code: str) -> Industry | None:
    """The section ("C") or division ("39") with this exact code, or None."""
    return _index().by_code.get(code)


def is_valid_industry(code: str) -> bool:
    """True for a canonical section letter or two-digit division code."""
    return code in _index().by_code


def industry_name(code: str) -> str:
    """Name of a section or division ("制造业"); "" if unknown."""
    industry = _index().by_code.get(code)
    return industry.name if industry is not None else ""


def industry_display_name(code: str) -> str:
    """``industry_name`` for reading, in the reader's script (繁體: 製造業)."""
    return in_readers_script(industry_name(code))


def industry_label(code: str) -> str:
    """Display label: "C39 计算机、通信和其他电子设备制造业", "C 制造业"; "" if unknown."""
    industry = _index().by_code.get(code)
    if industry is None:
        return ""
    if industry.is_section:
        return f"{industry.code} {industry.name}"
    return f"{industry.section}{industry.code} {industry.name}"
