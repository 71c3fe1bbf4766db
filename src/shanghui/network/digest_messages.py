"""The message kind of the weekly digest (``network.digest``), registered from
``network.contributions`` (part S)."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

DIGEST = "network.digest"

KINDS = (
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
