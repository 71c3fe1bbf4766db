"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""

from django.utils.translation import gettext_lazy as _

# -- part S: search, showcase, digest --
SEARCH_LABELS = {
    "network.showcase.on": _("加入平台企业展示"),
    "network.showcase.off": _("退出平台企业展示"),
    "network.showcase_item.create": _("添加展示产品/服务"),
    "network.showcase_item.update": _("修改展示产品/服务"),
    "network.showcase_item.delete": _("删除展示产品/服务"),
    "network.digest.send": _("发送供需周报"),
}
