"""What the audit codes of campaigns, partners and pledges mean (``core.audit.action_label``)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

register_action_labels(
    {
        "charity.campaign.create": _("创建公益项目"),
        "charity.campaign.update": _("修改公益项目"),
        "charity.partner.create": _("添加合作机构"),
        "charity.partner.update": _("修改合作机构"),
        "charity.pledge.create": _("登记认捐"),
        "charity.pledge.cancel": _("取消认捐"),
        "charity.pledge.schedule": _("设置认捐分期"),
    }
)
