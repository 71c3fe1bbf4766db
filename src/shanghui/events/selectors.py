"""Reading events: the access helpers every id from a URL, a form or an API body goes through
(the same 404 for "missing" and "another association's"), who may register, and the figures
of attendance, quorum and feedback."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm, require_check_in, require_member
from shanghui.associations.models import Association
from shanghui.core.audience import audience_people, audience_rules, owners_inviting
from shanghui.core.chinese import normalize_query
from shanghui.core.inbox import inbox_of, unread_count
from shanghui.core.models import AudienceRule, InboxMessage
from shanghui.events import tickets
from shanghui.events.models import (
    ACTIVE_STATUSES,
    EVENT_TYPE,
    CalendarSettings,
    CheckinList,
    CheckinStaff,
    Event,
    EventDocument,
    EventSession,
    Registration,
    TicketType,
)
from shanghui.members.models import Member, Person, Representative
from shanghui.members.selectors import LISTED_STATUSES, matching_member_ids
from shanghui.org import audience as org_audience

MAX_ID = 2**63 - 1


def _valid_id(value: int) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


# --- Access by id: 404 for missing and foreign alike -------------------------------------


def access_event(
    *, association: Association, event_id: int, role: Role | None = None, user: User | None = None
) -> Event:
    """An event of ``association``. Without the managing permission only published and
    cancelled events the person may see are returned (drafts are 404)."""
    if not _valid_id(event_id):
        raise Http404
    event = (
        Event.objects.filter(association=association, pk=event_id)
        .select_related("organizing_committee")
        .first()
    )
    if event is None:
        raise Http404
    event.association = association  # the caller's: no second query for it
    if (
        role is not None
        and not has_perm(role, Perm.MANAGE_EVENTS)
        and (event.status == Event.Status.DRAFT or not may_see(event=event, user=user))
    ):
        raise Http404
    return event


def is_checkin_staff(*, association: Association, event: Event, user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return CheckinStaff.objects.filter(association=association, event=event, user=user).exists()


def access_checkin_event(
    *, association: Association, event_id: int, role: Role | None, user: User | None
) -> Event:
    """An event whose check-in the person may work: the secretariat for every event, an
    assigned 签到员 for theirs. 404 for strangers and for ids that are missing or another
    association's; 403 for members of this association who are neither."""
    require_member(role)
    event = access_event(association=association, event_id=event_id)
    assigned = not has_perm(role, Perm.MANAGE_EVENTS) and is_checkin_staff(
        association=association, event=event, user=user
    )
    if not (assigned or has_perm(role, Perm.MANAGE_EVENTS)):
        # A draft or an event the member may not see is 404, as everywhere else; only then
        # does "not your door" answer 403 — otherwise the answers would list hidden events.
        access_event(association=association, event_id=event_id, role=role, user=user)
    require_check_in(role, assigned=assigned)
    return event


def checkin_staff(*, association: Association, event: Event) -> QuerySet[CheckinStaff]:
    return CheckinStaff.objects.filter(association=association, event=event).select_related("user")


def access_checkin_staff(
    *, association: Association, event: Event, checkin_staff_id: int
) -> CheckinStaff:
    if not _valid_id(checkin_staff_id):
        raise Http404
    found = checkin_staff(association=association, event=event).filter(pk=checkin_staff_id).first()
    if found is None:
        raise Http404
    return found


def my_checkin_events(*, association: Association, user: User) -> list[Event]:
    """Events where this person is a 签到员, from yesterday on, soonest first."""
    since = timezone.now() - timedelta(days=1)
    ids = CheckinStaff.objects.filter(association=association, user=user).values("event_id")
    return list(
        Event.objects.filter(association=association, pk__in=ids, ends_at__gte=since)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "id")[:20]
    )


def photo_person(*, association: Association, registration: Registration) -> Person | None:
    """Whose photo the door shows for a registration: the registrant's person record, or —
    for someone the secretariat registered by phone — the one person of the association with
    that phone. None when there is no photo."""
    if registration.person_id:
        person = Person.objects.filter(association=association, pk=registration.person_id).first()
    else:
        matches = list(Person.objects.filter(association=association, phone=registration.phone)[:2])
        person = matches[0] if len(matches) == 1 else None
    return person if person is not None and person.photo_id is not None else None


def access_registration(
    *, association: Association, event: Event, registration_id: int
) -> Registration:
    if not _valid_id(registration_id):
        raise Http404
    registration = (
        Registration.objects.filter(association=association, event=event, pk=registration_id)
        .select_related("event", "ticket_type", "member__level", "person")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def access_checkin_list(*, association: Association, event: Event, list_id: int) -> CheckinList:
    if not _valid_id(list_id):
        raise Http404
    found = CheckinList.objects.filter(association=association, event=event, pk=list_id).first()
    if found is None:
        raise Http404
    return found


def access_session(*, association: Association, event: Event, session_id: int) -> EventSession:
    if not _valid_id(session_id):
        raise Http404
    found = EventSession.objects.filter(association=association, event=event, pk=session_id).first()
    if found is None:
        raise Http404
    return found


def access_ticket_type(
    *, association: Association, event: Event, ticket_type_id: int
) -> TicketType:
    if not _valid_id(ticket_type_id):
        raise Http404
    found = TicketType.objects.filter(
        association=association, event=event, pk=ticket_type_id
    ).first()
    if found is None:
        raise Http404
    return found


def access_document(*, association: Association, event: Event, document_id: int) -> EventDocument:
    if not _valid_id(document_id):
        raise Http404
    found = (
        EventDocument.objects.filter(association=association, event=event, pk=document_id)
        .select_related("file__content")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_ticket(*, association: Association, ticket_token: str) -> Registration:
    """A registration by its ticket token (staff looking a ticket up), 404 otherwise."""
    token = (ticket_token or "").strip()
    if not token or len(token) > 40:
        raise Http404
    found = (
        Registration.objects.filter(association=association, token=token)
        .select_related("event", "ticket_type", "member__level", "person")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_pass(*, association: Association, key: str) -> Registration:
    """The registration whose messages carry ``key`` (``tickets.pass_key``): the page a guest,
    or someone the secretariat registered, opens from an SMS without an account — also for an
    event that is not public. A forged key is refused before any lookup; a key of another
    association, or of a draft event, is the same 404."""
    token = tickets.token_from_pass(key)
    if token is None:
        raise Http404
    found = (
        Registration.objects.filter(association=association, token=token)
        .exclude(event__status=Event.Status.DRAFT)
        .select_related("event", "ticket_type")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_invited_event(*, association: Association, event_id: int, key: str) -> Event:
    """The event an invitation sent to someone without an account links to (its id signed:
    ``tickets.invitation_key``); 404 for a wrong key, a draft and another association's id."""
    if not _valid_id(event_id) or not tickets.invitation_key_valid(association.pk, event_id, key):
        raise Http404
    event = (
        Event.objects.filter(association=association, pk=event_id)
        .exclude(status=Event.Status.DRAFT)
        .first()
    )
    if event is None:
        raise Http404
    return event


def my_registration(*, association: Association, event: Event, user: User) -> Registration | None:
    """The signed-in person's current (or, failing that, latest) registration."""
    qs = Registration.objects.filter(association=association, event=event, user=user)
    return (
        qs.filter(status__in=ACTIVE_STATUSES).select_related("ticket_type").first()
        or qs.order_by("-created_at").first()
    )


def guest_registration(
    *, association: Association, event: Event, phone: str
) -> Registration | None:
    if not phone:
        return None
    qs = Registration.objects.filter(association=association, event=event, phone=phone)
    return qs.filter(status__in=ACTIVE_STATUSES).first() or qs.order_by("-created_at").first()


# --- Who may see and register --------------------------------------------------------


def persons_of(*, association: Association, user: User | None) -> list[Person]:
    if user is None or not user.is_authenticated:
        return []
    return list(Person.objects.filter(association=association, user=user))


@dataclass(frozen=True)
class PersonRecord:
    """A signed-in person as the association knows them: their person record and the member
    enterprise they represent (id and name), if any."""

    person: Person | None
    member_id: int | None
    member_name: str


def person_record(*, association: Association, user: User) -> PersonRecord:
    """The person record of ``user`` here with the member they represent: two narrow
    queries (one with subqueries costs more to build than the second round trip)."""
    persons = persons_of(association=association, user=user)
    person = persons[0] if persons else None
    if person is None:
        return PersonRecord(None, None, "")
    # Any of the user's person records here may be the one that represents a member.
    represented = (
        Representative.objects.filter(association=association, person__in=persons)
        .order_by("pk")
        .values_list("member_id", "member__name")
        .first()
    )
    member_id, member_name = represented if represented is not None else (None, "")
    return PersonRecord(person, member_id, member_name)


def council_person_ids(*, association: Association) -> set[int]:
    """The council (理事会): people holding a council post in the current term, now."""
    return org_audience.council_person_ids(association=association)


def event_audience_rules(*, association: Association, event: Event) -> list[AudienceRule]:
    """The rules of an event whose audience is "chosen" (``core.audience``)."""
    return audience_rules(association=association, owner_type=EVENT_TYPE, owner_id=event.pk)


def _invited_to(
    *, association: Association, events: QuerySet[Event], persons: list[Person]
) -> set[int]:
    """Which of ``events`` (chosen audiences) invite one of ``persons``."""
    return owners_inviting(
        association=association,
        owner_type=EVENT_TYPE,
        owner_ids=events.values("pk"),
        person_ids=[p.pk for p in persons],
    )


def _in_rules(*, association: Association, event: Event, persons: list[Person]) -> bool:
    events = Event.objects.filter(association=association, pk=event.pk)
    return bool(_invited_to(association=association, events=events, persons=persons))


def in_audience(*, event: Event, user: User | None, is_member: bool) -> bool:
    """Whether this person is invited: anyone for public events, anyone with a role for
    "all members", the chosen levels, committees, council, posts or named people otherwise."""
    if event.audience == Event.Audience.PUBLIC:
        return True
    if not is_member:
        return False
    if event.audience == Event.Audience.MEMBERS:
        return True
    persons = persons_of(association=event.association, user=user)
    return _in_rules(association=event.association, event=event, persons=persons)


def may_see(*, event: Event, user: User | None) -> bool:
    """Members see every published event of "all members" and the chosen events they are
    invited to, plus any event they registered for."""
    if event.audience in (Event.Audience.PUBLIC, Event.Audience.MEMBERS):
        return True
    if user is not None and (
        Registration.objects.filter(association=event.association, event=event, user=user).exists()
    ):
        return True
    return in_audience(event=event, user=user, is_member=True)


def visible_events(
    *, association: Association, role: Role | None, user: User | None
) -> QuerySet[Event]:
    qs = Event.objects.filter(association=association)
    if has_perm(role, Perm.MANAGE_EVENTS):
        return qs.select_related("organizing_committee")
    qs = qs.exclude(status=Event.Status.DRAFT)
    # ``may_see`` for every event of a chosen audience at once: a few queries, not a few each.
    chosen = qs.filter(audience=Event.Audience.CHOSEN)
    persons = persons_of(association=association, user=user)
    seen = _invited_to(association=association, events=chosen, persons=persons)
    if user is not None and user.is_authenticated:
        registered = Registration.objects.filter(association=association, user=user)
        seen |= set(registered.filter(event__in=chosen).values_list("event_id", flat=True))
    return qs.filter(~Q(audience=Event.Audience.CHOSEN) | Q(pk__in=seen))


def upcoming(qs: QuerySet[Event]) -> QuerySet[Event]:
    return (
        qs.filter(ends_at__gte=timezone.now())
        .exclude(status=Event.Status.DRAFT)
        .order_by("starts_at", "id")
    )


def has_started(event: Event, *, now: datetime | None = None) -> bool:
    """From its start an event is history for its registrants: registering, cancelling and
    moving up from the waitlist stop (the secretariat may still correct the list)."""
    return (now or timezone.now()) >= event.starts_at


def has_ended(event: Event, *, now: datetime | None = None) -> bool:
    """After its end: the ticket is no longer shown, feedback and certificates open."""
    return (now or timezone.now()) >= event.ends_at


def registration_open(event: Event, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if event.status != Event.Status.PUBLISHED or has_started(event, now=now):
        return False
    if event.registration_opens_at and now < event.registration_opens_at:
        return False
    return not (event.registration_closes_at and now > event.registration_closes_at)


SEATS_AVAILABLE, SEATS_WAITLIST, SEATS_FULL = "available", "waitlist", "full"


def seats_state(event: Event, *, now: datetime | None = None) -> str:
    """What registering now gets: a seat (``SEATS_AVAILABLE``), a place on the waitlist
    (``SEATS_WAITLIST``: no seat left, and a cancellation before the start can still move
    people up), or nothing (``SEATS_FULL``: no seat left and the event has begun)."""
    if event.capacity is None or event.seats_taken < event.capacity:
        return SEATS_AVAILABLE
    return SEATS_WAITLIST if (now or timezone.now()) < event.starts_at else SEATS_FULL


def calendar_published(*, association: Association) -> bool:
    return CalendarSettings.objects.filter(association=association, publish_calendar=True).exists()


def public_events(*, association: Association) -> QuerySet[Event]:
    return Event.objects.filter(
        association=association,
        audience=Event.Audience.PUBLIC,
        status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED],
    )


def access_public_event(*, association: Association, event_id: int) -> Event:
    """A public event on the published calendar; 404 for everything else."""
    if not _valid_id(event_id) or not calendar_published(association=association):
        raise Http404
    event = public_events(association=association).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def registrations(
    *, association: Association, event: Event, status: str = "", q: str = ""
) -> QuerySet[Registration]:
    qs = Registration.objects.filter(association=association, event=event)
    if status:
        qs = qs.filter(status=status)
    needle = normalize_query(q)
    if needle:
        # Guests by what they typed; members and their representatives by the directory's
        # search (pinyin, initials, Traditional input, phone digits).
        members = matching_member_ids(association=association, needle=needle, phone_tails=True)
        qs = qs.filter(
            Q(name__contains=needle)
            | Q(phone__contains=needle)
            | Q(company__contains=needle)
            | Q(member_id__in=members)
        )
    elif q.strip():  # only characters no name holds ("_"): nothing, not everyone
        qs = qs.none()
    return qs.select_related("ticket_type", "member__level").order_by("created_at", "id")


NOTICES_MODULE = "events"  # the inbox messages the events' notices page lists


def my_notices(*, association: Association, user: User) -> QuerySet[InboxMessage]:
    """The person's in-app notices about events (their inbox, ``core.inbox``, narrowed to
    the events' kinds), newest first: their announcements and other messages are at
    /me/inbox/, never here."""
    return inbox_of(association=association, user=user, module=NOTICES_MODULE)


def notice_event_id(notice: InboxMessage) -> int | None:
    """The event a notice is about, if any (its link opens the event)."""
    return notice.target_id if notice.target_type == EVENT_TYPE else None


def unread_notice_count(*, association: Association, user: User | None) -> int:
    """The unread badge of the 活动 tab: ``core.inbox.unread_count`` of the events' kinds."""
    return unread_count(user, association, module=NOTICES_MODULE)


def feed_events(qs: QuerySet[Event]) -> QuerySet[Event]:
    """What a subscribed calendar shows: published and cancelled events from the last 90 days
    on (a calendar app drops what vanishes from the feed, so recent past events stay)."""
    since = timezone.now() - timedelta(days=90)
    return (
        qs.filter(ends_at__gte=since)
        .exclude(status=Event.Status.DRAFT)
        .select_related("association")  # each entry's link names the association
        .order_by("starts_at", "id")
    )


def my_registrations(*, association: Association, user: User) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(association=association, user=user)
        .select_related("event")
        .order_by("-event__starts_at")
    )


def my_events(
    *, association: Association, user: User, limit: int = 100
) -> list[tuple[Event, Registration]]:
    """What 我的活动 lists: the person's latest ``limit`` events in ``association`` with their
    registration for each (the current one, else the latest), newest first; drafts left out."""
    kept: dict[int, Registration] = {}
    rows = (
        my_registrations(association=association, user=user)
        .exclude(event__status=Event.Status.DRAFT)
        .order_by("-event__starts_at", "-created_at")
    )
    for registration in rows[: limit * 3]:
        known = kept.get(registration.event_id)
        if known is None or (registration.is_active and not known.is_active):
            kept[registration.event_id] = registration
    return [(r.event, r) for r in list(kept.values())[:limit]]


def audience_contacts(
    *, association: Association, event: Event
) -> list[tuple[str, str, int | None]]:
    """(phone, email, user id) of everyone the event invites: the representatives of members in good
    standing for "all members" and public events, the chosen people otherwise."""
    persons = Person.objects.filter(association=association).exclude(phone="")
    if event.audience != Event.Audience.CHOSEN:
        members = Member.objects.filter(association=association, status__in=LISTED_STATUSES)
        persons = persons.filter(
            representations__member__in=members, representations__deleted_at__isnull=True
        )
    else:
        rules = event_audience_rules(association=association, event=event)
        persons = persons.filter(audience_people(association=association, rules=rules))
    found = {
        phone: (phone, email, user)
        for phone, email, user in persons.values_list("phone", "email", "user_id")
    }
    return [found[phone] for phone in sorted(found)]
