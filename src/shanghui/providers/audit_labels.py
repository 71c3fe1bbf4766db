"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

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
