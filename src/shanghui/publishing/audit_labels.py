"""What the publishing app's audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "publishing.announcement.create": _("新建通知"),
        "publishing.announcement.update": _("修改通知"),
        "publishing.announcement.delete": _("删除通知草稿"),
        "publishing.announcement.audience": _("设置通知发送范围"),
        "publishing.announcement.attach": _("上传通知附件"),
        "publishing.announcement.detach": _("删除通知附件"),
        "publishing.announcement.send": _("发送通知"),
        "publishing.announcement.remind": _("提醒未读人员"),
        "publishing.announcement.reply": _("提交通知回执"),
    }
)
