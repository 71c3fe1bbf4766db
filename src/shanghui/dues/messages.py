"""The messages the dues app sends (``core.notifications`` kinds), registered in
``DuesConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

REMINDER = "dues.reminder"

KINDS = (
    MessageKind(
        code=REMINDER,
        label=_("会费缴纳提醒"),
        subject=_("会费缴纳提醒"),
        text=_(
            "{association}提醒：{member} {year} 年度会费尚欠 {owed}（应缴日期 {due}）。"
            "如已缴纳请忽略；如有疑问请联系秘书处。"
        ),
        sms_params=("association", "member", "year", "owed", "due"),
    ),
)
