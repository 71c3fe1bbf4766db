"""The messages the charity app sends (``core.notifications`` kinds): the alerts of a
sponsorship term paid late, registered in ``CharityConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

OVERDUE_SECRETARIAT = "charity.disbursement_overdue"
OVERDUE_SPONSOR = "charity.disbursement_overdue_sponsor"

KINDS = (
    MessageKind(
        code=OVERDUE_SECRETARIAT,
        label=_("助学资助逾期未发放（秘书处）"),
        subject=_("助学资助逾期未发放：{student} {term}"),
        text=_(
            "{association}：{sponsor} 资助的学生 {student} {term} 的资助款 {amount}"
            "（应发日期 {due}）尚未登记发放，请跟进。"
        ),
        sms_params=("association", "sponsor", "student", "term", "amount", "due"),
    ),
    MessageKind(
        code=OVERDUE_SPONSOR,
        label=_("助学资助逾期未发放（资助方）"),
        subject=_("助学资助提醒：{term}"),
        text=_(
            "{association}提醒：{sponsor} 结对资助的 {term} 资助款 {amount}（应发日期 {due}）"
            "尚未登记发放。如已发放请联系秘书处登记。"
        ),
        sms_params=("association", "sponsor", "term", "amount", "due"),
    ),
)
