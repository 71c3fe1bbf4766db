"""The 回执 table as an xlsx: one row per reply, one column per field of the form. Every cell
goes through ``core.excel.safe_cell`` (no formula runs when the secretariat opens it)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shanghui.associations.models import Association
from shanghui.core.excel import safe_cell
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.models import Announcement
from shanghui.publishing.services.announcements import answer_display


def replies_table(
    *, association: Association, announcement: Announcement
) -> tuple[list[str], list[list[object]]]:
    """The header and the rows of the replies (as the page and the xlsx show them)."""
    fields = announcement.reply_fields
    header = [_("会员单位"), _("姓名"), *[f["label"] for f in fields], _("回执时间")]
    rows: list[list[object]] = []
    for r in selectors.replies(association=association, announcement=announcement):
        answers = [answer_display(f, r.answers.get(f["key"], "")) for f in fields]
        when = timezone.localtime(r.replied_at).replace(tzinfo=None) if r.replied_at else ""
        rows.append([r.member.name if r.member else "", r.name, *answers, when])
    return header, rows


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
