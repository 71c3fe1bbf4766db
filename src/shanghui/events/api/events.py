"""Events and their settings: audience, ticket types, sessions, the public calendar switch;
plus the staff's ticket lookup and the members' activity figures."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Schema, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.audience import AudienceIn
from shanghui.core.http import attachment_response
from shanghui.core.jobs import job_start
from shanghui.events import figures, ics, selectors
from shanghui.events.api.base import (
    ICS,
    event_for_manager,
    event_for_member,
    events_router,
    manager,
    member,
)
from shanghui.events.api.schemas import (
    CalendarSettingsIO,
    EventAudienceOut,
    EventCancelIn,
    EventDetailOut,
    EventIn,
    EventOut,
    EventSessionIn,
    EventSessionOut,
    EventSessionPatch,
    MemberActivityOut,
    RegistrationOut,
    TicketTypeIn,
    TicketTypeOut,
    TicketTypePatch,
)
from shanghui.events.models import CalendarSettings, Event, EventSession, Registration, TicketType
from shanghui.events.services import events as event_services
from shanghui.events.services import setup as setup_services
from shanghui.events.tasks import send_invitations
from shanghui.org.models import Committee


@events_router.get("/tickets/{ticket_token}", response={200: RegistrationOut, **ERRORS})
def ticket_lookup(request: HttpRequest, slug: Path[str], ticket_token: str) -> Registration:
    """The registration behind a ticket token (staff at the door)."""
    return selectors.access_ticket(association=manager(request), ticket_token=ticket_token)


class ActivityQuery(Schema):
    year: int | None = None


@events_router.get("/activity", response={200: list[MemberActivityOut], **ERRORS})
def activity(request: HttpRequest, slug: Path[str], query: Query[ActivityQuery]) -> object:
    """How active each member was in a year: confirmed registrations and events attended."""
    association = manager(request)
    year = query.year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000 到 2100 之间")})
    return figures.member_activity(association=association, year=year)


@events_router.get("/calendar-settings", response={200: CalendarSettingsIO, **ERRORS})
def calendar_settings(request: HttpRequest, slug: Path[str]) -> object:
    association = manager(request)
    return {"publish_calendar": selectors.calendar_published(association=association)}


@events_router.put("/calendar-settings", response={200: CalendarSettingsIO, **ERRORS})
def calendar_settings_update(
    request: HttpRequest, slug: Path[str], payload: CalendarSettingsIO
) -> CalendarSettings:
    """Publish (or withdraw) the public calendar of public events at /a/<slug>/calendar/."""
    return event_services.calendar_settings_update(
        association=manager(request),
        actor=signed_in_user(request),
        publish_calendar=payload.publish_calendar,
    )


class EventQuery(Schema):
    upcoming: bool = False


@events_router.get("", response={200: list[EventOut], **ERRORS})
@paginate(Pages)
def event_list(request: HttpRequest, slug: Path[str], query: Query[EventQuery]) -> object:
    """Events the caller may see (the secretariat sees drafts too), newest first, or
    upcoming ones soonest first."""
    association, role = member(request)
    qs = selectors.visible_events(association=association, role=role, user=signed_in_user(request))
    return selectors.upcoming(qs) if query.upcoming else qs


def _committee(request: HttpRequest, payload: EventIn) -> Committee | None:
    if payload.organizing_committee_id is None:
        return None
    found = Committee.objects.filter(
        association=manager(request), pk=payload.organizing_committee_id
    ).first()
    if found is None:
        raise ValidationError({"organizing_committee_id": _("未找到该专委会")})
    return found


def _input(payload: EventIn) -> event_services.EventInput:
    data = payload.dict()
    data.pop("organizing_committee_id")
    return event_services.EventInput(**data)


@events_router.post("", response={201: EventDetailOut, **ERRORS})
def event_create(request: HttpRequest, slug: Path[str], payload: EventIn) -> Status[Event]:
    """A new event (as a draft, with a 主会场 check-in list); publish it to open it."""
    association = manager(request)
    event = event_services.event_create(
        association=association,
        actor=signed_in_user(request),
        data=_input(payload),
        committee=_committee(request, payload),
    )
    return Status(201, event)


@events_router.get("/{event_id}", response={200: EventDetailOut, **ERRORS})
def event_detail(request: HttpRequest, slug: Path[str], event_id: int) -> Event:
    return event_for_member(request, event_id)


@events_router.put("/{event_id}", response={200: EventDetailOut, **ERRORS})
def event_update(request: HttpRequest, slug: Path[str], event_id: int, payload: EventIn) -> Event:
    """Change the details. A larger capacity promotes the waitlist; a new time or place is
    sent to the registrants."""
    event = event_for_manager(request, event_id)
    return event_services.event_update(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        data=_input(payload),
        committee=_committee(request, payload),
    )


@events_router.post("/{event_id}/publish", response={200: EventDetailOut, **ERRORS})
def event_publish(request: HttpRequest, slug: Path[str], event_id: int) -> Event:
    event = event_for_manager(request, event_id)
    return event_services.event_publish(
        association=event.association, actor=signed_in_user(request), event=event
    )


@events_router.post("/{event_id}/cancel", response={200: EventDetailOut, **ERRORS})
def event_cancel(
    request: HttpRequest, slug: Path[str], event_id: int, payload: EventCancelIn
) -> Event:
    """Cancel the event; everyone registered or waitlisted is told."""
    event = event_for_manager(request, event_id)
    return event_services.event_cancel(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        reason=payload.reason,
    )


@events_router.put("/{event_id}/audience", response={200: EventAudienceOut, **ERRORS})
def audience_set(
    request: HttpRequest, slug: Path[str], event_id: int, payload: AudienceIn
) -> object:
    """Limit the event to chosen levels, committees, the council, posts or named people."""
    event = event_for_manager(request, event_id)
    rules = event_services.audience_set(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        data=payload.to_input(),
    )
    return {"audience": event.audience, "rules": len(rules)}


@events_router.get("/{event_id}/ticket-types", response={200: list[TicketTypeOut], **ERRORS})
def ticket_type_list(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    event = event_for_member(request, event_id)
    return TicketType.objects.filter(association=event.association, event=event)


@events_router.post("/{event_id}/ticket-types", response={201: TicketTypeOut, **ERRORS})
def ticket_type_create(
    request: HttpRequest, slug: Path[str], event_id: int, payload: TicketTypeIn
) -> Status[TicketType]:
    event = event_for_manager(request, event_id)
    created = setup_services.ticket_type_create(
        association=event.association, actor=signed_in_user(request), event=event, **payload.dict()
    )
    return Status(201, created)


@events_router.patch(
    "/{event_id}/ticket-types/{ticket_type_id}", response={200: TicketTypeOut, **ERRORS}
)
def ticket_type_update(
    request: HttpRequest,
    slug: Path[str],
    event_id: int,
    ticket_type_id: int,
    payload: TicketTypePatch,
) -> TicketType:
    """Rename, re-price or resize a ticket type. The capacity cannot go below the seats
    taken; a larger one (or ``null``, no limit) promotes the waitlist."""
    event = event_for_manager(request, event_id)
    found = selectors.access_ticket_type(
        association=event.association, event=event, ticket_type_id=ticket_type_id
    )
    current = {"name": found.name, "price": found.price, "capacity": found.capacity}
    changes = payload.dict(exclude_unset=True)
    merged = {**current, **{k: v for k, v in changes.items() if v is not None or k == "capacity"}}
    return setup_services.ticket_type_update(
        association=event.association, actor=signed_in_user(request), ticket_type=found, **merged
    )


@events_router.delete("/{event_id}/ticket-types/{ticket_type_id}", response={204: None, **ERRORS})
def ticket_type_delete(
    request: HttpRequest, slug: Path[str], event_id: int, ticket_type_id: int
) -> Status[None]:
    """Delete a ticket type nobody has registered with (400 with the reason otherwise)."""
    event = event_for_manager(request, event_id)
    found = selectors.access_ticket_type(
        association=event.association, event=event, ticket_type_id=ticket_type_id
    )
    setup_services.ticket_type_delete(
        association=event.association, actor=signed_in_user(request), ticket_type=found
    )
    return Status(204, None)


@events_router.get("/{event_id}/sessions", response={200: list[EventSessionOut], **ERRORS})
def session_list(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    """The agenda, or a course's lessons."""
    event = event_for_member(request, event_id)
    return EventSession.objects.filter(association=event.association, event=event)


@events_router.post("/{event_id}/sessions", response={201: EventSessionOut, **ERRORS})
def session_create(
    request: HttpRequest, slug: Path[str], event_id: int, payload: EventSessionIn
) -> Status[EventSession]:
    """Add an agenda item; for a training course, a lesson with its own attendance list."""
    event = event_for_manager(request, event_id)
    created = setup_services.session_create(
        association=event.association, actor=signed_in_user(request), event=event, **payload.dict()
    )
    return Status(201, created)


@events_router.patch("/{event_id}/sessions/{session_id}", response={200: EventSessionOut, **ERRORS})
def session_update(
    request: HttpRequest,
    slug: Path[str],
    event_id: int,
    session_id: int,
    payload: EventSessionPatch,
) -> EventSession:
    """Change an agenda item; a lesson's check-in list follows its new time and title."""
    event = event_for_manager(request, event_id)
    found = selectors.access_session(
        association=event.association, event=event, session_id=session_id
    )
    current = {
        "title": found.title,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "location": found.location,
        "speaker": found.speaker,
    }
    changes = payload.dict(exclude_unset=True)
    merged = {**current, **{k: v for k, v in changes.items() if v is not None or k == "ends_at"}}
    return setup_services.session_update(
        association=event.association, actor=signed_in_user(request), session=found, **merged
    )


@events_router.delete("/{event_id}/sessions/{session_id}", response={204: None, **ERRORS})
def session_delete(
    request: HttpRequest, slug: Path[str], event_id: int, session_id: int
) -> Status[None]:
    """Delete an agenda item; a lesson with check-ins is refused (400)."""
    event = event_for_manager(request, event_id)
    found = selectors.access_session(
        association=event.association, event=event, session_id=session_id
    )
    setup_services.session_delete(
        association=event.association, actor=signed_in_user(request), session=found
    )
    return Status(204, None)


@events_router.get("/{event_id}/ics", response={200: None, **ERRORS}, openapi_extra=ICS)
def event_ics(request: HttpRequest, slug: Path[str], event_id: int) -> HttpResponse:
    """The event as an iCalendar file, for the phone's calendar."""
    event = event_for_member(request, event_id)
    return attachment_response(ics.event_ics(event), f"event-{event.pk}.ics")


@events_router.post("/{event_id}/invitations", response={202: JobOut, **ERRORS})
def invitations_send(request: HttpRequest, slug: Path[str], event_id: int) -> Status[object]:
    """Invite the event's audience by SMS (and email) as a background job; poll the job."""
    event = event_for_manager(request, event_id)
    if event.status != Event.Status.PUBLISHED:
        raise ValidationError(_("请先发布活动再发送邀请"))
    job = job_start(
        association=event.association,
        actor=signed_in_user(request),
        kind="events.invite",
        label=_("活动邀请：%(title)s") % {"title": event.title},
        task=send_invitations,
        event_id=event.pk,
    )
    return Status(202, job)
