"""Check-in lists (added, renamed, deleted by the secretariat), the door volunteers (签到员),
check-in and check-out by QR text, typed code or phone, the registrant's photo and the live
count of arrivals. The door itself — lists, counts, check-in, check-out, photos — is open to
the secretariat and to the event's 签到员; the rest to the secretariat only."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response
from shanghui.events import figures, selectors
from shanghui.events.api.base import (
    event_for_checkin,
    event_for_manager,
    events_router,
)
from shanghui.events.api.schemas import (
    CheckinIn,
    CheckinListIn,
    CheckinListOut,
    CheckinListPatch,
    CheckinOut,
    CheckinStaffIn,
    CheckinStaffOut,
)
from shanghui.events.models import Checkin, CheckinList, CheckinStaff, Registration
from shanghui.events.services import checkin as checkin_services
from shanghui.events.services import setup as setup_services


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
    event = event_for_checkin(request, event_id)
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
    created = setup_services.checkin_list_create(
        association=event.association, actor=signed_in_user(request), event=event, name=payload.name
    )
    stats = figures.list_stats(association=event.association, checkin_list=created)
    return Status(201, _list_out(stats))


def _checkin_list(request: HttpRequest, event_id: int, list_id: int) -> CheckinList:
    event = event_for_checkin(request, event_id)
    return selectors.access_checkin_list(
        association=event.association, event=event, list_id=list_id
    )


def _managed_list(request: HttpRequest, event_id: int, list_id: int) -> CheckinList:
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


@events_router.patch(
    "/{event_id}/checkin-lists/{list_id}", response={200: CheckinListOut, **ERRORS}
)
def checkin_list_update(
    request: HttpRequest, slug: Path[str], event_id: int, list_id: int, payload: CheckinListPatch
) -> object:
    """Rename a check-in list; its arrivals stay."""
    item = _managed_list(request, event_id, list_id)
    renamed = setup_services.checkin_list_update(
        association=item.association,
        actor=signed_in_user(request),
        checkin_list=item,
        name=payload.name,
    )
    return _list_out(figures.list_stats(association=item.association, checkin_list=renamed))


@events_router.delete("/{event_id}/checkin-lists/{list_id}", response={204: None, **ERRORS})
def checkin_list_delete(
    request: HttpRequest, slug: Path[str], event_id: int, list_id: int
) -> Status[None]:
    """Delete a check-in list nobody has checked in at (400 with the reason otherwise; a
    lesson's list goes with its lesson, and an event keeps at least one)."""
    item = _managed_list(request, event_id, list_id)
    setup_services.checkin_list_delete(
        association=item.association, actor=signed_in_user(request), checkin_list=item
    )
    return Status(204, None)


@events_router.get("/{event_id}/checkin-staff", response={200: list[CheckinStaffOut], **ERRORS})
def checkin_staff_list(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    """The event's 签到员: members who may check people in at this event only."""
    event = event_for_manager(request, event_id)
    return selectors.checkin_staff(association=event.association, event=event)


@events_router.post("/{event_id}/checkin-staff", response={201: CheckinStaffOut, **ERRORS})
def checkin_staff_add(
    request: HttpRequest, slug: Path[str], event_id: int, payload: CheckinStaffIn
) -> Status[CheckinStaff]:
    """Make a person with an account in the association (by mobile number) a 签到员 of this
    event; they are told in-app. Adding someone twice changes nothing."""
    event = event_for_manager(request, event_id)
    staff = setup_services.checkin_staff_add(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        phone=payload.phone,
    )
    return Status(201, staff)


@events_router.delete(
    "/{event_id}/checkin-staff/{checkin_staff_id}", response={204: None, **ERRORS}
)
def checkin_staff_remove(
    request: HttpRequest, slug: Path[str], event_id: int, checkin_staff_id: int
) -> Status[None]:
    event = event_for_manager(request, event_id)
    staff = selectors.access_checkin_staff(
        association=event.association, event=event, checkin_staff_id=checkin_staff_id
    )
    setup_services.checkin_staff_remove(
        association=event.association, actor=signed_in_user(request), staff=staff
    )
    return Status(204, None)


PHOTO = {
    "responses": {
        200: {
            "description": "JPEG 或 PNG",
            "content": {
                mime: {"schema": {"type": "string", "format": "binary"}}
                for mime in ("image/jpeg", "image/png")
            },
        }
    }
}


@events_router.get(
    "/{event_id}/registrations/{registration_id}/photo",
    response={200: None, **ERRORS},
    openapi_extra=PHOTO,
    url_name="event_registration_photo",
)
def registration_photo(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> HttpResponse:
    """The registrant's photo, for the secretariat and the event's 签到员 (404 when there is
    none)."""
    event = event_for_checkin(request, event_id)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    person = selectors.photo_person(association=event.association, registration=registration)
    photo = held_file(event.association, person.photo_id if person else None)
    return picture_response(event.association, photo)


def _photo_url(registration: Registration) -> str | None:
    person = selectors.photo_person(association=registration.association, registration=registration)
    if person is None:
        return None
    return reverse(
        "api:event_registration_photo",
        kwargs={
            "slug": registration.association.slug,
            "event_id": registration.event_id,
            "registration_id": registration.pk,
        },
    )


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
        "photo_url": _photo_url(registration),
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
    registration = checkin_services.find_registration(
        association=item.association, event=item.event, text=payload.code
    )
    result = checkin_services.checkin_record(
        association=item.association,
        actor=signed_in_user(request),
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
    registration = checkin_services.find_registration(
        association=item.association, event=item.event, text=payload.code
    )
    done = checkin_services.checkout_record(
        association=item.association,
        actor=signed_in_user(request),
        checkin_list=item,
        registration=registration,
        companion=payload.companion,
    )
    return _out(item, registration, done, False)
