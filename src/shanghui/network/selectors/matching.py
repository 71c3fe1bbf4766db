"""Match suggestions for a member's own listing (``network:matches``): listings of the
opposite kind and member enterprises that opted in, ranked by industry, region (same city =
first 4 digits of the region code, same province = first 2) and shared keywords, each with
its reasons ("同行业 · 同城 · 关键词: 钢材"). Other associations' listings come from the
index rows that reach the poster's association; other associations' enterprises from
``EnterpriseIndex`` when the association joined the network; the association's own members
that opted in from its own rows. Enterprises appear once per credit code."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.industries import get_industry
from shanghui.members.models import Member
from shanghui.members.selectors import my_members
from shanghui.network.models import (
    EnterpriseIndex,
    EnterpriseWord,
    Listing,
    ListingKind,
    ListingWord,
)
from shanghui.network.selectors.search import reachable_index
from shanghui.network.services.index import joins_platform
from shanghui.network.words import document_words, is_reading

MAX_KEYWORDS = 20
CANDIDATES = 300
LISTINGS_SHOWN = 20
ENTERPRISES_SHOWN = 10
SHOWCASE_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)


@dataclass
class Match:
    """One suggestion: a listing (``listing_id``) or an enterprise (``enterprise_id`` for
    another association's, ``member_id`` for one of the association's own members)."""

    title: str
    industry_code: str
    region_code: str
    association_name: str
    score: int = 0
    same_industry: bool = False
    related_industry: bool = False
    same_city: bool = False
    same_province: bool = False
    keywords: list[str] = field(default_factory=list)
    listing_id: int | None = None
    kind: str = ""
    enterprise_id: int | None = None
    member_id: int | None = None
    uscc: str = ""
    published_at: datetime | None = None
    own: bool = False

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.same_industry:
            reasons.append(_("同行业"))
        elif self.related_industry:
            reasons.append(_("相关行业"))
        if self.same_city:
            reasons.append(_("同城"))
        elif self.same_province:
            reasons.append(_("同省"))
        if self.keywords:
            reasons.append(_("关键词: %(words)s") % {"words": "、".join(self.keywords[:3])})
        return reasons

    @property
    def reasons_text(self) -> str:
        return " · ".join(self.reasons)


@dataclass
class MatchSuggestions:
    listing: Listing
    listings: list[Match]
    enterprises: list[Match]


def keywords_of(title: str, body: str = "") -> list[str]:
    """The words worth sharing: Chinese words of two characters or more and codes (Q235),
    not pinyin readings nor single characters; the longest first."""
    words = [word for word in document_words(title, body) if len(word) > 1 and not is_reading(word)]
    return sorted(words, key=lambda w: (-len(w), w))[:MAX_KEYWORDS]


def access_own_listing(*, association: Association, user_id: int, listing_id: int) -> Listing:
    """The listing ``listing_id`` of ``association`` that ``user_id`` posted or whose
    enterprise they represent; anything else is 404."""
    listing = (
        Listing.objects.filter(association=association, pk=listing_id)
        .select_related("member")
        .first()
    )
    if listing is None:
        raise Http404
    if listing.poster_id == user_id:
        return listing
    if my_members(association=association, user_id=user_id).filter(pk=listing.member_id).exists():
        return listing
    raise Http404


@lru_cache(maxsize=256)
def _section(code: str) -> str:
    industry = get_industry(code) if code else None
    return industry.section if industry is not None else ""


def _score(match: Match, listing: Listing, shared: list[str]) -> Match:
    if match.industry_code and match.industry_code == listing.industry_code:
        match.same_industry = True
        match.score += 4
    else:
        mine = _section(listing.industry_code)
        if mine and mine == _section(match.industry_code):
            match.related_industry = True
            match.score += 1
    region = listing.region_code
    if match.region_code and region:
        if match.region_code[:4] == region[:4]:
            match.same_city = True
            match.score += 2
        elif match.region_code[:2] == region[:2]:
            match.same_province = True
            match.score += 1
    match.keywords = shared
    match.score += 2 * min(len(shared), 3)
    return match


def _relevant(match: Match) -> bool:
    return match.same_industry or bool(match.keywords)


def _ranked(matches: list[Match], limit: int) -> list[Match]:
    oldest = timezone.make_aware(datetime(2000, 1, 1))
    kept = [match for match in matches if _relevant(match)]
    kept.sort(key=lambda m: (m.score, m.own, m.published_at or oldest), reverse=True)
    return kept[:limit]


def _shared(words: list[str], candidate: set[str]) -> list[str]:
    """The shared words, longest first, without those inside a longer one (jieba's search
    mode gives 不锈钢管, 不锈钢 and 不锈: one keyword, not three)."""
    kept: list[str] = []
    for word in words:  # longest first already
        if word in candidate and not any(word in longer for longer in kept):
            kept.append(word)
    return kept


def _own_listing_matches(
    association: Association, listing: Listing, opposite: str, words: list[str]
) -> list[Match]:
    related = Q(industry_code=listing.industry_code)
    for word in words[:5]:
        related |= Q(title__icontains=word)
    qs = (
        Listing.objects.filter(
            related,
            association=association,
            kind=opposite,
            status=Listing.Status.PUBLISHED,
            valid_until__gte=timezone.localdate(),
        )
        .exclude(member_id=listing.member_id)
        .select_related("member")
        .order_by("-published_at")[:CANDIDATES]
    )
    name = association.short_name or association.name
    matches = []
    for other in qs:
        keys = document_words(other.title, other.body)
        match = Match(
            title=other.title,
            industry_code=other.industry_code,
            region_code=other.region_code,
            association_name=name,
            listing_id=other.pk,
            kind=other.kind,
            uscc=other.member.uscc,
            published_at=other.published_at,
            own=True,
        )
        matches.append(_score(match, listing, _shared(words, keys)))
    return matches


def _index_listing_matches(
    association: Association, listing: Listing, opposite: str, words: list[str], uscc: str
) -> list[Match]:
    reachable = reachable_index(association).filter(kind=opposite)
    if uscc:
        reachable = reachable.exclude(member_uscc=uscc)
    by_industry = list(
        reachable.filter(industry_code=listing.industry_code)
        .order_by("-published_at")
        .values_list("listing_id", flat=True)[:CANDIDATES]
    )
    by_words: list[int] = []
    if words:
        by_words = list(
            reachable.filter(
                listing_id__in=ListingWord.objects.filter(word__in=words).values("listing_id")
            )
            .order_by("-published_at")
            .values_list("listing_id", flat=True)[:CANDIDATES]
        )
    ids = set(by_industry) | set(by_words)
    if not ids:
        return []
    shared: dict[int, set[str]] = defaultdict(set)
    if words:
        for listing_id, word in ListingWord.objects.filter(
            listing_id__in=ids, word__in=words
        ).values_list("listing_id", "word"):
            shared[listing_id].add(word)
    matches = []
    rows = reachable.filter(listing_id__in=ids).values_list(
        "listing_id",
        "title",
        "industry_code",
        "region_code",
        "association__short_name",
        "association__name",
        "member_uscc",
        "published_at",
        "kind",
    )
    for listing_id, title, industry, region, short, name, member_uscc, published, kind in rows:
        match = Match(
            title=title,
            industry_code=industry,
            region_code=region,
            association_name=short or name,
            listing_id=listing_id,
            kind=kind,
            uscc=member_uscc,
            published_at=published,
        )
        matches.append(_score(match, listing, _shared(words, shared[listing_id])))
    return matches


def _own_enterprise_matches(
    association: Association, listing: Listing, words: list[str]
) -> list[Match]:
    related = Q(industry_code=listing.industry_code)
    for word in words[:5]:
        related |= Q(main_products__icontains=word) | Q(name__icontains=word)
    qs = (
        Member.objects.filter(
            related,
            association=association,
            network_showcase=True,
            kind=Member.Kind.ENTERPRISE,
            status__in=SHOWCASE_STATUSES,
        )
        .exclude(pk=listing.member_id)
        .only("id", "name", "uscc", "industry_code", "region_code", "main_products")[:CANDIDATES]
    )
    name = association.short_name or association.name
    matches = []
    for member in qs:
        keys = document_words(f"{member.name} {member.main_products}")
        match = Match(
            title=member.name,
            industry_code=member.industry_code,
            region_code=member.region_code,
            association_name=name,
            member_id=member.pk,
            uscc=member.uscc,
            own=True,
        )
        matches.append(_score(match, listing, _shared(words, keys)))
    return matches


def _index_enterprise_matches(
    association: Association, listing: Listing, words: list[str], uscc: str
) -> list[Match]:
    if not joins_platform(association):
        return []
    entries = EnterpriseIndex.objects.exclude(association=association).filter(
        association__status=Association.Status.ACTIVE
    )
    if uscc:
        entries = entries.exclude(uscc=uscc)
    ids = set(
        entries.filter(industry_code=listing.industry_code)
        .order_by("-updated_at")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    shared: dict[int, set[str]] = defaultdict(set)
    if words:
        for enterprise_id, word in EnterpriseWord.objects.filter(
            word__in=words, enterprise__in=entries
        ).values_list("enterprise_id", "word")[: CANDIDATES * 2]:
            shared[enterprise_id].add(word)
        ids |= set(shared)
    matches = []
    rows = entries.filter(pk__in=ids).values_list(
        "pk",
        "name",
        "industry_code",
        "region_code",
        "association__short_name",
        "association__name",
        "uscc",
        "updated_at",
    )
    for pk, name, industry, region, short, full, uscc, updated in rows:
        match = Match(
            title=name,
            industry_code=industry,
            region_code=region,
            association_name=short or full,
            enterprise_id=pk,
            uscc=uscc,
            published_at=updated,
        )
        matches.append(_score(match, listing, _shared(words, shared[pk])))
    return matches


def _once_per_uscc(matches: list[Match], *, by_title: bool) -> list[Match]:
    """The first (best-ranked) of the same enterprise — for listings, of the same enterprise
    with the same title."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for match in matches:
        key = (match.uscc, match.title if by_title else "")
        if match.uscc and key in seen:
            continue
        seen.add(key)
        kept.append(match)
    return kept


def match_suggestions(*, association: Association, listing: Listing) -> MatchSuggestions:
    """Ranked suggestions for ``listing`` (the caller checked it is the viewer's own —
    ``access_own_listing``): opposite-kind listings and enterprises. Never the poster's own
    enterprise."""
    opposite = ListingKind.NEED if listing.kind == ListingKind.OFFER else ListingKind.OFFER
    words = keywords_of(listing.title, listing.body)
    uscc = listing.member.uscc
    listings = _own_listing_matches(association, listing, opposite, words)
    listings += _index_listing_matches(association, listing, opposite, words, uscc)
    enterprises = _own_enterprise_matches(association, listing, words)
    enterprises += _index_enterprise_matches(association, listing, words, uscc)
    ranked_listings = _once_per_uscc(_ranked(listings, LISTINGS_SHOWN * 2), by_title=True)
    ranked_enterprises = _once_per_uscc(_ranked(enterprises, ENTERPRISES_SHOWN * 3), by_title=False)
    return MatchSuggestions(
        listing=listing,
        listings=ranked_listings[:LISTINGS_SHOWN],
        enterprises=[m for m in ranked_enterprises if not uscc or m.uscc != uscc][
            :ENTERPRISES_SHOWN
        ],
    )
