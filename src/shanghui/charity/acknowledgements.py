"""The donation acknowledgement (捐赠证明/感谢信) as PDF (rendered by ``core.pdf``, the CJK font
embedded): numbered once from the ``charity.acknowledgement`` series, the amount in figures
and in 大写. It says that it is not a 公益事业捐赠统一票据, which only qualified public-welfare
organizations issue (the official receipt number is printed when one was issued)."""

from django.utils import timezone

from shanghui.charity.models import Donation, DonorKind, GiftKind
from shanghui.charity.selectors.ledger import donation_reversal
from shanghui.core.money import amount_in_words, format_cny
from shanghui.core.pdf import PdfFile, render_pdf
from shanghui.core.types import Tenant


def _quantity(value: object) -> str:
    text = f"{value:f}" if value is not None else ""
    return text.rstrip("0").rstrip(".") if "." in text else text


def acknowledgement_pdf(*, association: Tenant, donation: Donation) -> PdfFile:
    """The acknowledgement of ``donation``, which must already carry its number
    (``services.ledger.acknowledgement_number``). A gift since reversed is marked void."""
    reversal = donation_reversal(donation)
    context = {
        "association": association,
        "donation": donation,
        "donor_name": donation.donor_name,
        "is_enterprise": donation.donor_kind in (DonorKind.MEMBER, DonorKind.GROUP_MEMBER)
        or bool(donation.donor_uscc),
        "is_goods": donation.kind == GiftKind.GOODS,
        "quantity": _quantity(donation.quantity),
        "amount": format_cny(donation.amount),
        "amount_words": amount_in_words(donation.amount),
        "organized": donation.channel == Donation.Channel.ORGANIZED,
        "campaign": donation.campaign.title if donation.campaign else "",
        "recipient": donation.recipient_name,
        "reversal": reversal,
        "issued_on": timezone.localdate(),
    }
    content = render_pdf("charity/pdf/acknowledgement.html", context)
    return PdfFile(f"acknowledgement-{donation.acknowledgement_no or donation.pk}.pdf", content)
