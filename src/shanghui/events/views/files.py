"""Files: ticket QR images, .ics calendars, documents, exports and PDFs."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, role_in
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.http import attachment_response
from shanghui.core.jobs import access_job
from shanghui.core.storage.files import file_response, held_file
from shanghui.core.uploads import picture_response
from shanghui.events import exports, feeds, figures, ics, pdf, selectors, tasks, tickets
from shanghui.events.models import EventDocument, Registration
from shanghui.events.views.base import (
    go,
    member_event,
    office_event,
)
from shanghui.events.views.public import guest_phone


def _png(registration: Registration | None) -> HttpResponse:
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(tickets.qr_png(registration.token), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_ticket_png(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = member_event(request, event_id)
    return _png(
        selectors.my_registration(
            association=request.association, event=event, user=signed_in_user(request)
        )
    )


@require_GET
def guest_ticket_png(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = selectors.access_public_event(association=request.association, event_id=event_id)
    return _png(
        selectors.guest_registration(
            association=request.association, event=event, phone=guest_phone(request)
        )
    )


@login_required
@require_GET
def office_ticket_png(
    request: TenantRequest, association_slug: str, event_id: int, registration_id: int
) -> HttpResponse:
    event = office_event(request, event_id)
    return _png(
        selectors.access_registration(
            association=request.association, event=event, registration_id=registration_id
        )
    )


@login_required
@require_GET
def event_ics(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = member_event(request, event_id)
    return attachment_response(ics.event_ics(event), f"event-{event.pk}.ics")


@require_GET
def member_feed(request: TenantRequest, association_slug: str, feed_key: str) -> HttpResponse:
    """A member's subscribed calendar: the events they may see, fetched by a calendar app
    without a session — the signed key in the URL says whose (see ``feeds``). A forged or
    reset key, or a person no longer in the association, is a 404."""
    association = request.association
    user = feeds.feed_user(association=association, key=feed_key)
    role = role_in(user, association) if user is not None else None
    if user is None or role is None:
        raise Http404
    events = selectors.feed_events(
        selectors.visible_events(association=association, role=role, user=user)
    )
    body = ics.calendar_ics(association, events[:300], public=False, feed=True)
    response = attachment_response(body, "events.ics", inline=True)
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def public_feed(request: TenantRequest, association_slug: str) -> HttpResponse:
    if not selectors.calendar_published(association=request.association):
        raise Http404
    events = selectors.upcoming(
        selectors.public_events(association=request.association)
    ).select_related("association")
    return attachment_response(
        ics.calendar_ics(request.association, events[:200], public=True, feed=True),
        "calendar.ics",
        inline=True,
    )


@require_GET
def public_event_ics(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = selectors.access_public_event(association=request.association, event_id=event_id)
    return attachment_response(ics.event_ics(event, public=True), f"event-{event.pk}.ics")


@login_required
@require_GET
def my_certificate(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = member_event(request, event_id)
    registration = selectors.my_registration(
        association=request.association, event=event, user=signed_in_user(request)
    )
    if registration is None or not figures.certificate_ready(
        association=request.association, event=event, registration=registration
    ):
        raise Http404
    certificate = pdf.certificate_pdf(
        association=request.association, event=event, registration=registration
    )
    return attachment_response(certificate.content, certificate.filename, inline=True)


@login_required
@require_GET
def office_certificate(
    request: TenantRequest, association_slug: str, event_id: int, registration_id: int
) -> HttpResponse:
    event = office_event(request, event_id)
    registration = selectors.access_registration(
        association=request.association, event=event, registration_id=registration_id
    )
    if not figures.completed(
        association=request.association, event=event, registration=registration
    ):
        raise Http404
    certificate = pdf.certificate_pdf(
        association=request.association, event=event, registration=registration
    )
    return attachment_response(certificate.content, certificate.filename, inline=True)


@login_required
@require_GET
def document(
    request: TenantRequest, association_slug: str, event_id: int, document_id: int
) -> StreamingHttpResponse:
    """Material for anyone who may see the event; minutes attachments for the secretariat."""
    event = member_event(request, event_id)
    found = selectors.access_document(
        association=request.association, event=event, document_id=document_id
    )
    if found.kind != EventDocument.Kind.MATERIAL and not has_perm(request.role, Perm.MANAGE_EVENTS):
        raise Http404
    if found.file is None:  # its file was missing when it moved into the content store
        raise Http404
    return file_response(request.association, found.file)


@login_required
@require_GET
def registrants_xlsx(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = office_event(request, event_id)
    data = exports.registrants_xlsx(
        association=request.association,
        event=event,
        actor=signed_in_user(request),
        role=request.role,
    )
    return attachment_response(data, f"registrants-{event.pk}.xlsx")


@login_required
@require_GET
def signin_xlsx(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = office_event(request, event_id)
    data = exports.signin_xlsx(association=request.association, event=event)
    return attachment_response(data, f"sign-in-{event.pk}.xlsx")


def _pdf_job(request: TenantRequest, event_id: int, kind: str) -> HttpResponseBase:
    event = office_event(request, event_id)
    job = tasks.event_pdf_start(
        association=request.association, actor=signed_in_user(request), event=event, kind=kind
    )
    return go("office_export_job", request, event_id=event.pk, job_id=str(job.pk))


@login_required
@require_POST
def signin_pdf(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    """Starts the sign-in sheet PDF as a job (seconds of CPU for a few hundred people)."""
    return _pdf_job(request, event_id, tasks.SIGNIN_JOB)


@login_required
@require_POST
def badges_pdf(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    """Starts the badges PDF as a job; its page shows the progress and then the download."""
    return _pdf_job(request, event_id, tasks.BADGES_JOB)


@login_required
@require_GET
def export_job(
    request: TenantRequest, association_slug: str, event_id: int, job_id: str
) -> HttpResponse:
    """The progress of an event's PDF job, and its file once made: its owner's, while they may
    still manage events (``core.jobs.access_job``)."""
    event = office_event(request, event_id)
    job = access_job(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        job_id=job_id,
    )
    of_this_event = job.params.get("event_id") == event.pk
    if job.kind not in (tasks.BADGES_JOB, tasks.SIGNIN_JOB) or not of_this_event:
        raise Http404
    return render(request, "events/office/export_job.html", {"event": event, "job": job})


@login_required
@require_GET
def cover(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    return _cover(request, member_event(request, event_id).cover_id)


@require_GET
def public_cover(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    return _cover(
        request,
        selectors.access_public_event(association=request.association, event_id=event_id).cover_id,
    )


def _cover(request: TenantRequest, file_id: int | None) -> HttpResponse:
    """The cover as stored (1600 px), or ``?size=screen`` (750 px) for a phone's page; ``?v=``
    the ``picture_version`` for a year's caching (``core.uploads.picture_response``)."""
    return picture_response(
        request.association,
        held_file(request.association, file_id),
        size=request.GET.get("size", ""),
        version=request.GET.get("v", ""),
    )
