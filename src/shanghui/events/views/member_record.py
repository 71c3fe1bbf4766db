"""The events section of a member's record in the back office
(``core.contributions.MEMBER_PANELS``)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.events.models import Checkin, Registration
from shanghui.members.selectors import access_member

# The member's last events shown on its record; the registrant lists have the rest.
SHOWN = 50


@login_required
@require_GET
def office_member_events(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponse:
    """Which events the member's people registered for, newest first, and who came."""
    require_perm(request.role, Perm.MANAGE_EVENTS)
    association = request.association
    member = access_member(association=association, member_id=member_id, directory=False)
    registrations = (
        Registration.objects.filter(association=association, member=member)
        .select_related("event")
        .annotate(
            attended=Exists(
                Checkin.objects.filter(association=association, registration=OuterRef("pk"))
            )
        )
        .order_by("-event__starts_at", "id")[:SHOWN]
    )
    return render(
        request,
        "events/office/member_events.html",
        {"member": member, "registrations": registrations, "shown": SHOWN},
    )
