"""Reading members: the directory search and single-member lookups."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from shanghui.associations.models import Association
from shanghui.core.chinese import normalize_query
from shanghui.members.models import Member, Person, Representative

# Members everyone in the association can see in the directory.
LISTED_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS, Member.Status.EXPIRED)


@dataclass(frozen=True)
class MemberFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    industry: str = ""
    hometown: str = ""
    region: str = ""
    level: str = ""
    joined_year: str = ""


def member_search(
    *, association: Association, filters: MemberFilters, directory: bool
) -> QuerySet[Member]:
    """Members of ``association`` matching ``filters``, in pinyin order.

    ``q`` matches the member's or a representative's name in Simplified or Traditional
    characters, full pinyin or initials (any length, one character included), a unified social
    credit code, or the last four or more digits of a representative's phone number.
    ``directory=True`` limits the result to members in good standing."""
    qs = Member.objects.filter(association=association)
    if directory:
        qs = qs.filter(status__in=LISTED_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry:
        qs = qs.filter(industry_code=filters.industry)
    if filters.hometown:
        qs = qs.filter(hometown_code__startswith=filters.hometown.rstrip("0") or "-")
    if filters.region:
        qs = qs.filter(region_code__startswith=filters.region.rstrip("0") or "-")
    if filters.level.isdigit():
        qs = qs.filter(level_id=int(filters.level))
    if filters.joined_year.isdigit() and len(filters.joined_year) == 4:
        qs = qs.filter(joined_on__year=int(filters.joined_year))
    needle = normalize_query(filters.q)
    if needle:
        qs = qs.filter(_match(association, needle))
    return qs.order_by("sort_key", "id")


def _match(association: Association, needle: str) -> Q:
    condition = Q(search_text__contains=needle)
    people = Person.objects.filter(association=association, search_text__contains=needle)
    if needle.isdigit() and len(needle) >= 4:
        people = Person.objects.filter(association=association).filter(
            Q(search_text__contains=needle) | Q(phone__endswith=needle)
        )
    if len(needle) == 18 and needle.isalnum():
        condition |= Q(uscc=needle.upper())
    represented = Representative.objects.filter(association=association, person__in=people).values(
        "member_id"
    )
    return condition | Q(id__in=represented)


def with_representatives(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.prefetch_related(
        Prefetch(
            "representatives",
            queryset=Representative.objects.select_related("person").order_by("id"),
        )
    )


def access_member(*, association: Association, member_id: int, directory: bool) -> Member:
    """One member of ``association``; 404 for a missing id, another association's id, or (in
    the directory) a member not in good standing."""
    qs = Member.objects.filter(association=association, pk=member_id)
    if directory:
        qs = qs.filter(status__in=LISTED_STATUSES)
    member = with_representatives(qs).first()
    if member is None:
        raise Http404
    return member
