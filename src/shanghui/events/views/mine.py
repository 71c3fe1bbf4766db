"""我的活动/电子票: a member's own registrations in one association — what is coming with its
e-ticket, and what they took part in — reached from 我的."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.events import selectors
from shanghui.events.models import Registration


@login_required
@require_GET
def my_events(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_member(request.role)
    rows = selectors.my_events(association=request.association, user=signed_in_user(request))
    coming = [(e, r) for e, r in rows if not selectors.has_ended(e)]
    coming.reverse()  # soonest first
    past = [
        (e, r)
        for e, r in rows
        if selectors.has_ended(e) and r.status == Registration.Status.CONFIRMED
    ]
    return render(request, "events/member/mine.html", {"coming": coming, "past": past})
