"""Reading the organisation structure, and the access helpers every id from a URL, a form or
an API body goes through. An id in the URL that is missing or another association's is the
same 404; an id inside submitted data is a field error ("未找到") that says no more.
The recycle bin (deleted rows and access to them) is ``org.recycle_bin``."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.phone import normalize_mobile
from shanghui.core.tenancy import read_inside
from shanghui.members.models import Member, Person, Representative
from shanghui.members.selectors import LISTED_STATUSES, FilterChoice
from shanghui.members.services.members import person_for_role_holder
from shanghui.org.models import (
    Appointment,
    Branch,
    Committee,
    CommitteeMembership,
    FigureSharingConsent,
    GroupMember,
    OrgSettings,
    Post,
    Term,
)

# --- The committee filter of the member lists (``members.selectors.CommitteeFacet``) ---------


def committee_choices(association: Association) -> list[FilterChoice]:
    """The association's committees, as choices of the member lists' committee filter."""
    return [
        FilterChoice(str(committee.pk), committee.name)
        for committee in Committee.objects.filter(association=association)
    ]


def committee_member_ids(association: Association, committee_id: int) -> QuerySet[Any]:
    """``member_id`` of the members whose representative or contact sits on the committee
    (a subquery for the member lists' committee filter)."""
    people = CommitteeMembership.objects.filter(
        association=association, committee_id=committee_id, deleted_at__isnull=True
    ).values("person_id")
    return Representative.objects.filter(association=association, person_id__in=people).values(
        "member_id"
    )


# --- Access by URL id: 404 for missing and foreign alike -------------------------------------


def access_term(*, association: Association, term_id: int) -> Term:
    term = Term.objects.filter(association=association, pk=term_id).first()
    if term is None:
        raise Http404
    return term


def access_post(*, association: Association, post_id: int) -> Post:
    post = Post.objects.filter(association=association, pk=post_id).first()
    if post is None:
        raise Http404
    return post


def access_appointment(*, association: Association, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.filter(association=association, pk=appointment_id)
        .select_related("term", "post", "person", "member")
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def access_committee(*, association: Association, committee_id: int) -> Committee:
    committee = Committee.objects.filter(association=association, pk=committee_id).first()
    if committee is None:
        raise Http404
    return committee


def access_membership(
    *, association: Association, committee: Committee, membership_id: int
) -> CommitteeMembership:
    """A membership of ``committee`` (so a membership id under another committee is a 404)."""
    membership = (
        CommitteeMembership.objects.filter(
            association=association, committee=committee, pk=membership_id
        )
        .select_related("committee", "person")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def access_branch(*, association: Association, branch_id: int) -> Branch:
    branch = (
        Branch.objects.filter(association=association, pk=branch_id)
        .select_related("leader")
        .first()
    )
    if branch is None:
        raise Http404
    return branch


def access_group_member(*, association: Association, group_member_id: int) -> GroupMember:
    group = (
        GroupMember.objects.filter(association=association, pk=group_member_id)
        .select_related("linked_association")
        .first()
    )
    if group is None:
        raise Http404
    return group


# --- References inside submitted data: a field error ----------------------------------------


def post_ref(*, association: Association, post_id: int, field: str = "post_id") -> Post:
    post = Post.objects.filter(association=association, pk=post_id).first()
    if post is None:
        raise ValidationError({field: _("未找到该职务")})
    return post


def person_ref(*, association: Association, person_id: int, field: str = "person_id") -> Person:
    person = Person.objects.filter(association=association, pk=person_id).first()
    if person is None:
        raise ValidationError({field: _("未找到该人员")})
    return person


def member_ref(*, association: Association, member_id: int, field: str = "member_id") -> Member:
    member = Member.objects.filter(association=association, pk=member_id).first()
    if member is None:
        raise ValidationError({field: _("未找到该会员")})
    return member


def find_person(*, association: Association, text: str, field: str = "person") -> Person:
    """The one person of ``association`` with this mobile number or exact name (the back
    office's forms name people this way). Several people of that name: ask for the number."""
    text = text.strip()
    if not text:
        raise ValidationError({field: _("请填写姓名或手机号")})
    qs = Person.objects.filter(association=association)
    try:
        phone = normalize_mobile(text)
    except ValidationError:
        people = list(qs.filter(name=text).order_by("id")[:2])
    else:
        people = list(qs.filter(phone=phone).order_by("id")[:2])
        staff = None if people else person_for_role_holder(association=association, phone=phone)
        people = [staff] if staff else people
    if not people:
        raise ValidationError(
            {
                field: _("未找到“%(text)s”，请先在会员管理中添加，或填写工作人员的手机号")
                % {"text": text}
            }
        )
    if len(people) > 1:
        raise ValidationError({field: _("有多位“%(text)s”，请改填手机号") % {"text": text}})
    return people[0]


def find_member(*, association: Association, text: str, field: str = "member") -> Member | None:
    """The member with this member number or exact name; None for an empty text."""
    text = text.strip()
    if not text:
        return None
    member = (
        Member.objects.filter(association=association)
        .filter(Q(member_no=text) | Q(name=text))
        .order_by("id")
        .first()
    )
    if member is None:
        raise ValidationError({field: _("未找到会员“%(text)s”") % {"text": text}})
    return member


def find_association(*, text: str, field: str, required: bool = False) -> Association | None:
    """An association on the platform by its full name or its web id (slug); None for an
    empty text unless ``required``. The platform's list of associations is public."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationError({field: _("请填写商协会的全称或网址标识")})
        return None
    found = (
        Association.objects.filter(Q(name=text) | Q(slug=text.lower()))
        .filter(status__in=[Association.Status.ACTIVE, Association.Status.SUSPENDED])
        .first()
    )
    if found is None:
        raise ValidationError({field: _("平台上没有“%(text)s”") % {"text": text}})
    return found


# --- Terms, posts and appointments ----------------------------------------------------------


def terms(*, association: Association) -> QuerySet[Term]:
    return Term.objects.filter(association=association).order_by("-number", "-id")


def current_term(*, association: Association) -> Term | None:
    return Term.objects.filter(association=association, is_current=True).first()


def posts(*, association: Association) -> QuerySet[Post]:
    return Post.objects.filter(association=association).order_by("sort_order", "id")


def running(qs: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Appointments not yet ended (no end date, or one still ahead)."""
    return qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))


def appointments(
    *,
    association: Association,
    term: Term | None = None,
    post: Post | None = None,
    running_only: bool = False,
) -> QuerySet[Appointment]:
    qs: QuerySet[Appointment] = Appointment.objects.filter(association=association)
    if term is not None:
        qs = qs.filter(term=term)
    if post is not None:
        qs = qs.filter(post=post)
    if running_only:
        qs = running(qs)
    return qs.select_related("term", "post", "person", "member").order_by(
        "term__number", "post__sort_order", "post_id", "person__sort_key", "id"
    )


@dataclass
class PostHolders:
    post: Post
    appointments: list[Appointment] = field(default_factory=list)


def term_roster(
    *, association: Association, term: Term, running_only: bool = True
) -> list[PostHolders]:
    """Every post in order with the term's appointments to it (an empty list: vacant)."""
    roster = {post.pk: PostHolders(post) for post in posts(association=association)}
    for appointment in appointments(association=association, term=term, running_only=running_only):
        roster[appointment.post_id].appointments.append(appointment)
    return list(roster.values())


def post_running_counts(*, association: Association, term: Term) -> dict[int, int]:
    """Running appointments per post in ``term`` (for choosing what a 换届 carries over)."""
    counts: dict[int, int] = {}
    for post_id in running(
        Appointment.objects.filter(association=association, term=term)
    ).values_list("post_id", flat=True):
        counts[post_id] = counts.get(post_id, 0) + 1
    return counts


# --- Committees, branches, group members ----------------------------------------------------


def dashboard_figures(association: Association) -> dict[str, int]:
    """The organisation's figures on the back office's 工作台
    (``core.contributions.DASHBOARD``): how many committees and group members it has."""
    return {
        "committee_count": Committee.objects.filter(association=association).count(),
        "group_member_count": GroupMember.objects.filter(association=association).count(),
    }


ROLE_ORDER = Case(
    When(role=CommitteeMembership.Role.CHAIR, then=Value(0)),
    When(role=CommitteeMembership.Role.VICE_CHAIR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def committee_memberships(
    *, association: Association, committee: Committee
) -> QuerySet[CommitteeMembership]:
    return (
        CommitteeMembership.objects.filter(association=association, committee=committee)
        .select_related("person")
        .order_by(ROLE_ORDER, "person__sort_key", "id")
    )


def committees(*, association: Association, with_members: bool = False) -> QuerySet[Committee]:
    qs = Committee.objects.filter(association=association).order_by("sort_order", "name", "id")
    if with_members:
        qs = qs.prefetch_related(
            Prefetch(
                "memberships",
                queryset=CommitteeMembership.objects.select_related("person").order_by(
                    ROLE_ORDER, "person__sort_key", "id"
                ),
            )
        )
    return qs


def branches(*, association: Association) -> QuerySet[Branch]:
    return (
        Branch.objects.filter(association=association)
        .select_related("leader")
        .order_by("name", "id")
    )


def group_members(*, association: Association) -> QuerySet[GroupMember]:
    return (
        GroupMember.objects.filter(association=association)
        .select_related("linked_association")
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class GroupFigures:
    member_count: int


def group_member_figures(
    *, association: Association, groups: Iterable[GroupMember]
) -> dict[int, GroupFigures]:
    """Headline figures (members in good standing) of the linked group members that agreed to
    share them with ``association``, by group-member id. A group member that has not
    consented — or has withdrawn its consent, or consented to another parent only — is
    absent, and none of its data is read beyond the consent itself."""
    figures: dict[int, GroupFigures] = {}
    for group in groups:
        child = group.linked_association
        if child is None or child.status != Association.Status.ACTIVE:
            continue
        with read_inside(child):
            consented = FigureSharingConsent.objects.filter(
                association=child, parent=association, shares_figures_with_parent=True
            ).exists()
            if consented:
                count = Member.objects.filter(association=child, status__in=LISTED_STATUSES).count()
                figures[group.pk] = GroupFigures(member_count=count)
    return figures


def sharing_consents(*, association: Association) -> QuerySet[FigureSharingConsent]:
    """The consents ``association`` (as a child) has given or withdrawn."""
    return (
        FigureSharingConsent.objects.filter(association=association)
        .select_related("parent", "updated_by")
        .order_by("parent__name")
    )


# --- The public organisation chart ----------------------------------------------------------


def chart_published(*, association: Association) -> bool:
    return OrgSettings.objects.filter(association=association, publish_chart=True).exists()


@dataclass(frozen=True)
class ChartPost:
    name: str
    is_council: bool
    is_secretariat: bool
    names: list[str]


@dataclass(frozen=True)
class OrgChart:
    term: Term
    posts: list[ChartPost]


def org_chart(*, association: Association) -> OrgChart | None:
    """The current term's posts and the names of the people holding them — names only, no
    contact details; None unless the association published its chart and has a current
    term."""
    term = current_term(association=association)
    if term is None or not chart_published(association=association):
        return None
    chart = [
        ChartPost(
            name=row.post.name,
            is_council=row.post.is_council,
            is_secretariat=row.post.is_secretariat,
            names=[a.person.name for a in row.appointments],
        )
        for row in term_roster(association=association, term=term)
        if row.appointments
    ]
    return OrgChart(term=term, posts=chart)
