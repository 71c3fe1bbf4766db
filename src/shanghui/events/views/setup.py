"""The secretariat's set-up tab of an event (desktop): ticket types, the agenda (a course's
lessons), check-in lists, documents and the door volunteers (签到员) — added, edited in place
(htmx swaps the row for its form; without JavaScript the form is a page of its own) and
deleted. Thin: parse, access, call the service, render."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.contributions import LibraryFile
from shanghui.core.editing import act, submit
from shanghui.core.library import library_choices
from shanghui.events import figures, selectors
from shanghui.events.forms import (
    DOCUMENT_EXTENSIONS,
    CheckinListForm,
    CheckinStaffForm,
    DocumentForm,
    SessionForm,
    TicketTypeForm,
)
from shanghui.events.models import Event, EventDocument, EventSession, Registration, TicketType
from shanghui.events.services import events as event_services
from shanghui.events.services import setup as setup_services
from shanghui.events.views.base import office_event

SETUP_FORMS: dict[str, type[forms.Form]] = {
    "ticket_type": TicketTypeForm,
    "session": SessionForm,
    "checkin_list": CheckinListForm,
    "document": DocumentForm,
    "checkin_staff": CheckinStaffForm,
}
EDIT_PREFIX = "edit"


def _setup_save(request: TenantRequest, event: Event, which: str, form: forms.Form) -> None:
    data = form.cleaned_data
    common: dict[str, Any] = {
        "association": request.association,
        "actor": signed_in_user(request),
        "event": event,
    }
    if which == "ticket_type":
        setup_services.ticket_type_create(**common, **data)
    elif which == "session":
        setup_services.session_create(**common, **data)
    elif which == "checkin_list":
        setup_services.checkin_list_create(**common, **data)
    elif which == "checkin_staff":
        setup_services.checkin_staff_add(**common, **data)
    else:
        assert isinstance(form, DocumentForm)
        upload = form.upload(request.association, request.role, common["actor"])
        event_services.document_add(**common, upload=upload, kind=data["kind"])


def document_library(request: TenantRequest) -> list[LibraryFile]:
    """The document library's files the person may attach as an event document."""
    return library_choices(
        request.association, request.role, signed_in_user(request), DOCUMENT_EXTENSIONS
    )


def _setup_url(request: TenantRequest, event: Event) -> str:
    return reverse(
        "events:office_setup",
        kwargs={"association_slug": request.association.slug, "event_id": event.pk},
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    """Ticket types, the agenda (or a course's lessons), check-in lists, 签到员 and documents."""
    event = office_event(request, event_id)
    association = request.association
    which = request.POST.get("form", "") if request.method == "POST" else ""
    # Own ids per form: the ticket type's and the check-in list's "name" fields share a page.
    library: dict[str, dict[str, Any]] = {"document": {"library": document_library(request)}}
    built = {
        name: cls(
            request.POST if name == which else None,
            request.FILES if name == which else None,
            auto_id=f"{name}-%s",
            **library.get(name, {}),
        )
        for name, cls in SETUP_FORMS.items()
    }
    if which in built and submit(
        request,
        built[which],
        lambda: _setup_save(request, event, which, built[which]),
        _("已添加"),
    ):
        return redirect(_setup_url(request, event))
    ticket_types = list(TicketType.objects.filter(association=association, event=event))
    used = set(
        Registration.objects.filter(association=association, event=event)
        .exclude(ticket_type=None)
        .values_list("ticket_type_id", flat=True)
    )
    context = {
        "event": event,
        "forms": built,
        "ticket_types": [(t, t.pk in used) for t in ticket_types],
        "sessions": EventSession.objects.filter(association=association, event=event),
        "lists": [
            figures.list_stats(association=association, checkin_list=item)
            for item in figures.checkin_lists(association=association, event=event)
        ],
        "staff": selectors.checkin_staff(association=association, event=event),
        "documents": EventDocument.objects.filter(association=association, event=event),
    }
    return render(request, "events/office/setup.html", context)


def _edit(
    request: TenantRequest,
    event: Event,
    form: forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    title: str,
    colspan: int,
) -> HttpResponseBase:
    """One item's edit form: in place of its row for htmx, else a page; back to the set-up
    tab once saved."""
    if submit(request, form, lambda: save(form.cleaned_data), _("已保存")):
        if request.htmx:
            return HttpResponseClientRedirect(_setup_url(request, event))
        return redirect(_setup_url(request, event))
    context = {
        "event": event,
        "form": form,
        "title": title,
        "colspan": colspan,
        "setup_url": _setup_url(request, event),
    }
    template = "events/office/_setup_edit.html" if request.htmx else "events/office/setup_edit.html"
    return render(request, template, context)


def _bound(request: TenantRequest, cls: type[forms.Form], initial: dict[str, Any]) -> forms.Form:
    data = request.POST if request.method == "POST" else None
    return cls(data, initial=initial, prefix=EDIT_PREFIX)


def _deleted(
    request: TenantRequest, event: Event, remove: Callable[[], object]
) -> HttpResponseBase:
    act(request, remove, _("已删除"))
    return redirect(_setup_url(request, event))


@login_required
@require_http_methods(["GET", "POST"])
def ticket_type_edit(
    request: TenantRequest, association_slug: str, event_id: int, ticket_type_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_ticket_type(
        association=request.association, event=event, ticket_type_id=ticket_type_id
    )
    initial = {"name": found.name, "price": found.price, "capacity": found.capacity}
    form = _bound(request, TicketTypeForm, initial)
    return _edit(
        request,
        event,
        form,
        lambda data: setup_services.ticket_type_update(
            association=request.association,
            actor=signed_in_user(request),
            ticket_type=found,
            **data,
        ),
        title=_("编辑票种：%(name)s") % {"name": found.name},
        colspan=4,
    )


@login_required
@require_POST
def ticket_type_delete(
    request: TenantRequest, association_slug: str, event_id: int, ticket_type_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_ticket_type(
        association=request.association, event=event, ticket_type_id=ticket_type_id
    )
    return _deleted(
        request,
        event,
        lambda: setup_services.ticket_type_delete(
            association=request.association, actor=signed_in_user(request), ticket_type=found
        ),
    )


@login_required
@require_POST
def document_delete(
    request: TenantRequest, association_slug: str, event_id: int, document_id: int
) -> HttpResponseBase:
    """Removes a document from the event; its file goes to the trash."""
    event = office_event(request, event_id)
    found = selectors.access_document(
        association=request.association, event=event, document_id=document_id
    )
    return _deleted(
        request,
        event,
        lambda: event_services.document_delete(
            association=request.association, actor=signed_in_user(request), document=found
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(
    request: TenantRequest, association_slug: str, event_id: int, session_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_session(
        association=request.association, event=event, session_id=session_id
    )
    initial = {
        "title": found.title,
        "starts_at": timezone.localtime(found.starts_at),
        "ends_at": timezone.localtime(found.ends_at) if found.ends_at else None,
        "location": found.location,
        "speaker": found.speaker,
    }
    form = _bound(request, SessionForm, initial)
    return _edit(
        request,
        event,
        form,
        lambda data: setup_services.session_update(
            association=request.association, actor=signed_in_user(request), session=found, **data
        ),
        title=_("编辑议程：%(title)s") % {"title": found.title},
        colspan=5,
    )


@login_required
@require_POST
def session_delete(
    request: TenantRequest, association_slug: str, event_id: int, session_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_session(
        association=request.association, event=event, session_id=session_id
    )
    return _deleted(
        request,
        event,
        lambda: setup_services.session_delete(
            association=request.association, actor=signed_in_user(request), session=found
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin_list_edit(
    request: TenantRequest, association_slug: str, event_id: int, list_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_checkin_list(
        association=request.association, event=event, list_id=list_id
    )
    form = _bound(request, CheckinListForm, {"name": found.name})
    return _edit(
        request,
        event,
        form,
        lambda data: setup_services.checkin_list_update(
            association=request.association,
            actor=signed_in_user(request),
            checkin_list=found,
            **data,
        ),
        title=_("编辑签到点：%(name)s") % {"name": found.name},
        colspan=3,
    )


@login_required
@require_POST
def checkin_list_delete(
    request: TenantRequest, association_slug: str, event_id: int, list_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_checkin_list(
        association=request.association, event=event, list_id=list_id
    )
    return _deleted(
        request,
        event,
        lambda: setup_services.checkin_list_delete(
            association=request.association, actor=signed_in_user(request), checkin_list=found
        ),
    )


@login_required
@require_POST
def checkin_staff_remove(
    request: TenantRequest, association_slug: str, event_id: int, checkin_staff_id: int
) -> HttpResponseBase:
    event = office_event(request, event_id)
    found = selectors.access_checkin_staff(
        association=request.association, event=event, checkin_staff_id=checkin_staff_id
    )
    act(
        request,
        lambda: setup_services.checkin_staff_remove(
            association=request.association, actor=signed_in_user(request), staff=found
        ),
        _("已移除签到员"),
    )
    return redirect(_setup_url(request, event))
