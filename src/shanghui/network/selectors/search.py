"""Finding listings (``network:home``): the association's own published listings (tenant
rows, matched in its own scope) merged with the platform index rows that reach it
(``may_reach``: platform-wide ones when it joined the network, federation ones through
``ListingReach``). Chinese-aware: a query's words (``network.words.query_words``) must all be
present — Chinese words exactly, pinyin and initials as prefixes (``token_range`` on the
C-collated ``ListingWord.word``); a Chinese query that finds nothing is tried again by its
single characters. One enterprise (credit code) with one title in several chambers is one
result."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.chinese import token_range
from shanghui.network.models import (
    Listing,
    ListingIndex,
    ListingKind,
    ListingReach,
    ListingWord,
)
from shanghui.network.services.index import joins_platform
from shanghui.network.words import document_words, is_reading, query_words, single_characters

SEARCH_LIMIT = 50
# Own listings matched by pinyin are checked in Python over this many of the newest.
OWN_READING_SCAN = 2000


@dataclass(frozen=True)
class NetworkFilters:
    q: str = ""
    kind: str = ""
    industry: str = ""
    region: str = ""


@dataclass(frozen=True)
class SearchHit:
    """One result: the listing's public face and its association — never the enterprise or
    a person (the listing page, through ``access_listing``, shows the enterprise)."""

    listing_id: int
    kind: str
    title: str
    industry_code: str
    region_code: str
    association_id: int
    association_name: str
    published_at: datetime | None
    own: bool
    member_uscc: str = ""

    @property
    def kind_label(self) -> str:
        return str(ListingKind(self.kind).label)


def word_condition(word: str, field: str = "word") -> Q:
    """``field`` equals the Chinese word, or starts with the pinyin/initials ``word``."""
    if not is_reading(word):
        return Q(**{field: word})
    low, high = token_range(word)
    condition = Q(**{f"{field}__gte": low})
    if high is not None:
        condition &= Q(**{f"{field}__lt": high})
    return condition


def _region_condition(region: str, field: str = "region_code") -> Q:
    """A province (2 digits of its code), a city (4) or a county (6) takes in what lies in it."""
    code = region.rstrip("0") if len(region) == 6 else region
    if len(code) <= 2:
        code = region[:2]
    elif len(code) <= 4:
        code = region[:4]
    else:
        code = region
    return Q(**{f"{field}__startswith": code})


def _industry_condition(industry: str, field: str = "industry_code") -> Q:
    from shanghui.core.industries import divisions, get_industry

    found = get_industry(industry)
    if found is not None and found.is_section:
        codes = [industry] + [division.code for division in divisions(industry)]
        return Q(**{f"{field}__in": codes})
    return Q(**{field: industry})


def reachable_index(association: Association) -> QuerySet[ListingIndex]:
    """Index rows of other (active) associations that members of ``association`` may find."""
    reach = Q(
        listing_id__in=ListingReach.objects.filter(association=association).values("listing_id")
    )
    if joins_platform(association):
        reach |= Q(visibility="platform")
    return (
        ListingIndex.objects.filter(reach, valid_until__gte=timezone.localdate())
        .exclude(association=association)
        .filter(association__status=Association.Status.ACTIVE)
    )


def _filtered(qs: QuerySet, filters: NetworkFilters) -> QuerySet:
    if filters.kind in ListingKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.industry:
        qs = qs.filter(_industry_condition(filters.industry))
    if filters.region.isdigit():
        qs = qs.filter(_region_condition(filters.region))
    return qs


def _index_with_words(qs: QuerySet[ListingIndex], words: list[str]) -> QuerySet[ListingIndex]:
    for word in words:
        qs = qs.filter(
            listing_id__in=ListingWord.objects.filter(word_condition(word)).values("listing_id")
        )
    return qs


def _own_listings(association: Association, filters: NetworkFilters) -> QuerySet[Listing]:
    qs = Listing.objects.filter(
        association=association,
        status=Listing.Status.PUBLISHED,
        valid_until__gte=timezone.localdate(),
    )
    return _filtered(qs, filters).select_related("member").order_by("-published_at", "-id")


def _own_with_words(
    association: Association, filters: NetworkFilters, words: list[str]
) -> list[Listing]:
    qs = _own_listings(association, filters)
    chinese = [word for word in words if not is_reading(word)]
    readings = [word for word in words if is_reading(word)]
    for word in chinese:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if not readings:
        return list(qs[:SEARCH_LIMIT])
    found = []
    for listing in qs[:OWN_READING_SCAN]:
        keys = document_words(listing.title, listing.body)
        if all(any(key.startswith(word) for key in keys) for word in readings):
            found.append(listing)
            if len(found) >= SEARCH_LIMIT:
                break
    return found


def _own_hit(listing: Listing, association: Association) -> SearchHit:
    return SearchHit(
        listing_id=listing.pk,
        kind=listing.kind,
        title=listing.title,
        industry_code=listing.industry_code,
        region_code=listing.region_code,
        association_id=association.pk,
        association_name=association.short_name or association.name,
        published_at=listing.published_at,
        own=True,
        member_uscc=listing.member.uscc,
    )


def _index_hit(entry: ListingIndex) -> SearchHit:
    return SearchHit(
        listing_id=entry.listing_id,
        kind=entry.kind,
        title=entry.title,
        industry_code=entry.industry_code,
        region_code=entry.region_code,
        association_id=entry.association_id,
        association_name=entry.association.short_name or entry.association.name,
        published_at=entry.published_at,
        own=False,
        member_uscc=entry.member_uscc,
    )


def _merged(own: list[SearchHit], others: list[SearchHit], limit: int) -> list[SearchHit]:
    """Newest first; an enterprise's same title posted in several chambers once (the
    viewer's own association's copy first)."""
    seen: set[tuple[str, str]] = set()
    hits: list[SearchHit] = []
    oldest = timezone.make_aware(datetime(2000, 1, 1))
    for hit in sorted(own, key=lambda h: h.published_at or oldest, reverse=True) + sorted(
        others, key=lambda h: h.published_at or oldest, reverse=True
    ):
        key = (hit.member_uscc, hit.title)
        if hit.member_uscc and key in seen:
            continue
        seen.add(key)
        hits.append(hit)
    hits.sort(key=lambda h: h.published_at or oldest, reverse=True)
    return hits[:limit]


def _search_words(
    association: Association, filters: NetworkFilters, words: list[str], limit: int
) -> list[SearchHit]:
    own = [
        _own_hit(listing, association) for listing in _own_with_words(association, filters, words)
    ]
    index = _index_with_words(_filtered(reachable_index(association), filters), words)
    entries = index.select_related("association").order_by("-published_at")[: limit * 2]
    return _merged(own, [_index_hit(entry) for entry in entries], limit)


def network_search(
    *, association: Association, filters: NetworkFilters, limit: int = SEARCH_LIMIT
) -> list[SearchHit]:
    """What a member of ``association`` finds for ``filters``: newest first, at most
    ``limit``. No query: the newest listings (with the filters). A query with nothing
    searchable in it ("，，") finds nothing."""
    q = filters.q.strip()
    if not q:
        return _search_words(association, filters, [], limit)
    words = query_words(q)
    if not words:
        return []
    hits = _search_words(association, filters, words, limit)
    if hits:
        return hits
    characters = single_characters(q)
    if characters and characters != words:
        return _search_words(association, filters, characters, limit)
    return []
