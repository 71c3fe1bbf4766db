"""Check-in lists, check-in and check-out by QR text, typed code or phone, and the live
count of arrivals."""

from django.http import HttpRequest
from ninja import Path, Status

from shanghui.api.schemas import ERRORS
from shanghui.events import figures, selectors, services
from shanghui.events.api.base import event_for_manager, events_router, user_of
from shanghui.events.api.schemas import CheckinIn, CheckinListIn, CheckinListOut, CheckinOut
from shanghui.events.models import Checkin, CheckinList, Registration


def _list_out(stats: figures.ListStats) -> dict[str, object]:
    return {
        "id": stats.checkin_list.pk,
        "name": stats.checkin_list.name,
        "session_id": stats.checkin_list.session_id,
        "expected": stats.expected,
        "arrived": stats.arrived,
        "present": stats.present,
    }


@events_router.get("/{event_id}/checkin-lists", response={200: list[CheckinListOut], **ERRORS})
def checkin_list_index(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    event = event_for_manager(request, event_id)
    return [
        _list_out(figures.list_stats(association=event.association, checkin_list=item))
        for item in figures.checkin_lists(association=event.association, event=event)
    ]


@events_router.post("/{event_id}/checkin-lists", response={201: CheckinListOut, **ERRORS})
def checkin_list_create(
    request: HttpRequest, slug: Path[str], event_id: int, payload: CheckinListIn
) -> Status[object]:
    """Another place to count arrivals: the dinner, the shuttle, day two."""
    event = event_for_manager(request, event_id)
    created = services.checkin_list_create(
        association=event.association, actor=user_of(request), event=event, name=payload.name
    )
    stats = figures.list_stats(association=event.association, checkin_list=created)
    return Status(201, _list_out(stats))


def _checkin_list(request: HttpRequest, event_id: int, list_id: int) -> CheckinList:
    event = event_for_manager(request, event_id)
    return selectors.access_checkin_list(
        association=event.association, event=event, list_id=list_id
    )


@events_router.get("/{event_id}/checkin-lists/{list_id}", response={200: CheckinListOut, **ERRORS})
def checkin_list_detail(
    request: HttpRequest, slug: Path[str], event_id: int, list_id: int
) -> object:
    """The live count: expected people, arrivals, still present."""
    item = _checkin_list(request, event_id, list_id)
    return _list_out(figures.list_stats(association=item.association, checkin_list=item))


def _out(
    item: CheckinList, registration: Registration, checkin: Checkin, created: bool
) -> dict[str, object]:
    stats = figures.list_stats(association=item.association, checkin_list=item)
    member = registration.member
    return {
        "created": created,
        "registration_id": registration.pk,
        "name": registration.name,
        "company": registration.company,
        "level": member.level.name if member and member.level else "",
        "companion": checkin.companion,
        "companions": registration.companions,
        "checked_in_at": checkin.checked_in_at,
        "checked_out_at": checkin.checked_out_at,
        "arrived": stats.arrived,
        "expected": stats.expected,
    }


@events_router.post(
    "/{event_id}/checkin-lists/{list_id}/checkins",
    response={200: CheckinOut, 201: CheckinOut, **ERRORS},
)
def checkin(
    request: HttpRequest, slug: Path[str], event_id: int, list_id: int, payload: CheckinIn
) -> Status[object]:
    """Check in by the scanned QR text, the typed code or the phone number. Idempotent: 201
    for a new arrival, 200 when the person had already checked in (nothing changes)."""
    item = _checkin_list(request, event_id, list_id)
    registration = services.find_registration(
        association=item.association, event=item.event, text=payload.code
    )
    result = services.checkin_record(
        association=item.association,
        actor=user_of(request),
        checkin_list=item,
        registration=registration,
        companion=payload.companion,
    )
    return Status(
        201 if result.created else 200, _out(item, registration, result.checkin, result.created)
    )


@events_router.post(
    "/{event_id}/checkin-lists/{list_id}/checkouts", response={200: CheckinOut, **ERRORS}
)
def checkout(
    request: HttpRequest, slug: Path[str], event_id: int, list_id: int, payload: CheckinIn
) -> object:
    item = _checkin_list(request, event_id, list_id)
    registration = services.find_registration(
        association=item.association, event=item.event, text=payload.code
    )
    done = services.checkout_record(
        association=item.association,
        actor=user_of(request),
        checkin_list=item,
        registration=registration,
        companion=payload.companion,
    )
    return _out(item, registration, done, False)
