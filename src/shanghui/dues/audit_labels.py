"""What the dues app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels, status_label
from shanghui.dues.models import DuesBill

register_action_labels(
    {
        "dues.bill.*": status_label(DuesBill.Status, _("会费账单改为“%(status)s”")),
        "dues.bills.generate": _("生成会费账单"),
        "dues.online.start": _("发起在线缴费"),
        "dues.payment.record": _("登记缴费"),
        "dues.payment.reverse": _("冲正缴费"),
        "dues.policy.update": _("修改会费规则"),
        "dues.reminders": _("发送催缴提醒"),
        "dues.schedule.set": _("设置会费标准"),
    }
)
