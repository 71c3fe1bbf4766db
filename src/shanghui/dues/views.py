"""Dues pages: the back office (/a/<slug>/office/dues/…, the secretariat) and a member's own
bills and receipts on the phone (/a/<slug>/dues/…). Thin: parse, access, call the service,
render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.core.forms import add_service_errors
from shanghui.core.http import TenantRequest, attachment_response, whole_number
from shanghui.core.jobs import access_job, already_running_message, job_start, job_start_once
from shanghui.core.money import parse_cny
from shanghui.core.pdf import PdfFile
from shanghui.dues import selectors, services
from shanghui.dues.forms import BillRunForm, CloseForm, PaymentForm, PolicyForm, ReasonForm
from shanghui.dues.models import DuesBill
from shanghui.dues.pdf import certificate_pdf, receipt_pdf
from shanghui.dues.providers import available_providers
from shanghui.dues.tasks import export_arrears, generate_bills
from shanghui.members.models import Level
from shanghui.members.selectors import access_member

OFFICE_PAGE = 50


def _pdf_response(pdf: PdfFile) -> HttpResponse:
    return attachment_response(pdf.content, pdf.filename, inline=True)


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _year(value: str, default: int) -> int:
    """A fee year from a query parameter or a form field; ``default`` for anything else."""
    year = whole_number(value)
    return year if year is not None and 2000 <= year <= 2100 else default


def _levels(request: TenantRequest) -> list[Level]:
    return list(Level.objects.filter(association=request.association).order_by("rank", "name"))


# --- Back office ------------------------------------------------------------------------


@login_required
@require_GET
def office_bills(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The year's figures and the bill list with filters."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    years = selectors.bill_years(association=association)
    filters = selectors.BillFilters.from_mapping(request.GET)
    if not filters.year:  # this year's bills unless another year is asked for
        year = str(timezone.localdate().year)
        filters = selectors.BillFilters(**{**filters.__dict__, "year": year})
    qs = selectors.bills_search(association=association, filters=filters)
    page = Paginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    figures_year = whole_number(filters.year) if len(filters.year) == 4 else None
    context = {
        "filters": filters,
        "years": years,
        "levels": _levels(request),
        "statuses": DuesBill.Status.choices,
        "page_obj": page,
        "figures": selectors.year_figures(association=association, year=figures_year)
        if figures_year is not None
        else None,
    }
    template = "dues/office_bills.html#results" if request.htmx else "dues/office_bills.html"
    return render(request, template, context)


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
    year = _year(request.GET.get("year", ""), today.year)
    policy = services.dues_policy(association)
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
        year = _year(request.POST.get("year", ""), year)
        schedule_errors = _save_schedules(request, year)
        if not schedule_errors:
            messages.success(request, _("已保存 %(year)d 年度会费标准") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    elif request.method == "POST" and policy_form.is_valid():
        try:
            services.dues_policy_update(
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
        "dues/office_schedules.html",
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
    levels = [lv for lv in _levels(request) if lv.is_active]
    amounts = {}
    errors: dict[int, str] = {}
    for level in levels:
        try:
            amounts[level] = parse_cny(request.POST.get(f"level_{level.pk}", ""), allow_zero=True)
        except ValidationError as exc:
            errors[level.pk] = _errors(exc)
    if errors:
        return errors
    try:
        for level, amount in amounts.items():
            services.fee_schedule_set(
                association=request.association,
                actor=signed_in_user(request),
                level=level,
                year=year,
                amount=amount,
            )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return {0: _errors(exc)}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def office_generate(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Starts the year's bill run as a background job."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    today = timezone.localdate()
    form = BillRunForm(
        request.POST or None,
        initial={"year": today.year, "due_on": services.default_due_on(association, today.year)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            year, due_on = services.validate_bill_run(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            job = job_start(
                association=association,
                actor=signed_in_user(request),
                kind="dues.generate",
                label=_("生成 %(year)d 年度会费账单") % {"year": year},
                task=generate_bills,
                restartable=True,  # idempotent: members already billed are skipped
                year=year,
                due_on=due_on.isoformat(),
            )
            return redirect(
                "office:dues_generate_progress", association_slug=association.slug, job_id=job.pk
            )
    posted_year = str(form.data.get("year", "")) if form.is_bound else ""
    rows = selectors.schedule_rows(
        association=association,
        year=_year(posted_year, today.year),
    )
    return render(request, "dues/office_generate.html", {"form": form, "rows": rows})


@login_required
@require_GET
def office_generate_progress(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    job = access_job(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        job_id=job_id,
    )
    return render(request, "dues/office_job.html", {"job": job, "back": "office:dues"})


def _office_bill(request: TenantRequest, bill_id: int) -> DuesBill:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    return selectors.access_bill(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        bill_id=bill_id,
    )


def _bill_page(
    request: TenantRequest,
    bill: DuesBill,
    *,
    payment_form: PaymentForm | None = None,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "dues/office_bill.html",
        {
            "bill": bill,
            "payments": selectors.bill_payments(bill),
            "payment_form": payment_form
            or PaymentForm(initial={"amount": bill.outstanding, "paid_on": timezone.localdate()}),
            "close_form": close_form or CloseForm(),
            "reverse_form": ReasonForm(),
            "can_certify": bill.status in (DuesBill.Status.PAID, DuesBill.Status.WAIVED),
        },
        status=status,
    )


@login_required
@require_GET
def office_bill(request: TenantRequest, association_slug: str, bill_id: int) -> HttpResponse:
    return _bill_page(request, _office_bill(request, bill_id))


@login_required
@require_POST
def office_payment_record(
    request: TenantRequest, association_slug: str, bill_id: int
) -> HttpResponseBase:
    bill = _office_bill(request, bill_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = services.payment_record(
                association=request.association,
                actor=signed_in_user(request),
                bill=bill,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记缴费，收据编号 %(no)s") % {"no": payment.receipt_no},
            )
            return redirect("office:dues_bill", association_slug=association_slug, bill_id=bill.pk)
    bill.refresh_from_db()
    return _bill_page(request, bill, payment_form=form, status=400)


@login_required
@require_POST
def office_bill_close(
    request: TenantRequest, association_slug: str, bill_id: int
) -> HttpResponseBase:
    bill = _office_bill(request, bill_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.bill_close(
                association=request.association,
                actor=signed_in_user(request),
                bill=bill,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更新账单状态"))
            return redirect("office:dues_bill", association_slug=association_slug, bill_id=bill.pk)
    bill.refresh_from_db()
    return _bill_page(request, bill, close_form=form, status=400)


@login_required
@require_POST
def office_payment_reverse(
    request: TenantRequest, association_slug: str, payment_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    payment = selectors.access_payment(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        payment_id=payment_id,
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲正原因"))
    else:
        try:
            services.payment_reverse(
                association=request.association,
                actor=signed_in_user(request),
                payment=payment,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("已冲正该笔缴费"))
    return redirect("office:dues_bill", association_slug=association_slug, bill_id=payment.bill_id)


def _receipt(request: TenantRequest, payment_id: int, *, as_office: bool) -> HttpResponse:
    """A payment's receipt; reversing entries have none."""
    payment = selectors.access_payment(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role if as_office else None,
        payment_id=payment_id,
    )
    if payment.is_reversal:
        raise Http404
    return _pdf_response(receipt_pdf(association=request.association, payment=payment))


def _certificate(request: TenantRequest, bill: DuesBill, back: str) -> HttpResponseBase:
    try:
        return _pdf_response(certificate_pdf(association=request.association, bill=bill))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect(back, association_slug=request.association.slug, bill_id=bill.pk)


@login_required
@require_GET
def office_receipt(request: TenantRequest, association_slug: str, payment_id: int) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    return _receipt(request, payment_id, as_office=True)


@login_required
@require_GET
def office_certificate(
    request: TenantRequest, association_slug: str, bill_id: int
) -> HttpResponseBase:
    return _certificate(request, _office_bill(request, bill_id), "office:dues_bill")


@login_required
@require_GET
def office_arrears(request: TenantRequest, association_slug: str) -> HttpResponse:
    role = require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    filters = selectors.BillFilters.from_mapping(request.GET)
    qs = selectors.arrears_search(association=association, filters=filters)
    count, owed = selectors.arrears_total(qs)
    page = Paginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "years": selectors.bill_years(association=association),
        "levels": _levels(request),
        "page_obj": page,
        "count": count,
        "owed": owed,
        "today": timezone.localdate(),
        # Bills reminded after this were reminded within the week: no 催缴 button.
        "remind_cutoff": timezone.now() - services.REMINDER_INTERVAL,
        "can_export": has_perm(role, Perm.EXPORT_MEMBERS),
    }
    template = "dues/office_arrears.html#results" if request.htmx else "dues/office_arrears.html"
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
        result = services.bills_remind(
            association=request.association, actor=signed_in_user(request), bill_ids=bill_ids
        )
        _remind_messages(request, result)
    else:
        messages.error(request, _("请先勾选要催缴的账单"))
    query = {k: v for k, v in filters.__dict__.items() if v and k in ARREARS_FILTERS}
    page = whole_number(request.POST.get("page", ""))
    back = reverse("office:dues_arrears", kwargs={"association_slug": association_slug})
    return redirect(f"{back}?{urlencode({**query, **({'page': page} if page else {})})}")


def _remind_messages(request: HttpRequest, result: services.ReminderResult) -> None:
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
        "office:dues_arrears_export_progress", association_slug=association_slug, job_id=job.pk
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
    return render(request, "dues/office_job.html", {"job": job, "back": "office:dues_arrears"})


# --- A member's own bills (mobile) ------------------------------------------------------


def _my_bill(request: TenantRequest, bill_id: int) -> DuesBill:
    """Members reach only the bills of members they represent — even an administrator, on
    these pages, sees only their own."""
    require_member(request.role)
    bill = selectors.access_bill(
        association=request.association, actor=signed_in_user(request), role=None, bill_id=bill_id
    )
    return bill


@login_required
@require_GET
def my_dues(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_member(request.role)
    association = request.association
    bills = list(
        selectors.bills_search(
            association=association,
            filters=selectors.BillFilters(),
            member_ids=selectors.my_member_ids(
                association=association, user=signed_in_user(request)
            ),
        )[:100]
    )
    owed = sum((b.outstanding for b in bills), start=0)
    return render(
        request,
        "dues/my_dues.html",
        {
            "bills": bills,
            "owed": owed,
            "today": timezone.localdate(),
            "policy": services.dues_policy(association),
        },
    )


@login_required
@require_GET
def my_bill(request: TenantRequest, association_slug: str, bill_id: int) -> HttpResponse:
    bill = _my_bill(request, bill_id)
    return render(
        request,
        "dues/my_bill.html",
        {
            "bill": bill,
            "payments": selectors.bill_payments(bill),
            "policy": services.dues_policy(request.association),
            "online": bool(available_providers()),
            "can_certify": bill.status in (DuesBill.Status.PAID, DuesBill.Status.WAIVED),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def my_bill_pay_online(
    request: TenantRequest, association_slug: str, bill_id: int
) -> HttpResponseBase:
    bill = _my_bill(request, bill_id)
    try:
        checkout = services.online_payment_start(
            association=request.association, actor=signed_in_user(request), bill=bill
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("space:my_dues_bill", association_slug=association_slug, bill_id=bill.pk)
    return redirect(checkout.url)


@login_required
@require_GET
def my_receipt(request: TenantRequest, association_slug: str, payment_id: int) -> HttpResponse:
    require_member(request.role)
    return _receipt(request, payment_id, as_office=False)


@login_required
@require_GET
def my_certificate(request: TenantRequest, association_slug: str, bill_id: int) -> HttpResponseBase:
    return _certificate(request, _my_bill(request, bill_id), "space:my_dues_bill")


@login_required
@require_GET
def office_member_dues(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponse:
    """The dues section of a member's record (``core.contributions.MEMBER_PANELS``): every
    year's bill, what was paid and how, and whether it is still owed."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    bills = selectors.member_bills(association=request.association, member=member)
    return render(request, "dues/office_member_dues.html", {"member": member, "bills": bills})
