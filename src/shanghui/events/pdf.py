"""PDF documents of an event (rendered by ``core.pdf`` with the embedded CJK font): the
printable sign-in sheet, name badges with each person's ticket QR code, and the completion
certificate of a training course."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.pdf import PdfFile, render_pdf
from shanghui.events import figures, tickets
from shanghui.events.exports import signin_rows
from shanghui.events.models import Event, Registration


def _context(association: Association, event: Event) -> dict[str, object]:
    return {
        "association": association,
        "event": event,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
    }


def signin_pdf(*, association: Association, event: Event) -> PdfFile:
    rows = [
        (r, tickets.display_code(r.code)) for r in signin_rows(association=association, event=event)
    ]
    content = render_pdf("events/pdf/signin.html", {**_context(association, event), "rows": rows})
    return PdfFile(f"sign-in-{event.pk}.pdf", content)


def badges_pdf(*, association: Association, event: Event) -> PdfFile:
    """Name badges, eight to an A4 page: name, company, level and the ticket QR code."""
    badges = [
        {
            "registration": r,
            "level": r.member.level.name if r.member and r.member.level else "",
            "qr": tickets.qr_svg_uri(r.token, scale=3),
            "code": tickets.display_code(r.code),
        }
        for r in signin_rows(association=association, event=event)
    ]
    content = render_pdf(
        "events/pdf/badges.html", {**_context(association, event), "badges": badges}
    )
    return PdfFile(f"badges-{event.pk}.pdf", content)


def certificate_pdf(
    *, association: Association, event: Event, registration: Registration
) -> PdfFile:
    """The completion certificate (结业证书) of a training course, for those who attended at
    least the required number of sessions."""
    if not figures.completed(association=association, event=event, registration=registration):
        raise ValidationError(_("出勤课次未达到结业要求，暂不能出具结业证书"))
    attended = figures.sessions_attended(association=association, event=event).get(
        registration.pk, 0
    )
    context = {
        **_context(association, event),
        "registration": registration,
        "attended": attended,
        "total": figures.sessions_required(event),
        "issued_on": timezone.localdate(),
        "certificate_no": f"{event.pk:04d}-{registration.pk:06d}",
    }
    content = render_pdf("events/pdf/certificate.html", context)
    return PdfFile(f"certificate-{event.pk}-{registration.pk}.pdf", content)
