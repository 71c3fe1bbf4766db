"""The messages the network app sends (``core.notifications`` kinds), registered from
``contributions``. Each part appends its kinds to ``KINDS``."""

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

KINDS = (*LISTING_KINDS,)
