"""The secretariat's actions on an event's registrations: adding one for someone, approving,
rejecting, cancelling, recording the fee, and revealing a registrant's full phone number.
Thin: parse, access, call the service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act
from shanghui.core.phone import mask_mobile
from shanghui.core.privacy import personal_data_reveal
from shanghui.events import selectors
from shanghui.events.forms import (
    StaffRegistrationForm,
)
from shanghui.events.models import (
    Registration,
)
from shanghui.events.presenters import registrant_phone_unmasked
from shanghui.events.services import fees as fee_services
from shanghui.events.services import registration as registration_services
from shanghui.events.views.base import go, office_event


def with_phones(
    request: TenantRequest, rows: list[Registration], *, revealed: bool = False
) -> list[Registration]:
    """Each registration with the phone this viewer sees on screen (``phone_shown``, and
    ``phone_masked`` when it is masked)."""
    for registration in rows:
        unmasked = registrant_phone_unmasked(
            registration, role=request.role, revealed=revealed, on_screen=True
        )
        registration.phone_shown = (  # type: ignore[attr-defined]
            registration.phone if unmasked else mask_mobile(registration.phone)
        )
        registration.phone_masked = bool(registration.phone) and not unmasked  # type: ignore[attr-defined]
    return rows


@login_required
@require_POST
def registration_reveal(
    request: TenantRequest, association_slug: str, event_id: int, registration_id: int
) -> HttpResponse:
    """Shows one registrant's full phone number to the secretariat — and records who
    looked (the member list's 显示完整手机号, for an event's registrants)."""
    event = office_event(request, event_id)
    require_perm(request.role, Perm.VIEW_PERSONAL_DATA)
    registration = selectors.access_registration(
        association=request.association, event=event, registration_id=registration_id
    )
    personal_data_reveal(
        actor=signed_in_user(request),
        association=request.association,
        action="registration.reveal_personal_data",
        target=registration,
        summary=registration.name,
    )
    (shown,) = with_phones(request, [registration], revealed=True)
    return render(request, "events/office/_registrant_phone.html", {"r": shown})


@login_required
@require_POST
def registration_add(
    request: TenantRequest, association_slug: str, event_id: int
) -> HttpResponseBase:
    """The secretariat registers someone (a phone call, a guest of honour)."""
    event = office_event(request, event_id)
    form = StaffRegistrationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        act(
            request,
            lambda: registration_services.registration_create(
                association=request.association,
                actor=signed_in_user(request),
                event=event,
                registrant=registration_services.Registrant(
                    name=data["name"], phone=data["phone"], company=data["company"]
                ),
                companions=data["companions"],
                by_staff=True,
            ),
            _("已代为报名"),
        )
    else:
        messages.error(request, _("请填写姓名和手机号"))
    return go("office_event", request, event_id=event.pk)


@login_required
@require_POST
def registration_action(
    request: TenantRequest,
    association_slug: str,
    event_id: int,
    registration_id: int,
    action: str,
) -> HttpResponseBase:
    event = office_event(request, event_id)
    registration = selectors.access_registration(
        association=request.association, event=event, registration_id=registration_id
    )
    common: dict[str, Any] = {
        "association": request.association,
        "actor": signed_in_user(request),
        "registration": registration,
    }
    actions = {
        "approve": (lambda: registration_services.registration_approve(**common), _("已通过")),
        "reject": (lambda: registration_services.registration_reject(**common), _("已拒绝")),
        "cancel": (
            lambda: registration_services.registration_cancel(**common, by_staff=True),
            _("已取消报名"),
        ),
        "paid": (
            lambda: fee_services.registration_mark_paid(**common, paid=True),
            _("已记为已缴费"),
        ),
        "unpaid": (
            lambda: fee_services.registration_mark_paid(**common, paid=False),
            _("已记为未缴费"),
        ),
    }
    run, done = actions[action]
    act(request, run, done)
    return go("office_event", request, event_id=event.pk)
