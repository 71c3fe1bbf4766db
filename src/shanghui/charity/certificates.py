"""Honor certificates (荣誉证书) as PDF (``core.pdf``): the recipient, the honor, its number,
and a QR code (segno) that opens the certificate's public verification page."""

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shanghui.charity.models import Honor
from shanghui.core.pdf import PdfFile, render_pdf
from shanghui.core.types import Tenant


def verify_url(*, association_slug: str, verify_token: str) -> str:
    path = reverse(
        "charity:honor_verify",
        kwargs={"association_slug": association_slug, "verify_token": verify_token},
    )
    return f"{settings.SITE_URL}{path}"


def honor_certificate_pdf(*, association: Tenant, honor: Honor) -> PdfFile:
    """The certificate of a given honor that has its number and token
    (``services.honors.honor_certificate_ready``)."""
    slug = str(getattr(association, "slug", ""))
    url = verify_url(association_slug=slug, verify_token=honor.verify_token)
    qr = segno.make(url, error="m")
    context = {
        "association": association,
        "honor": honor,
        "recipient": honor.recipient_name or (honor.member.name if honor.member else ""),
        "qr_uri": qr.svg_data_uri(scale=4, border=2, dark="#7f1d1d"),
        "verify_url": url,
        "issued_on": timezone.localdate(),
    }
    content = render_pdf("charity/pdf/honor_certificate.html", context)
    return PdfFile(f"honor-certificate-{honor.certificate_no or honor.pk}.pdf", content)
