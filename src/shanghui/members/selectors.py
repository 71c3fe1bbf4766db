"""Reading members: the directory search and single-member lookups."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Count, Prefetch, Q, QuerySet, Window
from django.http import Http404

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.cache_versions import cached
from shanghui.core.chinese import SEARCH_TOKEN_LENGTH, normalize_query, phone_token, token_range
from shanghui.core.http import id_or_404, whole_number
from shanghui.core.industries import divisions, get_industry
from shanghui.core.ratelimit import rate_hit
from shanghui.core.regions import get_region
from shanghui.members.models import (
    Level,
    Member,
    MemberSearchToken,
    Person,
    PersonSearchToken,
    Representative,
)
from shanghui.members.presenters import RepresentativeRow

# Fewer digits would find a large share of all phone numbers: no lookup by phone then.
PHONE_SUFFIX_MIN = 4
# Members everyone in the association can see in the directory.
LISTED_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS, Member.Status.EXPIRED)

# The kinds of data whose cached reads (``core.cache_versions``) the services that change them
# invalidate: members (created, edited, imported, their status), membership levels, committees
# (org's services bump this one).
MEMBERS_VERSION = "members"
LEVELS_VERSION = "levels"
COMMITTEES_VERSION = "committees"


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
    committee: str = ""


def member_search(
    *, association: Association, filters: MemberFilters, directory: bool
) -> QuerySet[Member]:
    """Members of ``association`` matching ``filters``, in pinyin order.

    ``q`` matches the member's or a representative's name in Simplified or Traditional
    characters or initials (any part, one character included) or full pinyin (from the start
    of any syllable: "zhijun" finds 龚志军, "hijun" does not), a unified social credit code
    (whole, or its beginning), or a representative's phone number (see ``phone_tails`` of
    ``matching_member_ids``).
    ``directory=True`` is the members' directory: members in good standing only, and a phone
    matches only as the whole number of a person who shows it to members. Otherwise (the
    secretariat's lists, its API and exports) the last four or more digits of any phone."""
    qs = Member.objects.filter(association=association)
    if directory:
        qs = qs.filter(status__in=LISTED_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.industry:
        qs = qs.filter(industry_code__in=_industry_codes(filters.industry))
    if filters.hometown:
        qs = qs.filter(hometown_code__startswith=filters.hometown.rstrip("0") or "-")
    if filters.region:
        qs = qs.filter(region_code__startswith=filters.region.rstrip("0") or "-")
    if (level_id := whole_number(filters.level)) is not None:
        qs = qs.filter(level_id=level_id)
    if len(filters.joined_year) == 4 and (year := whole_number(filters.joined_year)) is not None:
        qs = qs.filter(joined_on__year=year)
    if (committee_id := whole_number(filters.committee)) is not None:
        # Members whose representative or contact sits on the committee (none without org).
        facet = committee_facet()
        qs = (
            qs.filter(id__in=facet.member_ids(association, committee_id))
            if facet is not None
            else qs.none()
        )
    needle = normalize_query(filters.q)
    if needle:
        qs = qs.filter(
            id__in=matching_member_ids(
                association=association, needle=needle, phone_tails=not directory
            )
        )
    elif filters.q.strip():  # only characters no name holds ("_"): nothing, not everyone
        qs = qs.none()
    return qs.order_by("sort_key", "id")


class CountedSearch:
    """A page of a member search (``q`` given) and the number of all its matches, from one
    statement: ``COUNT(*) OVER ()`` beside the ids of the page. A count apart re-ran the whole
    match — the union of the search tokens, the representatives and the members — once more
    than the page did: 55 ms of database time for a common surname (刘, ~2,000 matches in
    23,000 members). The page's rows are then loaded by their ids, with representatives.

    Stands in for the queryset where a paginator takes one: slicing (``qs[a:b]``) and
    ``count()``. Whichever comes first runs the one statement — slicing knows its page;
    ``count()`` first (Django's ``Paginator``) uses ``page``, the slice the caller expects.
    A page past the end has no row to carry the count: then, and for any other slice, the
    queryset's own ``count()`` and slicing answer, as before."""

    def __init__(
        self,
        qs: QuerySet[Member],
        *,
        association: Association,
        page: slice | None = None,
        only: tuple[str, ...] = (),
    ) -> None:
        self.qs = qs
        self.association = association
        self.page = page
        self.only = only
        self._total: int | None = None
        self._ids: dict[tuple[int, int], list[int]] = {}

    def _run(self, start: int, stop: int) -> list[int]:
        if (start, stop) not in self._ids:
            rows = list(
                self.qs.annotate(matches=Window(Count("id"))).values_list("id", "matches")[
                    start:stop
                ]
            )
            self._ids[(start, stop)] = [pk for pk, _matches in rows]
            if rows:
                self._total = rows[0][1]
        return self._ids[(start, stop)]

    def count(self) -> int:
        if self._total is None and self.page is not None:
            self._run(self.page.start or 0, self.page.stop)
        if self._total is None:
            self._total = self.qs.count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Member]:
        return iter(self.qs)

    @overload
    def __getitem__(self, item: int) -> Member: ...

    @overload
    def __getitem__(self, item: slice) -> list[Member]: ...

    def __getitem__(self, item: int | slice) -> Member | list[Member]:
        if isinstance(item, int):
            return self.qs[item]
        if item.step is not None or item.stop is None:
            return list(self.qs[item])
        start = item.start or 0
        ids = next(
            (
                # The paginator's last page stops at the count: the expected page holds it.
                found[: item.stop - start]
                for (first, stop), found in self._ids.items()
                if first == start and (stop >= item.stop or len(found) < stop - first)
            ),
            None,
        )
        if ids is None:
            ids = self._run(start, item.stop)
        rows = Member.objects.filter(association=self.association, id__in=ids)
        found = (rows.only(*self.only) if self.only else rows.select_related("level")).in_bulk()
        return [found[pk] for pk in ids if pk in found]


def member_page_source(
    qs: QuerySet[Member],
    *,
    association: Association,
    filters: MemberFilters,
    page: slice | None = None,
    only: tuple[str, ...] = (),
) -> "QuerySet[Member] | CountedSearch":
    """What a list of members pages through: for a search, ``CountedSearch`` (the count
    rides on the page's statement); otherwise the queryset — there the count is an
    index-only count and the page a walk of the order's index, which a count over the window
    would forgo. Levels come with the rows, unless ``only`` names the fields a page shows
    (the back office's list reads no introduction, address or level); the representatives
    of the page are read by ``page_representatives``."""
    if normalize_query(filters.q):
        return CountedSearch(qs, association=association, page=page, only=only)
    return qs.only(*only) if only else qs.select_related("level")


def page_representatives(
    *, association: Association, member_ids: list[int]
) -> dict[int, list[RepresentativeRow]]:
    """The representatives and contacts of a page of members, by member, in the order they
    were added: one statement of plain values (models and the prefetch's per-row managers
    cost ~1.5 ms a page of 20)."""
    found: dict[int, list[RepresentativeRow]] = {}
    rows = (
        Representative.objects.filter(association=association, member_id__in=member_ids)
        .order_by("id")
        .values_list(
            "member_id",
            "id",
            "kind",
            "title",
            "person__name",
            "person__phone",
            "person__show_phone",
            "person__user_id",
            "person__photo",
        )
    )
    for member_id, pk, kind, title, name, phone, show_phone, user_id, photo_id in rows:
        found.setdefault(member_id, []).append(
            RepresentativeRow(pk, kind, title, name, phone, show_phone, user_id, photo_id)
        )
    return found


def directory_search_count(*, user_id: int, filters: MemberFilters) -> None:
    """Counts one search of the members' directory (page or API) by the person ``user_id``
    against ``directory_search`` (a minute's) and ``directory_search_daily``, and raises
    ``RateLimited`` past either: scraping the directory, or walking it by guessed queries,
    takes more searches than a person makes. Browsing without ``q`` (the list, its pages, the
    A–Z index, the filters) is not counted: it matches no phone and lists what scrolling
    would."""
    if normalize_query(filters.q):
        rate_hit("directory_search", str(user_id))
        rate_hit("directory_search_daily", str(user_id))


def _industry_codes(code: str) -> list[str]:
    """A section letter stands for itself and all its divisions; a division for itself."""
    return [code, *(division.code for division in divisions(code))]


def matching_member_ids(
    *, association: Association, needle: str, phone_tails: bool
) -> QuerySet[Any, Any]:
    """Ids of ``association``'s members whose name, credit code or a representative's name or
    phone matches ``needle`` (already ``normalize_query``-ed) — the one search every list of
    members uses (the directory, the back office, dues bills and arrears, registrants).

    Phones: with ``phone_tails`` (the secretariat, who may see every number) the last
    ``PHONE_SUFFIX_MIN`` or more digits of any representative's phone match. Without (members)
    only the whole number matches, and only for a person who chose to show it to members
    (``Person.show_phone``, the rule that unmasks it on their card): a hidden number is found
    neither by its tail — "131****6851" plus one guessed digit at a time gave the whole number
    in 14 searches — nor by a guess of the whole of it."""
    # Through the search tokens (members.search_index): a substring of a name's forms is the
    # beginning of one of its tokens, so each side is one range of the tokens' primary key —
    # ">=" and "<" on text, which PostgreSQL applies as index conditions even under row-level
    # security (LIKE and GIN operators are not leakproof, so they would read the association's
    # whole slice). A needle longer than a token is looked up by its beginning and confirmed
    # on the few candidates. The matching members are one UNION, so that the planner can start
    # from the matches (a rare needle) or walk the directory order (a frequent one).
    low, high = token_range(needle)
    keys = Q(key__gte=low) & (Q(key__lt=high) if high is not None else Q())
    members: QuerySet[Any, Any] = MemberSearchToken.objects.filter(
        keys, association=association
    ).values("member_id")
    people: QuerySet[Any, Any] = PersonSearchToken.objects.filter(
        keys, association=association
    ).values("person_id")
    if len(needle) > SEARCH_TOKEN_LENGTH:
        members = Member.objects.filter(
            Q(search_text__contains=needle) | Q(uscc=needle.upper()),
            association=association,
            id__in=members,
        ).values("id")
        people = Person.objects.filter(
            association=association, id__in=people, search_text__contains=needle
        ).values("id")
    elif needle.isdigit() and len(needle) >= PHONE_SUFFIX_MIN and phone_tails:
        low, high = token_range(phone_token(needle))  # the last digits of a phone number
        people = PersonSearchToken.objects.filter(
            keys | Q(key__gte=low, key__lt=high), association=association
        ).values("person_id")
    represented = Representative.objects.filter(
        association=association, person_id__in=people
    ).values("member_id")
    if needle.isdigit() and not phone_tails:
        # By the person's phone itself (indexed with the association), not by the tokens.
        shown = Representative.objects.filter(
            association=association,
            person__association=association,
            person__phone=needle,
            person__show_phone=True,
        ).values("member_id")
        return members.union(represented, shown)
    return members.union(represented)


def with_representatives(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.select_related("level").prefetch_related(
        Prefetch(
            "representatives",
            queryset=Representative.objects.select_related("person").order_by("id"),
        )
    )


def my_members(*, association: Association, user_id: int) -> QuerySet[Member]:
    """The members ``user_id`` represents in ``association`` (through their live
    representations), with representatives loaded: what their 我的名片 shows."""
    return with_representatives(
        Member.objects.filter(
            association=association,
            representatives__person__user_id=user_id,
            representatives__deleted_at__isnull=True,
        ).distinct()
    )


def access_level(*, association: Association, level_id: object) -> Level:
    """One membership level of ``association`` by an id from a form or a URL; the same 404
    for a malformed id, a missing one and another association's."""
    level = Level.objects.filter(association=association, pk=id_or_404(level_id)).first()
    if level is None:
        raise Http404
    return level


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


def access_member_card(*, association: Association, role: Role, member_id: int) -> Member:
    """The member whose card (and pictures) ``role`` may open: members see members in good
    standing, the secretariat everyone on file. 404 otherwise, and for another association's
    id."""
    return access_member(
        association=association,
        member_id=member_id,
        directory=not has_perm(role, Perm.MANAGE_MEMBERS),
    )


@dataclass(frozen=True)
class FilterChoice:
    value: str
    label: str


@dataclass(frozen=True)
class CommitteeFacet:
    """Filtering member lists by committee (``MemberFilters.committee``). Committees belong to
    org, a floor above members: org registers this from its ``AppConfig.ready``
    (``register_committee_facet``), so members names neither its models nor its relations."""

    # The association's committees, as filter choices.
    choices: Callable[[Association], list[FilterChoice]]
    # ``member_id`` values of the members whose representative or contact sits on a committee
    # of the association (a subquery; nothing for another association's committee).
    member_ids: Callable[[Association, int], QuerySet[Any]]


_committee_facet: list[CommitteeFacet] = []


def register_committee_facet(facet: CommitteeFacet) -> None:
    """Called once at start-up; a second registration replaces the first."""
    _committee_facet[:] = [facet]


def committee_facet() -> CommitteeFacet | None:
    return _committee_facet[0] if _committee_facet else None


@dataclass(frozen=True)
class FilterChoices:
    """What the directory and the back-office list offer to filter by: only values that occur
    among the association's members, so no choice leads to an empty list by construction."""

    levels: list[FilterChoice]
    committees: list[FilterChoice]
    hometowns: list[FilterChoice]
    regions: list[FilterChoice]
    industries: list[FilterChoice]


def _prefectures(codes: list[str]) -> list[FilterChoice]:
    """Region codes grouped at prefecture level (江西省赣州市 for 于都县), in code order."""
    prefectures: dict[str, str] = {}
    for code in codes:
        region = get_region(code)
        while region is not None and region.level > 2 and region.parent_code:
            region = get_region(region.parent_code)
        if region is not None:
            parent = get_region(region.parent_code) if region.parent_code else None
            label = f"{parent.name}{region.name}" if parent else region.name
            prefectures[region.code] = label
    return [FilterChoice(code, label) for code, label in sorted(prefectures.items())]


def filter_choices(*, association: Association) -> FilterChoices:
    """The association's ``FilterChoices``, cached until a member, a level or a committee of it
    changes (``core.cache_versions``): worked out afresh they cost three ``SELECT DISTINCT``
    over all its members — 30 ms with 23,000 of them, on every page of the lists."""
    return cached(
        association.pk,
        (MEMBERS_VERSION, LEVELS_VERSION, COMMITTEES_VERSION),
        "members.filter_choices",
        lambda: _filter_choices(association),
    )


def _filter_choices(association: Association) -> FilterChoices:
    members = Member.objects.filter(association=association)

    def distinct(field: str) -> list[str]:
        return [
            code
            for code in members.exclude(**{field: ""}).values_list(field, flat=True).distinct()
            if code
        ]

    sections = sorted(
        {
            industry.section
            for code in distinct("industry_code")
            if (industry := get_industry(code)) is not None
        }
    )
    return FilterChoices(
        levels=[
            FilterChoice(str(level.pk), level.name)
            for level in Level.objects.filter(association=association, is_active=True)
        ],
        committees=facet.choices(association) if (facet := committee_facet()) else [],
        hometowns=_prefectures(distinct("hometown_code")),
        regions=_prefectures(distinct("region_code")),
        industries=[
            FilterChoice(section, industry.name)
            for section in sections
            if (industry := get_industry(section)) is not None
        ],
    )


def first_contacts(
    *, association: Association, member_ids: list[int]
) -> dict[int, tuple[str, str]]:
    """Each member's (name, phone) as exports list them: its first representative, or its
    first contact when it has no representative. One query, plain values."""
    found: dict[int, tuple[str, str, str]] = {}
    reps = Representative.objects.filter(association=association, member_id__in=member_ids)
    for member_id, kind, name, phone in reps.order_by("id").values_list(
        "member_id", "kind", "person__name", "person__phone"
    ):
        current = found.get(member_id)
        if current is None or (
            kind == Representative.Kind.REPRESENTATIVE
            and current[0] != Representative.Kind.REPRESENTATIVE
        ):
            found[member_id] = (kind, name, phone)
    return {member_id: (name, phone) for member_id, (_kind, name, phone) in found.items()}


SHOWN_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)


def showcase_members(*, association: Association) -> QuerySet[Member]:
    """The enterprise members shown on the public site (``Member.showcase``), in pinyin
    order: only those in good standing, and only their public fields are for showing."""
    return Member.objects.filter(
        association=association,
        showcase=True,
        kind=Member.Kind.ENTERPRISE,
        status__in=SHOWN_STATUSES,
    ).order_by("sort_key", "id")
