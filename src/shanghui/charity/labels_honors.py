"""What the goods and honors audit codes mean (see ``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "charity.distribution.record": _("登记物资发放"),
        "charity.distribution.reverse": _("冲正物资发放"),
        "charity.distribution.receipt": _("上传物资发放回执"),
        "charity.honor.create": _("登记荣誉"),
        "charity.honor.update": _("修改荣誉"),
        "charity.honor.revoke": _("撤销荣誉"),
        "charity.honor.certificate": _("出具荣誉证书"),
        "charity.honor.image": _("上传荣誉照片"),
    }
)
