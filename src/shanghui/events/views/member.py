"""A member's event pages on the phone: the list (活动 tab), an event with the register
button (three taps: 活动 → the event → 报名), the ticket with its QR code, cancelling and
feedback, the in-app notices (opening the list marks them read) and the calendar
subscription."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.core.forms import add_service_errors
from shanghui.events import feeds, figures, selectors, tickets
from shanghui.events.forms import FeedbackForm, RegisterForm
from shanghui.events.models import Event, EventDocument, Registration, TicketType
from shanghui.events.services import after as after_services
from shanghui.events.services import events as event_services
from shanghui.events.services import notices as notice_services
from shanghui.events.services import registration as registration_services
from shanghui.events.views.base import go, member_event


def _my_registration(request: TenantRequest, event: Event) -> Registration | None:
    return selectors.my_registration(
        association=request.association, event=event, user=signed_in_user(request)
    )


@login_required
@require_GET
def event_list(request: TenantRequest, association_slug: str) -> HttpResponse:
    role = require_member(request.role)
    association = request.association
    visible = selectors.visible_events(
        association=association, role=role, user=signed_in_user(request)
    )
    mine = {
        r.event_id: r
        for r in selectors.my_registrations(association=association, user=signed_in_user(request))
        if r.is_active
    }
    upcoming = list(selectors.upcoming(visible)[:50])
    past = list(
        visible.exclude(status=Event.Status.DRAFT)
        .filter(pk__in=list(mine))
        .exclude(pk__in=[e.pk for e in upcoming])[:20]
    )
    feed_url, webcal_url = feeds.feed_urls(association=association, user=signed_in_user(request))
    return render(
        request,
        "events/member/list.html",
        {
            "upcoming": [(e, mine.get(e.pk)) for e in upcoming],
            "past": [(e, mine.get(e.pk)) for e in past],
            "unread": selectors.unread_notice_count(
                association=association, user=signed_in_user(request)
            ),
            "door_events": selectors.my_checkin_events(
                association=association, user=signed_in_user(request)
            ),
            "feed_url": feed_url,
            "webcal_url": webcal_url,
        },
    )


@login_required
@require_GET
def notices(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The person's notices, newest first; opening the list marks them read (the ones
    unread until now are highlighted this once)."""
    require_member(request.role)
    association = request.association
    qs = selectors.my_notices(association=association, user=signed_in_user(request))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(n, n.read_at is None, selectors.notice_event_id(n)) for n in page.object_list]
    notice_services.notices_mark_read(
        association=association,
        actor=signed_in_user(request),
        ids=[n.pk for n, unread, _event_id in rows if unread],
    )
    return render(request, "events/member/notices.html", {"page_obj": page, "rows": rows})


@login_required
@require_POST
def feed_reset(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_member(request.role)
    event_services.calendar_feed_reset(
        association=request.association, actor=signed_in_user(request)
    )
    messages.success(request, _("已生成新的订阅链接，原链接已失效，请重新订阅"))
    return go("list", request)


def _register_form(request: TenantRequest, event: Event, data: object = None) -> RegisterForm:
    ticket_types = list(TicketType.objects.filter(association=request.association, event=event))
    return RegisterForm(data, event=event, ticket_types=ticket_types)


def _detail_context(
    request: TenantRequest, event: Event, form: RegisterForm | None = None
) -> dict[str, object]:
    association = request.association
    registration = _my_registration(request, event)
    can_register = (
        selectors.registration_open(event)
        and selectors.in_audience(event=event, user=signed_in_user(request), is_member=True)
        and (registration is None or not registration.is_active)
    )
    return {
        "event": event,
        "registration": registration,
        "can_register": can_register,
        "form": form or _register_form(request, event),
        "sessions": list(event.sessions.all()),
        "documents": list(
            EventDocument.objects.filter(
                association=association, event=event, kind=EventDocument.Kind.MATERIAL
            )
        ),
        "speakers": [s for s in event.speakers.splitlines() if s.strip()],
        # From the start the registration is read-only (no cancelling); after the end the
        # ticket gives way to feedback and the certificate.
        "started": selectors.has_started(event),
        "ended": selectors.has_ended(event),
        "certificate": registration is not None
        and figures.certificate_ready(
            association=association, event=event, registration=registration
        ),
        "works_door": has_perm(request.role, Perm.MANAGE_EVENTS)
        or selectors.is_checkin_staff(
            association=association, event=event, user=signed_in_user(request)
        ),
    }


@login_required
@require_GET
def event_detail(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = member_event(request, event_id)
    return render(request, "events/member/detail.html", _detail_context(request, event))


@login_required
@require_POST
def register(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = member_event(request, event_id)
    association = request.association
    form = _register_form(request, event, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ticket_type = None
        if "ticket_type" in data:
            ticket_type = TicketType.objects.filter(
                association=association, event=event, pk=int(data["ticket_type"])
            ).first()
        try:
            if not selectors.in_audience(event=event, user=signed_in_user(request), is_member=True):
                raise ValidationError(_("该活动仅限指定范围的人员报名"))
            result = registration_services.registration_create(
                association=association,
                actor=signed_in_user(request),
                event=event,
                registrant=registration_services.registrant_for_user(
                    association=association, user=signed_in_user(request), role=request.role
                ),
                companions=data.get("companions", 0),
                ticket_type=ticket_type,
                answers={q["key"]: data.get(q["key"], "") for q in event.questions or []},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            status = result.registration.status
            if status == Registration.Status.WAITLISTED:
                messages_text = _("名额已满，您已进入候补名单；有人取消时将自动递补并通知您")
            elif status == Registration.Status.PENDING:
                messages_text = _("报名已提交，等待秘书处审核")
            else:
                messages_text = _("报名成功！入场时出示电子票二维码")
            messages.success(request, messages_text)
            return go("event", request, event_id=event.pk)
    return render(request, "events/member/detail.html", _detail_context(request, event, form))


@login_required
@require_POST
def cancel(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = member_event(request, event_id)
    registration = _my_registration(request, event)
    if registration is None or not registration.is_active:
        raise Http404
    act(
        request,
        lambda: registration_services.registration_cancel(
            association=request.association,
            actor=signed_in_user(request),
            registration=registration,
        ),
        _("已取消报名"),
    )
    return go("event", request, event_id=event.pk)


@login_required
@require_GET
def ticket(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponse:
    event = member_event(request, event_id)
    registration = _my_registration(request, event)
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise Http404
    return render(
        request,
        "events/member/ticket.html",
        {
            "event": event,
            "registration": registration,
            "qr": tickets.qr_svg_uri(registration.token, scale=8),
            "code": tickets.display_code(registration.code),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: TenantRequest, association_slug: str, event_id: int) -> HttpResponseBase:
    event = member_event(request, event_id)
    registration = _my_registration(request, event)
    if registration is None:
        raise Http404
    form = FeedbackForm(request.POST or None)
    if submit(
        request,
        form,
        lambda: after_services.feedback_submit(
            association=request.association,
            actor=signed_in_user(request),
            registration=registration,
            **form.cleaned_data,
        ),
        _("感谢您的评价"),
    ):
        return go("event", request, event_id=event.pk)
    return render(request, "events/member/feedback.html", {"event": event, "form": form})
