"""The back office's bills (/a/<slug>/office/dues/…, the secretariat): the list, the year's bill
run and its progress, a bill with its payments, recording, closing and reversing, receipts and
certificates, and a member's dues panel on the member's record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.http import whole_number
from shanghui.core.jobs import access_job, job_start
from shanghui.core.paging import DeepPaginator
from shanghui.dues import selectors
from shanghui.dues.forms import BillRunForm, CloseForm, PaymentForm, ReasonForm
from shanghui.dues.models import DuesBill
from shanghui.dues.services import bills as bill_services
from shanghui.dues.services import payments as payment_services
from shanghui.dues.tasks import generate_bills
from shanghui.dues.views.shared import (
    OFFICE_PAGE,
    certificate_response,
    errors_text,
    levels_of,
    receipt_response,
    year_param,
)
from shanghui.members.selectors import access_member


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
    page = DeepPaginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    figures_year = whole_number(filters.year) if len(filters.year) == 4 else None
    context = {
        "filters": filters,
        "years": years,
        "levels": levels_of(request),
        "statuses": DuesBill.Status.choices,
        "page_obj": page,
        "figures": selectors.year_figures(association=association, year=figures_year)
        if figures_year is not None
        else None,
    }
    template = "dues/office/bills.html#results" if request.htmx else "dues/office/bills.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def office_generate(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Starts the year's bill run as a background job."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    association = request.association
    today = timezone.localdate()
    form = BillRunForm(
        request.POST or None,
        initial={
            "year": today.year,
            "due_on": bill_services.default_due_on(association, today.year),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            year, due_on = bill_services.validate_bill_run(**form.cleaned_data)
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
                "dues:office_dues_generate_progress",
                association_slug=association.slug,
                job_id=job.pk,
            )
    posted_year = str(form.data.get("year", "")) if form.is_bound else ""
    rows = selectors.schedule_rows(
        association=association,
        year=year_param(posted_year, today.year),
    )
    return render(request, "dues/office/generate.html", {"form": form, "rows": rows})


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
    return render(request, "dues/office/job.html", {"job": job, "back": "dues:office_dues"})


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
        "dues/office/bill.html",
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
            payment = payment_services.payment_record(
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
            return redirect(
                "dues:office_dues_bill", association_slug=association_slug, bill_id=bill.pk
            )
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
            payment_services.bill_close(
                association=request.association,
                actor=signed_in_user(request),
                bill=bill,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更新账单状态"))
            return redirect(
                "dues:office_dues_bill", association_slug=association_slug, bill_id=bill.pk
            )
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
            payment_services.payment_reverse(
                association=request.association,
                actor=signed_in_user(request),
                payment=payment,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("已冲正该笔缴费"))
    return redirect(
        "dues:office_dues_bill", association_slug=association_slug, bill_id=payment.bill_id
    )


@login_required
@require_GET
def office_receipt(request: TenantRequest, association_slug: str, payment_id: int) -> HttpResponse:
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    return receipt_response(request, payment_id, as_office=True)


@login_required
@require_GET
def office_certificate(
    request: TenantRequest, association_slug: str, bill_id: int
) -> HttpResponseBase:
    return certificate_response(request, _office_bill(request, bill_id), "dues:office_dues_bill")


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
    return render(request, "dues/office/member_dues.html", {"member": member, "bills": bills})
