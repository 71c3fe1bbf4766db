"""Bills: the year's bill run, the list and a bill, recording a payment, closing a bill, paying
online, the payment certificate (PDF). The secretariat (``members.manage``) manages bills; a
member reads only the bills of the members they represent."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response
from shanghui.core.jobs import job_start
from shanghui.core.pdf import PdfFile
from shanghui.dues import selectors
from shanghui.dues.api.schemas import (
    BillDetailOut,
    BillOut,
    BillQuery,
    BillRunIn,
    CheckoutOut,
    CloseIn,
    PaymentIn,
    PaymentOut,
)
from shanghui.dues.models import DuesBill
from shanghui.dues.pdf import certificate_pdf
from shanghui.dues.services import bills as bill_services
from shanghui.dues.services import common as dues_common
from shanghui.dues.services import payments as payment_services
from shanghui.dues.tasks import generate_bills

bills_router = Router(tags=["会费"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def pdf_response(pdf: PdfFile) -> HttpResponse:
    return attachment_response(pdf.content, pdf.filename)


@bills_router.post(
    "/bill-runs", operation_id="shanghui_dues_api_bill_run_start", response={202: JobOut, **ERRORS}
)
def bill_run_start(request: HttpRequest, slug: Path[str], payload: BillRunIn) -> Status[object]:
    """Issue the year's bills to every member in good standing (or in arrears) who has a
    level, as a background job; poll the job for progress. Idempotent: members already billed
    for the year are skipped."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    association = current_association(request)
    year = dues_common.validate_year(payload.year)
    year, due_on = bill_services.validate_bill_run(
        year=year, due_on=payload.due_on or bill_services.default_due_on(association, year)
    )
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
    return Status(202, job)


@bills_router.get(
    "/bills", operation_id="shanghui_dues_api_bill_list", response={200: list[BillOut], **ERRORS}
)
@paginate(Pages)
def bill_list(request: HttpRequest, slug: Path[str], filters: Query[BillQuery]) -> object:
    """Bills, newest year first. The secretariat sees every bill; a member sees only the bills
    of the members they represent."""
    role = require_member(current_role(request))
    association = current_association(request)
    member_ids = (
        None
        if has_perm(role, Perm.MANAGE_MEMBERS)
        else selectors.my_member_ids(association=association, user=signed_in_user(request))
    )
    return selectors.bills_search(
        association=association,
        filters=selectors.BillFilters(**filters.dict()),
        member_ids=member_ids,
    )


def _bill(request: HttpRequest, bill_id: int) -> DuesBill:
    role = require_member(current_role(request))
    return selectors.access_bill(
        association=current_association(request),
        actor=signed_in_user(request),
        role=role,
        bill_id=bill_id,
    )


@bills_router.get(
    "/bills/{bill_id}",
    operation_id="shanghui_dues_api_bill_detail",
    response={200: BillDetailOut, **ERRORS},
)
def bill_detail(request: HttpRequest, slug: Path[str], bill_id: int) -> DuesBill:
    """One bill with its payment ledger (payments and reversals)."""
    return _bill(request, bill_id)


@bills_router.post(
    "/bills/{bill_id}/payments",
    operation_id="shanghui_dues_api_payment_create",
    response={201: PaymentOut, **ERRORS},
)
def payment_create(
    request: HttpRequest, slug: Path[str], bill_id: int, payload: PaymentIn
) -> Status[object]:
    """Record a bank transfer (``bank_transfer``) or cash (``cash``) payment. Partial payments
    are allowed; more than is still owed is refused (400), also under concurrent requests."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    bill = _bill(request, bill_id)
    payment = payment_services.payment_record(
        association=current_association(request),
        actor=signed_in_user(request),
        bill=bill,
        **payload.dict(),
    )
    return Status(201, payment)


@bills_router.post(
    "/bills/{bill_id}/close",
    operation_id="shanghui_dues_api_bill_close",
    response={200: BillOut, **ERRORS},
)
def bill_close(request: HttpRequest, slug: Path[str], bill_id: int, payload: CloseIn) -> DuesBill:
    """Waive what is still owed (``waived``) or cancel a bill without payments
    (``cancelled``), with a reason."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    bill = _bill(request, bill_id)
    return payment_services.bill_close(
        association=current_association(request),
        actor=signed_in_user(request),
        bill=bill,
        status=payload.status,
        reason=payload.reason,
    )


@bills_router.post(
    "/bills/{bill_id}/online-payments",
    operation_id="shanghui_dues_api_online_payment_create",
    response={201: CheckoutOut, **ERRORS},
)
def online_payment_create(request: HttpRequest, slug: Path[str], bill_id: int) -> Status[object]:
    """Start paying a bill online. Answers 400 "暂未开通在线支付" while no payment provider is
    connected."""
    bill = _bill(request, bill_id)
    checkout = payment_services.online_payment_start(
        association=current_association(request), actor=signed_in_user(request), bill=bill
    )
    return Status(201, checkout)


@bills_router.get(
    "/bills/{bill_id}/certificate",
    operation_id="shanghui_dues_api_certificate",
    response={200: None, **ERRORS},
    openapi_extra=PDF_RESPONSE,
)
def certificate(request: HttpRequest, slug: Path[str], bill_id: int) -> HttpResponse:
    """The membership certificate (会员证书) for a paid or waived bill's year, as PDF."""
    bill = _bill(request, bill_id)
    return pdf_response(certificate_pdf(association=current_association(request), bill=bill))
