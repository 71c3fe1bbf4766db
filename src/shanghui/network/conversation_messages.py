"""The messages of conversations and deals (``core.notifications`` kinds), registered from
``network.contributions``: a new message to the other side of a conversation, and the later
question to both sides of a deal whether it closed."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

MESSAGE = "network.message"
DEAL_FOLLOW_UP = "network.deal_follow_up"

KINDS = (
    MessageKind(
        code=MESSAGE,
        label=_("供需洽谈新消息"),
        subject=_("洽谈新消息：{listing}"),
        text=_("{sender}（{association}）就“{listing}”给您发来消息：{excerpt}"),
        sms_params=("listing",),
    ),
    MessageKind(
        code=DEAL_FOLLOW_UP,
        label=_("供需成交回访"),
        subject=_("成交回访：{listing}"),
        text=_("您在“{listing}”的洽谈中登记了成交，请告诉我们这笔交易最终是否达成。"),
        sms_params=("listing",),
    ),
)
