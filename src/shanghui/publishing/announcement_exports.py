"""The 回执 table as an xlsx: one row per reply, one column per field of the form. Every cell
goes through ``core.excel.safe_cell`` (no formula runs when the secretariat opens it)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shanghui.associations.models import Association
from shanghui.core.excel import safe_cell
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.models import Announcement, AnnouncementRecipient
from shanghui.publishing.services.announcements import answer_display


def replies_header(announcement: Announcement) -> list[str]:
    fields = announcement.reply_fields
    return [_("会员单位"), _("姓名"), *[f["label"] for f in fields], _("回执时间")]


def reply_row(announcement: Announcement, reply: AnnouncementRecipient) -> list[object]:
    """One reply as the page and the xlsx show it (``replies_header``'s columns)."""
    fields = announcement.reply_fields
    answers = [answer_display(f, reply.answers.get(f["key"], "")) for f in fields]
    when = timezone.localtime(reply.replied_at).replace(tzinfo=None) if reply.replied_at else ""
    return [reply.member.name if reply.member else "", reply.name, *answers, when]


def replies_table(
    *, association: Association, announcement: Announcement
) -> tuple[list[str], list[list[object]]]:
    """The header and all the rows of the replies (the xlsx; the page shows them by pages)."""
    rows = [
        reply_row(announcement, r)
        for r in selectors.replies(association=association, announcement=announcement)
    ]
    return replies_header(announcement), rows


def replies_xlsx(*, association: Association, announcement: Announcement) -> bytes:
    header, rows = replies_table(association=association, announcement=announcement)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("回执"))
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
