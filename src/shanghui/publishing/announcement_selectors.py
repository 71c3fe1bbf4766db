"""Reading announcements: the back office's list and access, the receipt figures (per person
and per member enterprise), the replies, a member's own notices, and the signed link's
recipient. Every lookup by an id from the request filters by association inside the query
and answers the same 404 for "does not exist" and "not yours"."""

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audience import audience_people, audience_rules
from shanghui.core.models import AudienceRule
from shanghui.members.models import Member, Person, Representative
from shanghui.members.selectors import LISTED_STATUSES
from shanghui.publishing.models import (
    ANNOUNCEMENT_TYPE,
    Announcement,
    AnnouncementAttachment,
    AnnouncementRecipient,
)
from shanghui.publishing.receipt_links import recipient_from_key

MAX_ID = 2**63 - 1


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def _recipients_counted(**condition: Any) -> Coalesce:
    """How many recipients of the outer announcement meet ``condition``: a subquery per row
    of the page (through the (association, announcement, read_at) index), where a join and
    GROUP BY counted every recipient of every announcement before the page was cut."""
    rows = (
        AnnouncementRecipient.objects.filter(
            association=OuterRef("association"), announcement=OuterRef("pk"), **condition
        )
        .order_by()
        .values("announcement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def office_announcements(*, association: Association) -> QuerySet[Announcement]:
    """Every announcement with read and reply counts: drafts first (the work in hand),
    then the sent ones, most recently sent first."""
    return (
        Announcement.objects.filter(association=association)
        .annotate(
            read_count=_recipients_counted(read_at__isnull=False),
            reply_count=_recipients_counted(replied_at__isnull=False),
        )
        .order_by(F("sent_at").desc(nulls_first=True), "-created_at", "-id")
    )


def access_announcement(*, association: Association, announcement_id: int) -> Announcement:
    """Any announcement of the association, for the back office (the caller checked the
    permission)."""
    if not _valid_id(announcement_id):
        raise Http404
    found = Announcement.objects.filter(association=association, pk=announcement_id).first()
    if found is None:
        raise Http404
    return found


def access_attachment(
    *, association: Association, announcement: Announcement, attachment_id: int
) -> AnnouncementAttachment:
    if not _valid_id(attachment_id):
        raise Http404
    found = (
        AnnouncementAttachment.objects.filter(
            association=association, announcement=announcement, pk=attachment_id
        )
        .select_related("file__content")
        .first()
    )
    if found is None:
        raise Http404
    return found


def attachments(*, association: Association, announcement: Announcement) -> list[Any]:
    return list(
        AnnouncementAttachment.objects.filter(association=association, announcement=announcement)
    )


def announcement_rules(
    *, association: Association, announcement: Announcement
) -> list[AudienceRule]:
    return audience_rules(
        association=association, owner_type=ANNOUNCEMENT_TYPE, owner_id=announcement.pk
    )


# --- A member's own notices ------------------------------------------------------------


def my_announcements(*, association: Association, user: User) -> QuerySet[Announcement]:
    """The sent announcements that reached the person (any of their person records here),
    unread first, then newest; each with ``is_read`` and ``has_replied``."""
    mine = AnnouncementRecipient.objects.filter(
        association=association, announcement=OuterRef("pk"), user=user
    )
    return (
        Announcement.objects.filter(association=association, status=Announcement.Status.SENT)
        .filter(Exists(mine))
        .annotate(
            is_read=Exists(mine.filter(read_at__isnull=False)),
            has_replied=Exists(mine.filter(replied_at__isnull=False)),
        )
        .order_by("is_read", "-sent_at", "-id")
    )


def needs_reply(announcement: Any, *, now: Any = None) -> bool:
    """An annotated announcement of ``my_announcements`` still waiting for the person's 回执."""
    return bool(
        announcement.wants_reply
        and not announcement.has_replied
        and announcement.reply_deadline
        and (now or timezone.now()) < announcement.reply_deadline
    )


def awaiting_me(*, association: Association, user: User, limit: int = 5) -> list[Any]:
    """For the member home: the person's notices still unread or waiting for their 回执
    (before its deadline), those needing a reply first, then newest."""
    now = timezone.now()
    awaited = Q(reply_deadline__gt=now, has_replied=False) & ~Q(reply_fields=[])
    pending = (
        my_announcements(association=association, user=user)
        .filter(Q(is_read=False) | awaited)
        .annotate(reply_due=ExpressionWrapper(awaited, output_field=BooleanField()))
        .order_by("-reply_due", F("sent_at").desc(nulls_last=True), "-id")
    )
    return list(pending[:limit])


def access_my_announcement(
    *, association: Association, user: User, announcement_id: int
) -> Announcement:
    """A sent announcement that reached the person; 404 otherwise."""
    if not _valid_id(announcement_id):
        raise Http404
    found = my_announcements(association=association, user=user).filter(pk=announcement_id).first()
    if found is None:
        raise Http404
    return found


def my_recipient(
    *, association: Association, user: User, announcement: Announcement
) -> AnnouncementRecipient | None:
    """The person's row of the announcement: the one that replied, else the first."""
    return (
        AnnouncementRecipient.objects.filter(
            association=association, announcement=announcement, user=user
        )
        .order_by("replied_at", "pk")
        .select_related("announcement")
        .first()
    )


def access_receipt_link(
    *, association: Association, announcement_id: int, key: str
) -> AnnouncementRecipient:
    """The recipient a signed link was made for (``receipt_links``), of a sent announcement
    of this association; the same 404 for a tampered key, another announcement's or another
    association's key, and an unknown row."""
    if not _valid_id(announcement_id):
        raise Http404
    recipient_id = recipient_from_key(
        association_id=association.pk, announcement_id=announcement_id, key=key
    )
    if recipient_id is None:
        raise Http404
    found = (
        AnnouncementRecipient.objects.filter(
            association=association,
            announcement_id=announcement_id,
            pk=recipient_id,
            announcement__status=Announcement.Status.SENT,
        )
        .select_related("announcement")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Whom it is for ----------------------------------------------------------------------


def audience_persons(
    *, association: Association, announcement: Announcement, reachable: bool = True
) -> QuerySet[Person]:
    """The people the announcement is for: the representatives of the members in good
    standing, or the people its rules invite; ``reachable``: only those one can reach (a
    phone or an account) — whom sending fixes as its recipients."""
    persons = Person.objects.filter(association=association)
    if reachable:
        persons = persons.filter(~Q(phone="") | Q(user__isnull=False))
    if announcement.audience == Announcement.Audience.MEMBERS:
        represented = Representative.objects.filter(
            association=association,
            member__status__in=LISTED_STATUSES,
            deleted_at__isnull=True,
        )
        return persons.filter(pk__in=represented.values("person_id"))
    rules = AudienceRule.objects.filter(
        association=association, owner_type=ANNOUNCEMENT_TYPE, owner_id=announcement.pk
    )
    return persons.filter(audience_people(association=association, rules=list(rules)))


def audience_members(*, association: Association, announcement: Announcement) -> QuerySet[Member]:
    """The member enterprises it is for: every member in good standing (sent to all
    members), else those a person of its audience represents — whether or not anyone of
    theirs could be reached — and any enterprise one of its recipients represents."""
    recipients = AnnouncementRecipient.objects.filter(
        association=association, announcement=announcement
    ).values("person_id")
    representing = Representative.objects.filter(association=association, deleted_at__isnull=True)
    of_recipients = representing.filter(person_id__in=recipients).values("member_id")
    members = Member.objects.filter(association=association)
    if announcement.audience == Announcement.Audience.MEMBERS:
        return members.filter(Q(status__in=LISTED_STATUSES) | Q(pk__in=of_recipients))
    invited = audience_persons(association=association, announcement=announcement, reachable=False)
    of_invited = representing.filter(person_id__in=invited.values("pk")).values("member_id")
    return members.filter(Q(pk__in=of_invited) | Q(pk__in=of_recipients))


# --- Receipts for the back office ------------------------------------------------------


@dataclass(frozen=True)
class ReceiptFigures:
    people: int
    people_read: int
    members: int
    members_read: int
    replies: int


def _recipients_of_member(
    association: Association, announcement: Announcement, **condition: Any
) -> QuerySet[AnnouncementRecipient]:
    """The recipients (meeting ``condition``) who represent the outer query's member — each
    of the enterprises a person represents, not only the one on their row."""
    represents = Representative.objects.filter(
        association=association, member=OuterRef(OuterRef("pk")), deleted_at__isnull=True
    ).values("person_id")
    return AnnouncementRecipient.objects.filter(
        association=association, announcement=announcement, person_id__in=represents, **condition
    )


def _counted(rows: QuerySet[AnnouncementRecipient]) -> Coalesce:
    counted = rows.order_by().values("announcement").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def receipt_figures(*, association: Association, announcement: Announcement) -> ReceiptFigures:
    """People reached, read and replied; member enterprises it was for, and read (when any
    of their representatives read it). An enterprise none of whose representatives could be
    reached counts as one it was for, unread."""
    rows = AnnouncementRecipient.objects.filter(association=association, announcement=announcement)
    people = rows.aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        replies=Count("pk", filter=Q(replied_at__isnull=False)),
    )
    members = audience_members(association=association, announcement=announcement)
    members_read = members.filter(
        Exists(
            Representative.objects.filter(
                association=association, member=OuterRef("pk"), deleted_at__isnull=True
            ).filter(
                Exists(
                    AnnouncementRecipient.objects.filter(
                        association=association,
                        announcement=announcement,
                        person_id=OuterRef("person_id"),
                        read_at__isnull=False,
                    )
                )
            )
        )
    )
    return ReceiptFigures(
        people=people["total"],
        people_read=people["read"],
        members=members.count(),
        members_read=members_read.count(),
        replies=people["replies"],
    )


def member_receipts(
    *, association: Association, announcement: Announcement, unread_only: bool = False
) -> QuerySet[Member]:
    """One row per member enterprise it was for: its name, how many of its representatives
    it reached (0: none could be — no phone, no account), how many read and replied; read
    when any representative read it, whichever enterprise their own row names. Unread
    first, then by name."""

    def of_member(**condition: Any) -> Coalesce:
        return _counted(_recipients_of_member(association, announcement, **condition))

    rows = (
        audience_members(association=association, announcement=announcement)
        .annotate(
            people=of_member(),
            people_read=of_member(read_at__isnull=False),
            replies=of_member(replied_at__isnull=False),
        )
        .order_by("people_read", "name", "pk")
    )
    return rows.filter(people_read=0) if unread_only else rows


def person_receipts(
    *,
    association: Association,
    announcement: Announcement,
    unread_only: bool = False,
    member_id: int | None = None,
) -> QuerySet[AnnouncementRecipient]:
    """One row per person reached, the unread first, with their member enterprise."""
    rows = AnnouncementRecipient.objects.filter(
        association=association, announcement=announcement
    ).select_related("member")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if member_id is not None:  # its representatives, whichever enterprise their row names
        rows = rows.filter(
            person_id__in=Representative.objects.filter(
                association=association, member_id=member_id, deleted_at__isnull=True
            ).values("person_id")
        )
    return rows.order_by(F("read_at").asc(nulls_first=True), "member__name", "name", "pk")


def replies(
    *, association: Association, announcement: Announcement
) -> QuerySet[AnnouncementRecipient]:
    return (
        AnnouncementRecipient.objects.filter(
            association=association, announcement=announcement, replied_at__isnull=False
        )
        .select_related("member")
        .order_by("replied_at", "pk")
    )
