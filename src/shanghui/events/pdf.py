"""PDF documents of an event (rendered by ``core.pdf`` with the embedded CJK font): the
printable sign-in sheet, name badges with each person's ticket QR code, and the completion
certificate of a training course."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.pdf import PdfFile, join_pdf, render_pdf, render_pdf_document
from shanghui.events import figures, tickets
from shanghui.events.models import Event, Registration


def _context(association: Association, event: Event) -> dict[str, object]:
    return {
        "association": association,
        "event": event,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
    }


def signin_pdf(*, association: Association, event: Event, rows: list[Registration]) -> PdfFile:
    """The printable sign-in sheet of ``rows`` (``exports.signin_rows``): ~3.5 s of CPU for
    500 people, so it is made by a job (``tasks.render_event_pdf``)."""
    lines = [(r, tickets.display_code(r.code)) for r in rows]
    content = render_pdf("events/pdf/signin.html", {**_context(association, event), "rows": lines})
    return PdfFile(f"sign-in-{event.pk}.pdf", content)


# Eight badges to an A4 page; a part is whole pages, so the joined parts lay out as one
# document would.
BADGES_PER_PAGE = 8
BADGES_PER_PART = 8 * BADGES_PER_PAGE


def badges_pdf(
    *,
    association: Association,
    event: Event,
    rows: list[Registration],
    progress: Callable[[int, int], None] | None = None,
) -> PdfFile:
    """Name badges of ``rows`` (``exports.signin_rows``), eight to an A4 page: name, company,
    level and the ticket QR code. ~9 s of CPU for 500 people, so it is made by a job
    (``tasks.render_event_pdf``), rendered a part at a time with ``progress(done, total)``
    after each."""
    total = len(rows)
    documents = []
    for start in range(0, max(total, 1), BADGES_PER_PART):
        part = rows[start : start + BADGES_PER_PART]
        badges = [
            {
                "registration": r,
                "level": r.member.level.name if r.member and r.member.level else "",
                "qr": tickets.qr_svg_uri(r.token, scale=3),
                "code": tickets.display_code(r.code),
            }
            for r in part
        ]
        context = {**_context(association, event), "badges": badges}
        documents.append(render_pdf_document("events/pdf/badges.html", context))
        if progress is not None:
            progress(start + len(part), total)
    return PdfFile(f"badges-{event.pk}.pdf", join_pdf(documents))


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
