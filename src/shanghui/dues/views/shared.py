"""What the dues pages share: the page size, error text, the year and levels they filter by, and
receipts and certificates as PDF answers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.http import attachment_response, whole_number
from shanghui.core.pdf import PdfFile
from shanghui.dues import selectors
from shanghui.dues.models import DuesBill
from shanghui.dues.pdf import certificate_pdf, receipt_pdf
from shanghui.members.models import Level

OFFICE_PAGE = 50


def pdf_response(pdf: PdfFile) -> HttpResponse:
    return attachment_response(pdf.content, pdf.filename, inline=True)


def errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def year_param(value: str, default: int) -> int:
    """A fee year from a query parameter or a form field; ``default`` for anything else."""
    year = whole_number(value)
    return year if year is not None and 2000 <= year <= 2100 else default


def levels_of(request: TenantRequest) -> list[Level]:
    return list(Level.objects.filter(association=request.association).order_by("rank", "name"))


def receipt_response(request: TenantRequest, payment_id: int, *, as_office: bool) -> HttpResponse:
    """A payment's receipt; reversing entries have none."""
    payment = selectors.access_payment(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role if as_office else None,
        payment_id=payment_id,
    )
    if payment.is_reversal:
        raise Http404
    return pdf_response(receipt_pdf(association=request.association, payment=payment))


def certificate_response(request: TenantRequest, bill: DuesBill, back: str) -> HttpResponseBase:
    try:
        return pdf_response(certificate_pdf(association=request.association, bill=bill))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
        return redirect(back, association_slug=request.association.slug, bill_id=bill.pk)
