"""The messages the network app sends (``core.notifications`` kinds), registered from
``contributions``: a listing's review and take-down to its poster, a new message to the other
side of a conversation, the later question to both sides of a deal whether it closed, and
the weekly digest of new listings in a member's industry."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

# -- part L: listings and their moderation --
LISTING_APPROVED = "network.listing_approved"
LISTING_REJECTED = "network.listing_rejected"
LISTING_TAKEN_DOWN = "network.listing_taken_down"

LISTING_KINDS = (
    MessageKind(
        code=LISTING_APPROVED,
        label=_("供需信息审核通过"),
        subject=_("供需信息已发布：{title}"),
        text=_("{association}：您发布的供需信息“{title}”已通过审核并发布。"),
        sms_params=("association", "title"),
    ),
    MessageKind(
        code=LISTING_REJECTED,
        label=_("供需信息未通过审核"),
        subject=_("供需信息未通过审核：{title}"),
        text=_("{association}：您发布的供需信息“{title}”未通过审核。审核意见：{note}"),
        sms_params=("association", "title", "note"),
    ),
    MessageKind(
        code=LISTING_TAKEN_DOWN,
        label=_("供需信息被下架"),
        subject=_("供需信息已下架：{title}"),
        text=_("{association}：您发布的供需信息“{title}”已被下架。原因：{reason}"),
        sms_params=("association", "title", "reason"),
    ),
)

# -- conversations and deals --
MESSAGE = "network.message"
DEAL_FOLLOW_UP = "network.deal_follow_up"

CONVERSATION_KINDS = (
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

# -- the weekly digest --
DIGEST = "network.digest"

DIGEST_KINDS = (
    MessageKind(
        code=DIGEST,
        label=_("供需周报"),
        subject=_("{association}供需周报：{count}条与您行业相关的新信息"),
        text=_(
            "{association}供需周报：过去一周有 {count} 条与贵企业行业相关的新供需信息，"
            "例如：{titles}。请登录查看详情。"
        ),
        sms_params=("association", "count", "titles"),
    ),
)

KINDS = (*LISTING_KINDS, *CONVERSATION_KINDS, *DIGEST_KINDS)
