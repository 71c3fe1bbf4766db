"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.audit import register_action_labels

# -- part C: conversations and deals --
CONVERSATION_LABELS = {
    "network.conversation.start": _("发起供需洽谈"),
    "network.conversation.share_contact": _("在洽谈中提供联系方式"),
    "network.conversation.withdraw_contact": _("撤回洽谈中的联系方式"),
    "network.conversation.block": _("屏蔽洽谈对方"),
    "network.conversation.unblock": _("解除屏蔽洽谈对方"),
    "network.deal.mark": _("登记供需成交"),
    "network.deal.update": _("修改供需成交金额"),
    "network.deal.answer": _("反馈供需是否成交"),
}
register_action_labels(CONVERSATION_LABELS)
