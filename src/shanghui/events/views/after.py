"""The secretariat's pages after (and during) an event: attendance and quorum, minutes and
resolutions, feedback. Thin: parse, access, call the service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import submit
from shanghui.events import figures
from shanghui.events.forms import (
    DocumentForm,
    MinutesForm,
    ResolutionForm,
)
from shanghui.events.models import (
    Event,
    EventDocument,
    Resolution,
)
from shanghui.events.services import after as after_services
from shanghui.events.views.base import go, office_event
from shanghui.events.views.setup import document_library


@login_required
@require_GET
def attendance(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = office_event(request, event_id)
    association = request.association
    context: dict[str, Any] = {
        "event": event,
        "attendance": figures.event_attendance(association=association, event=event),
        "lists": [
            figures.list_stats(association=association, checkin_list=item)
            for item in figures.checkin_lists(association=association, event=event)
        ],
    }
    if event.quorum_rule or event.kind in (Event.Kind.COUNCIL, Event.Kind.PRESIDENT_OFFICE):
        context["quorum"] = figures.quorum(association=association, event=event)
    per_session = figures.sessions_attended(association=association, event=event)
    required = figures.sessions_required(event)
    context["training"] = event.is_training
    context["sessions_required"] = required
    context["rows"] = [
        (
            r,
            came,
            per_session.get(r.pk, 0),
            event.is_training and 0 < required <= per_session.get(r.pk, 0),
        )
        for r, came in context["attendance"].rows
    ]
    return render(request, "events/office/attendance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = office_event(request, event_id)
    association = request.association
    current = after_services.minutes_of(association=association, event=event)
    which = request.POST.get("form", "")
    minutes_form = MinutesForm(
        request.POST if which == "minutes" else None,
        initial={"body": current.body if current else ""},
    )
    resolution_form = ResolutionForm(request.POST if which == "resolution" else None)
    if which == "minutes" and minutes_form.is_valid():
        after_services.minutes_save(
            association=association,
            actor=signed_in_user(request),
            event=event,
            body=minutes_form.cleaned_data["body"],
        )
        messages.success(request, _("已保存会议纪要"))
        return go("office_minutes", request, event_id=event.pk)
    if which == "resolution" and submit(
        request,
        resolution_form,
        lambda: after_services.resolution_add(
            association=association,
            actor=signed_in_user(request),
            event=event,
            **resolution_form.cleaned_data,
        ),
        _("已添加决议"),
    ):
        return go("office_minutes", request, event_id=event.pk)
    context = {
        "event": event,
        "minutes": current,
        "minutes_form": minutes_form,
        "resolution_form": resolution_form,
        "resolutions": Resolution.objects.filter(association=association, event=event),
        "documents": EventDocument.objects.filter(
            association=association, event=event, kind=EventDocument.Kind.MINUTES
        ),
        "document_form": DocumentForm(
            initial={"kind": EventDocument.Kind.MINUTES}, library=document_library(request)
        ),
    }
    return render(request, "events/office/minutes.html", context)


@login_required
@require_GET
def feedback(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = office_event(request, event_id)
    summary = figures.feedback_summary(association=request.association, event=event)
    return render(request, "events/office/feedback.html", {"event": event, "summary": summary})
