"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels, status_label
from shanghui.providers.models import Lead

# Part P1: applying, vetting, the back office.
register_action_labels(
    {
        "providers.provider.apply": _("提交服务商入驻申请"),
        "providers.provider.approved": _("通过服务商入驻申请"),
        "providers.provider.rejected": _("驳回服务商入驻申请"),
        "providers.provider.suspended": _("暂停服务商"),
        "providers.user.add": _("添加服务商后台用户"),
        "providers.user.remove": _("移除服务商后台用户"),
        "providers.offer.create": _("新建服务产品"),
        "providers.offer.update": _("修改服务产品"),
        "providers.offer.publish": _("上架服务产品"),
        "providers.offer.withdraw": _("下架服务产品"),
        "providers.lead.status.*": status_label(Lead.Status, _("线索状态改为%(status)s")),
        "providers.lead.note": _("添加线索跟进记录"),
    }
)

# -- part P2: associations choose offers; members apply, withdraw, rate --
register_action_labels(
    {
        "providers.application.create": _("申请会员服务（授权提供信息）"),
        "providers.application.rate": _("评价会员服务"),
        "providers.application.withdraw": _("撤回会员服务授权"),
        "providers.offer.choose": _("选用服务商的服务"),
        "providers.offer.course": _("将服务商课程办成培训活动"),
        "providers.offer.unchoose": _("停止展示服务商的服务"),
    }
)
