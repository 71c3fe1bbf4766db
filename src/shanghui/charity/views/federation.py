"""The federation roll-up page (团体会员慈善汇总): the secretariat of a parent association
sees its own charity totals and its consenting group members', each gift counted once, and
the entries that may be duplicates."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.selectors.federation import group_member_charity
from shanghui.core.http import whole_number

FIRST_YEAR = 2000


def year_filter(value: str) -> int | None:
    """A year from the query string (``?year=2020``); None (all years) for anything else."""
    year = whole_number(value)
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year:
        return None
    return year


@login_required
@require_GET
def office_federation(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_CHARITY)
    year = year_filter(request.GET.get("year", ""))
    context = {
        "tab": "federation",
        "year": year,
        "years": range(timezone.localdate().year, FIRST_YEAR - 1, -1),
        "roll_up": group_member_charity(association=request.association, year=year),
    }
    return render(request, "charity/office/federation.html", context)
