"""The business directory by industry (``network:directory``) and an enterprise of another
association (``network:enterprise``): the association's own members that opted in to the
platform showcase, and — when the association joined the network — other associations'
``EnterpriseIndex`` rows; one entry per credit code, the own association's first."""

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Q
from django.http import Http404

from shanghui.associations.models import Association
from shanghui.core.industries import industry_name
from shanghui.core.tenancy import read_inside
from shanghui.members.models import Member
from shanghui.network.models import EnterpriseIndex, EnterpriseWord, ShowcaseItem
from shanghui.network.selectors.search import word_condition
from shanghui.network.services.index import joins_platform
from shanghui.network.services.showcase import SHOWCASE_STATUSES
from shanghui.network.words import query_words

DIRECTORY_LIMIT = 300


@dataclass(frozen=True)
class DirectoryEntry:
    name: str
    industry_code: str
    region_code: str
    products: str
    association_name: str
    uscc: str
    member_id: int | None = None  # the association's own member (its card)
    enterprise_id: int | None = None  # another association's (``network:enterprise``)


@dataclass
class IndustryGroup:
    code: str
    name: str
    entries: list[DirectoryEntry] = field(default_factory=list)


@dataclass(frozen=True)
class EnterpriseView:
    id: int
    name: str
    industry_code: str
    region_code: str
    products: str
    association_name: str
    same_association: bool
    items: list[ShowcaseItem]


def _own(association: Association, industry: str, q: str) -> list[DirectoryEntry]:
    qs = Member.objects.filter(
        association=association,
        network_showcase=True,
        kind=Member.Kind.ENTERPRISE,
        status__in=SHOWCASE_STATUSES,
    )
    if industry:
        qs = qs.filter(industry_code=industry)
    for word in query_words(q):
        qs = qs.filter(Q(name__icontains=word) | Q(main_products__icontains=word))
    name = association.short_name or association.name
    return [
        DirectoryEntry(
            name=member.name,
            industry_code=member.industry_code,
            region_code=member.region_code,
            products=member.main_products,
            association_name=name,
            uscc=member.uscc,
            member_id=member.pk,
        )
        for member in qs.order_by("industry_code", "sort_key")[:DIRECTORY_LIMIT]
    ]


def _others(association: Association, industry: str, q: str) -> list[DirectoryEntry]:
    if not joins_platform(association):
        return []
    qs = EnterpriseIndex.objects.exclude(association=association).filter(
        association__status=Association.Status.ACTIVE
    )
    if industry:
        qs = qs.filter(industry_code=industry)
    for word in query_words(q):
        qs = qs.filter(
            pk__in=EnterpriseWord.objects.filter(word_condition(word)).values("enterprise_id")
        )
    return [
        DirectoryEntry(
            name=entry.name,
            industry_code=entry.industry_code,
            region_code=entry.region_code,
            products=entry.products,
            association_name=entry.association.short_name or entry.association.name,
            uscc=entry.uscc,
            enterprise_id=entry.pk,
        )
        for entry in qs.select_related("association").order_by("industry_code", "name")[
            :DIRECTORY_LIMIT
        ]
    ]


def directory_entries(
    *, association: Association, industry: str = "", q: str = ""
) -> list[DirectoryEntry]:
    """The directory's entries, by industry code then name; one per credit code."""
    seen: set[str] = set()
    entries = []
    for entry in _own(association, industry, q) + _others(association, industry, q):
        if entry.uscc and entry.uscc in seen:
            continue
        seen.add(entry.uscc)
        entries.append(entry)
    entries.sort(key=lambda e: (e.industry_code or "~", e.member_id is None, e.name))
    return entries[:DIRECTORY_LIMIT]


def directory_groups(entries: list[DirectoryEntry]) -> list[IndustryGroup]:
    groups = []
    for code, items in groupby(entries, key=lambda e: e.industry_code):
        groups.append(
            IndustryGroup(code=code, name=industry_name(code) if code else "", entries=list(items))
        )
    return groups


def _items(entry: EnterpriseIndex) -> list[ShowcaseItem]:
    return list(
        ShowcaseItem.objects.filter(association=entry.association, member_id=entry.member_id)
    )


def access_enterprise(*, association: Association, enterprise_id: int) -> EnterpriseView:
    """The indexed enterprise ``enterprise_id`` as a member of ``association`` may see it:
    one of its own association's, or — when it joined the network — another active
    association's; its showcase items read inside that association's scope. 404 otherwise."""
    entry = EnterpriseIndex.objects.filter(pk=enterprise_id).select_related("association").first()
    if entry is None:
        raise Http404
    same = entry.association_id == association.pk
    if not same:
        if entry.association.status != Association.Status.ACTIVE:
            raise Http404
        if not joins_platform(association):
            raise Http404
    if same:
        items = _items(entry)
    else:
        with read_inside(entry.association):
            items = _items(entry)
    return EnterpriseView(
        id=entry.pk,
        name=entry.name,
        industry_code=entry.industry_code,
        region_code=entry.region_code,
        products=entry.products,
        association_name=entry.association.short_name or entry.association.name,
        same_association=same,
        items=items,
    )
