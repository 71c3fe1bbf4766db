"""The 回执 table as an xlsx: one row per reply, one column per field of the form, built by
``core.excel.xlsx_table`` (every cell formula-safe: none runs when the secretariat opens it)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.excel import xlsx_table
from shanghui.core.privacy import personal_data_page
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


def replies_xlsx(*, association: Association, announcement: Announcement, actor: User) -> bytes:
    """The replies as an xlsx for ``actor`` (the caller checked the permission). The replies
    are personal data (names and answers): the download is audited and counted like a page
    of a list of people (``core.privacy.personal_data_page``; ``RateLimited`` past the
    limit, before anything is read)."""
    replied = selectors.replies(association=association, announcement=announcement)
    personal_data_page(
        actor=actor,
        association=association,
        listing=f"announcement_replies:{announcement.pk}:xlsx",
        rows=replied.count(),
        page=None,
        filters={},
        unmasked=False,  # no phone or other masked field is in it
    )
    rows = (reply_row(announcement, r) for r in replied.iterator(chunk_size=2000))
    return xlsx_table(_("回执"), replies_header(announcement), rows)
