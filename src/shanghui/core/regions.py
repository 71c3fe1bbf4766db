"""Chinese administrative divisions (GB/T 2260), read from vendored data.

Platform-wide reference data: not tenant-owned. Importable without Django settings.

Codes are always the 6-digit GB/T 2260 form ("360000" province, "360700" prefecture,
"360731" county). Grouping rows that exist only for statistics — 市辖区 (110100),
县 (500200), 省直辖县级行政区划 (419000, 429000, 469000, 659000) — are not regions here:
their members hang directly off the province, so 北京市朝阳区 is a level-3 child of 110000
and full names read naturally. Statistical-only function zones (开发区 etc., county part
71–79) are not included. 710000/810000/820000 exist as top-level entries without children.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from shanghui.core.chinese import in_readers_script

__all__ = [
    "Region",
    "children",
    "counties_of",
    "get_region",
    "is_valid_region",
    "provinces",
    "region_full_name",
    "region_name",
    "search_regions",
]

PROVINCE = 1
COUNTY = 3


@dataclass(frozen=True, slots=True)
class Region:
    """One division. ``level``: 1 province, 2 prefecture, 3 county-level."""

    code: str
    name: str
    parent_code: str | None
    level: int


@dataclass(frozen=True, slots=True)
class _Index:
    by_code: dict[str, Region]
    provinces: list[Region]
    children: dict[str, list[Region]]
    full_names: dict[str, str]


@cache
def _index() -> _Index:
    raw = files("shanghui.core").joinpath("data/gb2260.json").read_text(encoding="utf-8")
    rows: list[tuple[str, str, str | None, int]] = json.loads(raw)["regions"]
    by_code = {
        code: Region(code=code, name=name, parent_code=parent, level=level)
        for code, name, parent, level in rows
    }

    kids: dict[str, list[Region]] = {}
    for region in sorted(by_code.values(), key=lambda r: r.code):
        if region.parent_code is not None:
            kids.setdefault(region.parent_code, []).append(region)

    full_names: dict[str, str] = {}
    for region in by_code.values():
        parts = [region.name]
        parent = region.parent_code
        while parent is not None:
            ancestor = by_code[parent]
            parts.append(ancestor.name)
            parent = ancestor.parent_code
        full_names[region.code] = "".join(reversed(parts))
    top = sorted((r for r in by_code.values() if r.level == PROVINCE), key=lambda r: r.code)
    return _Index(by_code=by_code, provinces=top, children=kids, full_names=full_names)


def get_region(code: str) -> Region | None:
    """The region with this exact 6-digit code, or None (no padding, no trimming)."""
    return _index().by_code.get(code)


def is_valid_region(code: str) -> bool:
    """True only for a 6-digit code present in the vendored GB/T 2260 data."""
    return code in _index().by_code


def region_name(code: str) -> str:
    """Short name ("于都县"); "" for an unknown code."""
    region = _index().by_code.get(code)
    return region.name if region is not None else ""


def region_full_name(code: str) -> str:
    """Names from province down ("江西省赣州市于都县", "北京市朝阳区"); "" if unknown."""
    return _index().full_names.get(code, "")


def region_label(name: str, language: str | None = None) -> str:
    """A region name as the reader's script writes it: 繁體 readers see 廣東省廣州市."""
    return in_readers_script(name, language)


def region_display_name(code: str) -> str:
    """``region_full_name`` for reading, in the reader's script."""
    return region_label(region_full_name(code))


def provinces() -> list[Region]:
    """All level-1 entries (31 mainland + 台湾省, 香港, 澳门), sorted by code."""
    return list(_index().provinces)


def children(code: str) -> list[Region]:
    """Direct children sorted by code; [] for a leaf or an unknown code.

    A province's children may mix levels: prefectures plus county-level units that
    hang directly off it (all districts of 北京市, 济源市 under 河南省).
    """
    return list(_index().children.get(code, []))


def counties_of(code: str) -> list[Region]:
    """All level-3 descendants of a province or prefecture, sorted by code.

    [] for a county, for a prefecture without counties (东莞市) and for unknown codes.
    """
    found: list[Region] = []
    for child in _index().children.get(code, []):
        if child.level == COUNTY:
            found.append(child)
        else:
            found.extend(counties_of(child.code))
    return sorted(found, key=lambda r: r.code)


def search_regions(query: str, limit: int = 20) -> list[Region]:
    """Regions whose full name contains ``query`` (surrounding spaces ignored).

    Regions whose own name matches come first, then by level and code, so "赣州"
    returns 赣州市 before its counties. An empty query or ``limit <= 0`` gives [].
    """
    needle = query.strip()
    if not needle or limit <= 0:
        return []
    index = _index()
    hits = [r for r in index.by_code.values() if needle in index.full_names[r.code]]
    hits.sort(key=lambda r: (needle not in r.name, r.level, r.code))
    return hits[:limit]
