"""The public calendar (opt-in per association, like the public organisation chart) and
guest registration for public events: a phone number and a one-time code by SMS. Anything
not published is the same 404 as an unknown address."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.ratelimit import RateLimited
from shanghui.core.sms_codes import sms_code_refused_message
from shanghui.events import selectors, tickets
from shanghui.events.forms import GuestForm
from shanghui.events.models import Event, Registration
from shanghui.events.services import guests as guest_services
from shanghui.events.services import registration as registration_services
from shanghui.events.views.base import go

SESSION_KEY = "events_guest_phone_%d"


def guest_phone(request: TenantRequest) -> str:
    return str(request.session.get(SESSION_KEY % request.association.pk, ""))


@require_GET
def calendar(request: TenantRequest, association_slug: str) -> HttpResponse:
    if not selectors.calendar_published(association=request.association):
        raise Http404
    events = selectors.upcoming(selectors.public_events(association=request.association))
    return render(request, "events/public/calendar.html", {"events": list(events[:100])})


def _guest_registration(request: TenantRequest, event: Event) -> Registration | None:
    return selectors.guest_registration(
        association=request.association, event=event, phone=guest_phone(request)
    )


@require_GET
def event(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    found = selectors.access_public_event(association=request.association, event_id=event_id)
    registration = _guest_registration(request, found)
    context = {
        "event": found,
        "registration": registration,
        "open": selectors.registration_open(found),
        "seats": selectors.seats_state(found),
        "sessions": list(found.sessions.all()),
        "qr": tickets.qr_svg_uri(registration.token, scale=8)
        if registration and registration.status == Registration.Status.CONFIRMED
        else "",
        "code": tickets.display_code(registration.code) if registration else "",
    }
    return render(request, "events/public/event.html", context)


def _private(response: HttpResponse) -> HttpResponse:
    # The address is the key: no shared cache keeps the page, no search engine lists it.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def registration_pass(request: TenantRequest, association_slug: str, key: str) -> HttpResponse:
    """The registration a message links to, for someone who has no account here (a guest,
    someone the secretariat registered): the event, the status and — while the event lasts —
    the ticket. Read-only; the event need not be public."""
    registration = selectors.access_pass(association=request.association, key=key)
    event = registration.event
    ended = selectors.has_ended(event)
    ticket = (
        registration.status == Registration.Status.CONFIRMED
        and event.status != Event.Status.CANCELLED
        and not ended
    )
    context = {
        "event": event,
        "registration": registration,
        "started": selectors.has_started(event),
        "ended": ended,
        "qr": tickets.qr_svg_uri(registration.token, scale=8) if ticket else "",
        "code": tickets.display_code(registration.code) if ticket else "",
        "sessions": list(event.sessions.all()),
    }
    return _private(render(request, "events/public/pass.html", context))


@require_GET
def invited(request: TenantRequest, association_slug: str, event_id: int, key: str) -> HttpResponse:
    """The event an invitation links to for someone without an account here. Where guests
    may register (a public event on the published calendar) it leads there."""
    association = request.association
    found = selectors.access_invited_event(association=association, event_id=event_id, key=key)
    open_to_guests = (
        found.audience == Event.Audience.PUBLIC
        and selectors.calendar_published(association=association)
        and selectors.registration_open(found)
    )
    context = {
        "event": found,
        "open": selectors.registration_open(found),
        "open_to_guests": open_to_guests,
        "started": selectors.has_started(found),
        "ended": selectors.has_ended(found),
        "sessions": list(found.sessions.all()),
    }
    return _private(render(request, "events/public/invited.html", context))


@require_http_methods(["GET", "POST"])
def register(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    association = request.association
    found = selectors.access_public_event(association=association, event_id=event_id)
    if not selectors.registration_open(found):
        raise Http404
    seats = selectors.seats_state(found)
    if seats == selectors.SEATS_FULL:  # begun and full: the event page says so
        return go("public_event", request, event_id=found.pk)
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send":
                guest_services.guest_code_send(association=association, phone=data["phone"])
                messages.success(request, _("验证码已发送到您的手机"))
            else:
                phone = guest_services.guest_code_verify(
                    association=association, phone=data["phone"], code=data["code"]
                )
                request.session[SESSION_KEY % association.pk] = phone
                registration_services.registration_create(
                    association=association,
                    actor=None,
                    event=found,
                    registrant=registration_services.Registrant(
                        name=data["name"], phone=phone, company=data["company"]
                    ),
                )
                messages.success(request, _("报名已提交"))
                return go("public_event", request, event_id=found.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except RateLimited as refused:  # a cap on SMS codes (core.sms_codes)
            form.add_error(None, sms_code_refused_message(refused))
            context = {"event": found, "form": form, "seats": seats}
            response = render(request, "events/public/register.html", context, status=429)
            response["Retry-After"] = str(refused.retry_after)
            return response
    context = {"event": found, "form": form, "seats": seats}
    return render(request, "events/public/register.html", context)
