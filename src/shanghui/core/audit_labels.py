"""What the kernel's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "core.deliveries_resend": _("重发未送达的消息"),
        "job.restart": _("重新开始后台任务"),
        # The job's own label ("导出会员名单") is the entry's summary.
        "job.*": lambda kind: str(_("开始后台任务")),
        "personal_data.list_read": _("查看含个人信息的名单"),
        "privacy.consent": _("同意隐私政策"),
    }
)
