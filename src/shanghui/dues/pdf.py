"""Receipts (收据) and membership certificates (会员证书) as PDF (rendered by ``core.pdf``)."""

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.money import amount_in_words, format_cny
from shanghui.core.pdf import PdfFile, render_pdf
from shanghui.dues.models import DuesBill, Payment
from shanghui.members.models import Member

# A certificate states membership: not for applicants, withdrawn or expelled members.
CERTIFIABLE = (Member.Status.ACTIVE, Member.Status.IN_ARREARS, Member.Status.EXPIRED)


def receipt_pdf(*, association: Association, payment: Payment) -> PdfFile:
    """The receipt of one payment, with the amount in figures and in 大写. A payment that has
    since been reversed gets a receipt marked void."""
    bill = payment.bill
    reversed_by = Payment.objects.filter(association=association, reverses=payment).first()
    context = {
        "association": association,
        "payment": payment,
        "bill": bill,
        "member": bill.member,
        "level_name": bill.level.name if bill.level else "",
        "amount": format_cny(payment.amount),
        "amount_words": amount_in_words(payment.amount),
        "method": payment.get_method_display(),
        "clerk": payment.recorded_by.name if payment.recorded_by else "",
        "reversed_by": reversed_by,
        "issued_at": timezone.localtime(payment.created_at),
    }
    content = render_pdf("dues/pdf/receipt.html", context)
    return PdfFile(f"receipt-{payment.receipt_no or payment.pk}.pdf", content)


def member_card_url(*, association: Association, member_id: int) -> str:
    path = reverse(
        "members:member_card", kwargs={"association_slug": association.slug, "member_id": member_id}
    )
    return f"{settings.SITE_URL}{path}"


def certificate_pdf(*, association: Association, bill: DuesBill) -> PdfFile:
    """The membership certificate for the bill's year: member name, level, member number,
    valid year, the association, and a QR code that opens the member's card."""
    member = bill.member
    if bill.status not in (DuesBill.Status.PAID, DuesBill.Status.WAIVED):
        raise ValidationError(
            _("%(year)d 年度会费尚未缴清，暂不能出具会员证书") % {"year": bill.year}
        )
    if member.status not in CERTIFIABLE:
        raise ValidationError(
            _("会员当前状态为“%(status)s”，不能出具会员证书")
            % {"status": member.get_status_display()}
        )
    url = member_card_url(association=association, member_id=member.pk)
    qr = segno.make(url, error="m")
    context = {
        "association": association,
        "member": member,
        "level_name": bill.level.name if bill.level else "",
        "year": bill.year,
        "qr_uri": qr.svg_data_uri(scale=4, border=2, dark="#1f2937"),
        "card_url": url,
        "issued_on": timezone.localdate(),
    }
    content = render_pdf("dues/pdf/certificate.html", context)
    return PdfFile(f"certificate-{member.member_no or member.pk}-{bill.year}.pdf", content)
