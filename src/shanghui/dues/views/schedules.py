"""The back office's fee schedules per level and year, and the dues policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.money import parse_cny
from shanghui.dues import selectors
from shanghui.dues.forms import PolicyForm
from shanghui.dues.services import bills as bill_services
from shanghui.dues.services import common as dues_common
from shanghui.dues.views.shared import errors_text, levels_of, year_param


@login_required
@require_http_methods(["GET", "POST"])
def office_schedules(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Fee schedules per level for a year, and the dues policy. The secretariat sees them;
    changing a price or the policy is the administrator's (as a level's annual fee is)."""
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    if request.method == "POST":
        require_perm(role, Perm.EDIT_SETTINGS)
    association = request.association
    today = timezone.localdate()
    year = year_param(request.GET.get("year", ""), today.year)
    policy = dues_common.dues_policy(association)
    policy_form = PolicyForm(
        request.POST if request.POST.get("form") == "policy" else None,
        initial={
            "arrears_after_days": policy.arrears_after_days,
            "due_month": policy.due_month,
            "due_day": policy.due_day,
            "payee_note": policy.payee_note,
        },
    )
    schedule_errors: dict[int, str] = {}
    if request.method == "POST" and request.POST.get("form") == "schedules":
        year = year_param(request.POST.get("year", ""), year)
        schedule_errors = _save_schedules(request, year)
        if not schedule_errors:
            messages.success(request, _("已保存 %(year)d 年度会费标准") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    elif request.method == "POST" and policy_form.is_valid():
        try:
            bill_services.dues_policy_update(
                association=association, actor=signed_in_user(request), **policy_form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(policy_form, exc)
        else:
            messages.success(request, _("已保存会费规则"))
            return redirect(f"{request.path}?year={year}")
    rows = selectors.schedule_rows(association=association, year=year)
    posted = request.POST if schedule_errors else {}
    return render(
        request,
        "dues/office/schedules.html",
        {
            "year": year,
            "years": sorted(
                {*selectors.bill_years(association=association), year + 1}, reverse=True
            ),
            "rows": [
                {
                    "row": row,
                    "value": posted.get(f"level_{row.level.pk}", row.amount),
                    "error": schedule_errors.get(row.level.pk, ""),
                }
                for row in rows
            ],
            "policy_form": policy_form,
            "can_edit": has_perm(role, Perm.EDIT_SETTINGS),
        },
    )


def _save_schedules(request: TenantRequest, year: int) -> dict[int, str]:
    """Validates every level's amount first and saves only when all are valid."""
    levels = [lv for lv in levels_of(request) if lv.is_active]
    amounts = {}
    errors: dict[int, str] = {}
    for level in levels:
        try:
            amounts[level] = parse_cny(request.POST.get(f"level_{level.pk}", ""), allow_zero=True)
        except ValidationError as exc:
            errors[level.pk] = errors_text(exc)
    if errors:
        return errors
    try:
        for level, amount in amounts.items():
            bill_services.fee_schedule_set(
                association=request.association,
                actor=signed_in_user(request),
                level=level,
                year=year,
                amount=amount,
            )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return {0: errors_text(exc)}
    return {}
