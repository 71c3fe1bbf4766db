"""A payment: its reversal (the secretariat) and its receipt (PDF; a member reads only the
receipts of the members they represent)."""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Router, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.dues import selectors
from shanghui.dues.api.bills import PDF_RESPONSE, pdf_response
from shanghui.dues.api.schemas import PaymentOut, ReasonIn
from shanghui.dues.models import Payment
from shanghui.dues.pdf import receipt_pdf
from shanghui.dues.services import payments as payment_services

payments_router = Router(tags=["会费"])


def _payment(request: HttpRequest, payment_id: int) -> Payment:
    role = require_member(current_role(request))
    return selectors.access_payment(
        association=current_association(request),
        actor=signed_in_user(request),
        role=role,
        payment_id=payment_id,
    )


@payments_router.post(
    "/payments/{payment_id}/reversal",
    operation_id="shanghui_dues_api_payment_reversal",
    response={201: PaymentOut, **ERRORS},
)
def payment_reversal(
    request: HttpRequest, slug: Path[str], payment_id: int, payload: ReasonIn
) -> Status[object]:
    """Correct a wrongly recorded payment with a reversing entry; the original stays."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    payment = _payment(request, payment_id)
    reversal = payment_services.payment_reverse(
        association=current_association(request),
        actor=signed_in_user(request),
        payment=payment,
        reason=payload.reason,
    )
    return Status(201, reversal)


@payments_router.get(
    "/payments/{payment_id}/receipt",
    operation_id="shanghui_dues_api_receipt",
    response={200: None, **ERRORS},
    openapi_extra=PDF_RESPONSE,
)
def receipt(request: HttpRequest, slug: Path[str], payment_id: int) -> HttpResponse:
    """The receipt (收据) of a payment as PDF, with the amount in Chinese uppercase (大写)."""
    payment = _payment(request, payment_id)
    if payment.is_reversal:
        raise Http404
    return pdf_response(receipt_pdf(association=current_association(request), payment=payment))
