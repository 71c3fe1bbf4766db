"""What the event pages share."""

from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.models import Job
from shanghui.events import selectors
from shanghui.events.models import Event


def member_event(request: TenantRequest, event_id: int) -> Event:
    """An event the signed-in member may see (404 otherwise, also for strangers)."""
    role = require_member(request.role)
    return selectors.access_event(
        association=request.association, event_id=event_id, role=role, user=signed_in_user(request)
    )


def office_event(request: TenantRequest, event_id: int) -> Event:
    require_perm(request.role, Perm.MANAGE_EVENTS)
    return selectors.access_event(association=request.association, event_id=event_id)


def checkin_event(request: TenantRequest, event_id: int) -> Event:
    """An event whose door the signed-in person works: the secretariat, or its 签到员."""
    return selectors.access_checkin_event(
        association=request.association,
        event_id=event_id,
        role=request.role,
        user=signed_in_user(request) if request.user.is_authenticated else None,
    )


def go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"events:{name}", association_slug=request.association.slug, **kwargs)


def job_url(request: TenantRequest, job: Job) -> str:
    return reverse(
        "site:job_progress",
        kwargs={"association_slug": request.association.slug, "job_id": str(job.pk)},
    )
