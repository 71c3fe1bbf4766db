"""A member's own bills and receipts on the phone (/a/<slug>/dues/…): the list, a bill, paying
online, receipts and certificates of the members they represent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.dues import selectors
from shanghui.dues.models import DuesBill
from shanghui.dues.providers import available_providers
from shanghui.dues.services import common as dues_common
from shanghui.dues.services import payments as payment_services
from shanghui.dues.views.shared import certificate_response, errors_text, receipt_response


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
        "dues/member/my_dues.html",
        {
            "bills": bills,
            "owed": owed,
            "today": timezone.localdate(),
            "policy": dues_common.dues_policy(association),
        },
    )


@login_required
@require_GET
def my_bill(request: TenantRequest, association_slug: str, bill_id: int) -> HttpResponse:
    bill = _my_bill(request, bill_id)
    return render(
        request,
        "dues/member/my_bill.html",
        {
            "bill": bill,
            "payments": selectors.bill_payments(bill),
            "policy": dues_common.dues_policy(request.association),
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
        checkout = payment_services.online_payment_start(
            association=request.association, actor=signed_in_user(request), bill=bill
        )
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect("dues:my_dues_bill", association_slug=association_slug, bill_id=bill.pk)
    return redirect(checkout.url)


@login_required
@require_GET
def my_receipt(request: TenantRequest, association_slug: str, payment_id: int) -> HttpResponse:
    require_member(request.role)
    return receipt_response(request, payment_id, as_office=False)


@login_required
@require_GET
def my_certificate(request: TenantRequest, association_slug: str, bill_id: int) -> HttpResponseBase:
    return certificate_response(request, _my_bill(request, bill_id), "dues:my_dues_bill")
