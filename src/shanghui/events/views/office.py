"""The secretariat's event pages (desktop): the list, creating and editing, the overview
with its registrations, publishing, invitations, cancelling, audience, members' activity, the
ticket lookup and the public calendar switch (the set-up tab is in ``setup``, the actions on
registrations in ``registrations``, attendance, minutes and feedback in ``after``). Thin:
parse, access, call the service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.audience import AudienceInput
from shanghui.core.editing import act, submit
from shanghui.core.forms import add_service_errors
from shanghui.core.http import whole_number
from shanghui.core.jobs import job_start
from shanghui.core.paging import DeepPaginator
from shanghui.core.privacy import personal_data_page
from shanghui.events import figures, selectors, tickets, todos
from shanghui.events.forms import (
    AudienceForm,
    EventForm,
    StaffRegistrationForm,
    audience_form,
)
from shanghui.events.models import (
    Event,
    Registration,
)
from shanghui.events.services import events as event_services
from shanghui.events.tasks import send_invitations
from shanghui.events.views.base import go, job_url, office_event
from shanghui.events.views.registrations import with_phones
from shanghui.members.models import Person
from shanghui.org.models import Committee

PAGE = 50


def _require(request: TenantRequest) -> None:
    require_perm(request.role, Perm.MANAGE_EVENTS)


@login_required
@require_GET
def event_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Every event, newest first; ``?needs=`` keeps those of one to-do item (``todos``)."""
    _require(request)
    needs = request.GET.get("needs", "")
    if needs in todos.NEEDS:
        qs = todos.events_needing(association=request.association, need=needs)
    else:
        needs = ""
        qs = Event.objects.filter(association=request.association).order_by("-starts_at", "-id")
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/office/list.html",
        {"page_obj": page, "now": timezone.now(), "needs": needs},
    )


def _event_form(request: TenantRequest, initial: dict[str, Any]) -> EventForm:
    form = EventForm(request.POST or None, request.FILES or None, initial=initial)
    committees = Committee.objects.filter(association=request.association)
    form.fields["organizing_committee"].choices = [("", "—")] + [  # type: ignore[attr-defined]
        (str(c.pk), c.name) for c in committees
    ]
    return form


def _committee(request: TenantRequest, form: EventForm) -> Committee | None:
    value = form.cleaned_data.get("organizing_committee") or ""
    committee_id = whole_number(value)
    if committee_id is None:
        return None
    return Committee.objects.filter(association=request.association, pk=committee_id).first()


def _input(form: EventForm) -> event_services.EventInput:
    data = dict(form.cleaned_data)
    data.pop("cover", None)
    data.pop("organizing_committee", None)
    data["capacity"] = data.get("capacity")
    data["fee"] = data.get("fee") or "0"
    data["min_sessions_for_certificate"] = data.get("min_sessions_for_certificate") or 0
    data["quorum_rule"] = data.get("quorum_rule") or ""
    return event_services.EventInput(**data)


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    _require(request)
    form = _event_form(request, {"kind": Event.Kind.FORUM, "audience": "members"})
    if request.method == "POST" and form.is_valid():
        try:
            event = event_services.event_create(
                association=request.association,
                actor=signed_in_user(request),
                data=_input(form),
                committee=_committee(request, form),
                cover=form.cleaned_data.get("cover"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已创建活动草稿，确认无误后请发布"))
            return go("office_event", request, event_id=event.pk)
    return render(request, "events/office/edit.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = office_event(request, event_id)
    initial = EventForm.initial_for(event)
    initial["organizing_committee"] = str(event.organizing_committee_id or "")
    form = _event_form(request, initial)
    if submit(
        request,
        form,
        lambda: event_services.event_update(
            association=request.association,
            actor=signed_in_user(request),
            event=event,
            data=_input(form),
            committee=_committee(request, form),
            cover=form.cleaned_data.get("cover"),
        ),
        _("已保存"),
    ):
        return go("office_event", request, event_id=event.pk)
    return render(request, "events/office/edit.html", {"form": form, "event": event})


@login_required
@require_GET
def event_overview(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = office_event(request, event_id)
    association = request.association
    status = request.GET.get("status", "")
    status = status if status in Registration.Status.values else ""
    q = request.GET.get("q", "")[:50]
    qs = selectors.registrations(association=association, event=event, status=status, q=q)
    page = DeepPaginator(qs, PAGE).get_page(request.GET.get("page"))
    rows = with_phones(request, list(page.object_list))
    personal_data_page(
        actor=signed_in_user(request),
        association=association,
        listing=f"registrations:{event.pk}",
        rows=len(rows),
        page=page.number,
        filters={"status": status, "q": q},
        unmasked=False,
    )
    page.object_list = rows
    context: dict[str, Any] = {
        "event": event,
        "counts": figures.registration_counts(association=association, event=event),
        "page_obj": page,
        "status": status,
        "statuses": Registration.Status.choices,
        "attended": figures.attended_ids(association=association, event=event),
        "add_form": StaffRegistrationForm(),
        "rules": len(selectors.event_audience_rules(association=association, event=event)),
    }
    return render(request, "events/office/event.html", context)


@login_required
@require_POST
def event_publish(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = office_event(request, event_id)
    act(
        request,
        lambda: event_services.event_publish(
            association=request.association, actor=signed_in_user(request), event=event
        ),
        _("已发布"),
    )
    return go("office_event", request, event_id=event.pk)


@login_required
@require_POST
def invitations_send(
    request: TenantRequest, association_slug: str, event_id: int
) -> HttpResponseBase:
    """Invite the audience by SMS as a background job; the job page shows progress."""
    event = office_event(request, event_id)
    if event.status != Event.Status.PUBLISHED:
        messages.error(request, _("请先发布活动再发送邀请"))
        return go("office_event", request, event_id=event.pk)
    job = job_start(
        association=request.association,
        actor=signed_in_user(request),
        kind="events.invite",
        label=_("活动邀请：%(title)s") % {"title": event.title},
        task=send_invitations,
        event_id=event.pk,
    )
    messages.success(request, _("正在后台发送邀请"))
    return redirect(job_url(request, job))


@login_required
@require_POST
def event_cancel(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = office_event(request, event_id)
    reason = request.POST.get("reason", "")
    act(
        request,
        lambda: event_services.event_cancel(
            association=request.association,
            actor=signed_in_user(request),
            event=event,
            reason=reason,
        ),
        _("活动已取消，已通知报名人员"),
    )
    return go("office_event", request, event_id=event.pk)


def _audience_form(request: TenantRequest, event: Event) -> AudienceForm:
    association = request.association
    return audience_form(
        request.POST,
        association=association,
        rules=selectors.event_audience_rules(association=association, event=event),
    )


@login_required
@require_http_methods(["GET", "POST"])
def audience(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = office_event(request, event_id)
    association = request.association
    form = _audience_form(request, event)

    def save() -> None:
        data = form.cleaned_data
        phones = [p.strip() for p in data["phones"].splitlines() if p.strip()]
        persons = list(Person.objects.filter(association=association, phone__in=phones))
        if len({p.phone for p in persons}) != len(set(phones)):
            raise ValidationError({"phones": _("有手机号未找到对应的联系人")})
        event_services.audience_set(
            association=association,
            actor=signed_in_user(request),
            event=event,
            data=AudienceInput.from_form(data, person_ids=[p.pk for p in persons]),
        )

    if submit(request, form, save, _("已保存参加范围")):
        return go("office_event", request, event_id=event.pk)
    return render(request, "events/office/audience.html", {"event": event, "form": form})


@login_required
@require_GET
def member_activity(request: TenantRequest, association_slug: str) -> HttpResponse:
    _require(request)
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    year = whole_number(raw)
    year = year if year is not None and 2000 <= year <= 2100 else this_year
    rows = figures.member_activity(association=request.association, year=year)
    return render(
        request,
        "events/office/activity.html",
        {"rows": rows, "year": year, "years": list(range(this_year, this_year - 5, -1))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    _require(request)
    if request.method == "POST":
        publish = request.POST.get("publish_calendar") == "on"
        event_services.calendar_settings_update(
            association=request.association, actor=signed_in_user(request), publish_calendar=publish
        )
        messages.success(request, _("已保存"))
        return go("office_settings", request)
    # The switch lives on the public site's one settings page (官网设置) now; this address
    # stays for the links people hold.
    return redirect("publishing:office_site_settings", association_slug=association_slug)


@login_required
@require_GET
def ticket_lookup(request: TenantRequest, association_slug: str, ticket_token: str) -> HttpResponse:
    _require(request)
    registration = selectors.access_ticket(
        association=request.association, ticket_token=ticket_token
    )
    return render(
        request,
        "events/office/ticket.html",
        {"registration": registration, "code": tickets.display_code(registration.code)},
    )
