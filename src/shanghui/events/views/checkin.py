"""Check-in at the door, on a phone — the secretariat's, or an assigned 签到员's (a member
who may work this event's door and see nothing else of the back office): choose the list
(main hall, dinner, shuttle, a lesson), then scan with the camera (vendored jsQR) or type the
code or phone number. The person's photo (or a plain avatar with their surname), name,
enterprise and level are shown; companions are checked in one by one; the arrival count
refreshes itself. Photos are personal data: they are served only through ``photo`` below,
to the same people, never from a public media address."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.chinese import surname_of
from shanghui.core.http import whole_number
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response
from shanghui.events import figures, selectors
from shanghui.events.models import CheckinList, Registration
from shanghui.events.services import checkin as checkin_services
from shanghui.events.views.base import checkin_event


def _list(request: TenantRequest, event_id: int, list_id: int) -> CheckinList:
    event = checkin_event(request, event_id)
    return selectors.access_checkin_list(
        association=request.association, event=event, list_id=list_id
    )


@login_required
@require_GET
def choose_list(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = checkin_event(request, event_id)
    stats = [
        figures.list_stats(association=request.association, checkin_list=item)
        for item in figures.checkin_lists(association=request.association, event=event)
    ]
    return render(
        request,
        "events/office/checkin_lists.html",
        {"event": event, "stats": stats, "manages": has_perm(request.role, Perm.MANAGE_EVENTS)},
    )


def _person_context(
    request: TenantRequest, item: CheckinList, registration: Registration, **extra: object
) -> dict[str, object]:
    done = checkin_services.checkins_of(
        association=request.association, checkin_list=item, registration=registration
    )
    member = registration.member
    arrivals = [
        {"companion": n, "checkin": done.get(n)} for n in range(0, registration.companions + 1)
    ]
    photo = selectors.photo_person(association=request.association, registration=registration)
    return {
        "event": item.event,
        "checkin_list": item,
        "registration": registration,
        "level": member.level.name if member and member.level else "",
        "people": arrivals,
        "has_photo": photo is not None,
        "surname": surname_of(registration.name),
        "stats": figures.list_stats(association=request.association, checkin_list=item),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def scan(
    request: TenantRequest, association_slug: str, event_id: int, list_id: int
) -> HttpResponse:
    """GET: the scanner. POST ``code``: check that person in (their companions are offered
    as further buttons)."""
    item = _list(request, event_id, list_id)
    context: dict[str, object] = {
        "event": item.event,
        "checkin_list": item,
        "stats": figures.list_stats(association=request.association, checkin_list=item),
    }
    if request.method == "POST":
        text = request.POST.get("code", "")
        try:
            registration = checkin_services.find_registration(
                association=request.association, event=item.event, text=text
            )
            result = checkin_services.checkin_record(
                association=request.association,
                actor=signed_in_user(request),
                checkin_list=item,
                registration=registration,
            )
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
        else:
            context = _person_context(
                request, item, registration, created=result.created, checkin=result.checkin
            )
        template = (
            "events/office/_checkin_result.html"
            if request.htmx
            else "events/office/checkin_scan.html"
        )
        return render(request, template, context)
    return render(request, "events/office/checkin_scan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person(
    request: TenantRequest,
    association_slug: str,
    event_id: int,
    list_id: int,
    registration_id: int,
) -> HttpResponse:
    """One registrant at this list: check in or out themself or a companion."""
    item = _list(request, event_id, list_id)
    registration = selectors.access_registration(
        association=request.association, event=item.event, registration_id=registration_id
    )
    extra: dict[str, object] = {}
    if request.method == "POST":
        raw = request.POST.get("companion", "0")
        companion = whole_number(raw, below=100)
        companion = -1 if companion is None else companion
        try:
            if request.POST.get("action") == "checkout":
                checkin_services.checkout_record(
                    association=request.association,
                    actor=signed_in_user(request),
                    checkin_list=item,
                    registration=registration,
                    companion=companion,
                )
            else:
                result = checkin_services.checkin_record(
                    association=request.association,
                    actor=signed_in_user(request),
                    checkin_list=item,
                    registration=registration,
                    companion=companion,
                )
                extra["created"] = result.created
        except ValidationError as exc:
            extra["error"] = "；".join(exc.messages)
    context = _person_context(request, item, registration, **extra)
    template = (
        "events/office/_checkin_result.html" if request.htmx else "events/office/checkin_scan.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def photo(
    request: TenantRequest, association_slug: str, event_id: int, registration_id: int
) -> HttpResponse:
    """The registrant's photo, for whoever works this event's door."""
    event = checkin_event(request, event_id)
    registration = selectors.access_registration(
        association=request.association, event=event, registration_id=registration_id
    )
    person = selectors.photo_person(association=request.association, registration=registration)
    photo_id = person.photo_id if person else None
    photo = held_file(request.association, photo_id)
    return picture_response(request.association, photo)


@login_required
@require_GET
def count(
    request: TenantRequest, association_slug: str, event_id: int, list_id: int
) -> HttpResponse:
    item = _list(request, event_id, list_id)
    stats = figures.list_stats(association=request.association, checkin_list=item)
    return render(
        request,
        "events/office/_checkin_count.html",
        {"stats": stats, "event": item.event, "checkin_list": item},
    )
