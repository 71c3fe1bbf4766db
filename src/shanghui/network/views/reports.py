"""The secretariat's 供需对接 report (/a/<slug>/office/network/report/): per month of a year,
listings published, conversations, matches and deals with their value, and the year's 对接会
(matchmaking events) linked to the events module."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.network.selectors.reports import (
    FIRST_YEAR,
    matchmaking_events_of_year,
    network_report,
    report_year,
)


@login_required
@require_GET
def office_report(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.MODERATE_NETWORK)
    year = report_year(request.GET.get("year"))
    this_year = timezone.localdate().year
    return render(
        request,
        "network/office/report.html",
        {
            "report": network_report(association=request.association, year=year),
            "events": matchmaking_events_of_year(association=request.association, year=year),
            "year": year,
            "years": list(range(this_year, max(FIRST_YEAR, this_year - 5) - 1, -1)),
        },
    )
