"""The back office's arrears: the list, reminders, and the export as a background job."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.http import whole_number
from shanghui.core.jobs import access_job, already_running_message, job_start_once
from shanghui.core.paging import DeepPaginator
from shanghui.dues import selectors
from shanghui.dues.services import common as dues_common
from shanghui.dues.services import status as status_services
from shanghui.dues.tasks import export_arrears
from shanghui.dues.views.shared import OFFICE_PAGE, levels_of


@login_required
@require_GET
def office_arrears(request: TenantRequest, association_slug: str) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    filters = selectors.BillFilters.from_mapping(request.GET)
    qs = selectors.arrears_search(association=association, filters=filters)
    count, owed = selectors.arrears_total(qs)
    page = DeepPaginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "years": selectors.bill_years(association=association),
        "levels": levels_of(request),
        "page_obj": page,
        "count": count,
        "owed": owed,
        "today": timezone.localdate(),
        # Bills reminded after this were reminded within the week: no 催缴 button.
        "remind_cutoff": timezone.now() - dues_common.REMINDER_INTERVAL,
        "can_export": has_perm(role, Perm.EXPORT_MEMBERS),
    }
    template = "dues/office/arrears.html#results" if request.htmx else "dues/office/arrears.html"
    return render(request, template, context)


ARREARS_FILTERS = ("q", "year", "level", "min_days")


@login_required
@require_POST
def office_arrears_remind(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """催缴 on the arrears list: one row's bill (``only``), the ticked ones (``bill``), or with
    ``scope=filtered`` every bill the list's filters select; back to the list as it was."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    filters = selectors.BillFilters.from_mapping(request.POST)
    if "only" in request.POST:
        bill_ids = [n for n in [whole_number(request.POST["only"])] if n is not None]
    elif request.POST.get("scope") == "filtered":
        qs = selectors.arrears_search(association=request.association, filters=filters)
        bill_ids = list(qs.values_list("id", flat=True))
    else:
        bill_ids = [n for n in map(whole_number, request.POST.getlist("bill")) if n is not None]
    if bill_ids:
        result = status_services.bills_remind(
            association=request.association, actor=signed_in_user(request), bill_ids=bill_ids
        )
        _remind_messages(request, result)
    else:
        messages.error(request, _("请先勾选要催缴的账单"))
    query = {k: v for k, v in filters.__dict__.items() if v and k in ARREARS_FILTERS}
    page = whole_number(request.POST.get("page", ""))
    back = reverse("dues:office_dues_arrears", kwargs={"association_slug": association_slug})
    return redirect(f"{back}?{urlencode({**query, **({'page': page} if page else {})})}")


def _remind_messages(request: HttpRequest, result: status_services.ReminderResult) -> None:
    if result.reminded:
        messages.success(
            request,
            _("已向 %(n)d 张账单的会员发送催缴提醒（短信、微信或邮件由后台陆续发出）")
            % {"n": len(result.reminded)},
        )
    if result.recent:
        messages.info(
            request,
            _("%(n)d 张账单 7 天内已催缴过，本次跳过（每张账单每 7 天最多提醒一次）")
            % {"n": len(result.recent)},
        )
    if result.no_contact:
        messages.warning(
            request,
            _("%(n)d 张账单的会员没有留手机号或邮箱的会员代表或联络人，未能提醒")
            % {"n": len(result.no_contact)},
        )
    if result.not_overdue:
        messages.info(
            request,
            _("%(n)d 张账单已缴清、已减免或尚未逾期，无需催缴") % {"n": len(result.not_overdue)},
        )


@login_required
@require_POST
def office_arrears_export(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The arrears list to xlsx as a background job (it holds phone numbers: administrators
    only, like the member export)."""
    require_perm(request.role, Perm.EXPORT_MEMBERS)
    filters = selectors.BillFilters.from_mapping(request.POST)
    job, started = job_start_once(
        association=request.association,
        actor=signed_in_user(request),
        kind="dues.arrears_export",
        label=_("欠费名单导出"),
        task=export_arrears,
        params=filters.__dict__,
        restartable=True,
    )
    if not started:
        messages.info(request, already_running_message(job))
    return redirect(
        "dues:office_dues_arrears_export_progress", association_slug=association_slug, job_id=job.pk
    )


@login_required
@require_GET
def office_arrears_export_progress(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponse:
    require_perm(request.role, Perm.EXPORT_MEMBERS)
    job = access_job(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        job_id=job_id,
    )
    return render(request, "dues/office/job.html", {"job": job, "back": "dues:office_dues_arrears"})
