"""The messages the members app sends (``core.notifications`` kinds), registered in
``MembersConfig.ready``: the applicant is told how their membership application went."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

APPLICATION_RECEIVED = "members.application_received"
APPLICATION_APPROVED = "members.application_approved"
APPLICATION_REJECTED = "members.application_rejected"
APPLICATION_NEEDS_INFO = "members.application_needs_info"
# A notice to every representative (broadcast over "members.representatives").
NOTICE = "members.notice"

KINDS = (
    MessageKind(
        code=NOTICE,
        label=_("商会通知"),
        subject=_("商会通知"),
        text=_("{name}（{member}）您好：商会发布了新通知，请登录云商会查看。"),
        sms_params=("name", "member"),
    ),
    MessageKind(
        code=APPLICATION_RECEIVED,
        label=_("入会申请已收到"),
        subject=_("{association}"),
        text=_("{association} 已收到“{name}”的入会申请，秘书处审核后会短信通知您。"),
        sms_params=("association", "name"),
    ),
    MessageKind(
        code=APPLICATION_APPROVED,
        label=_("入会申请通过"),
        subject=_("{association}"),
        text=_("恭喜！“{name}”已成为{association}会员，会员编号 {no}。"),
        sms_params=("name", "association", "no"),
    ),
    MessageKind(
        code=APPLICATION_REJECTED,
        label=_("入会申请未通过"),
        subject=_("{association}"),
        text=_("很抱歉，“{name}”的入会申请未通过。原因：{reason}"),
        sms_params=("name", "reason"),
    ),
    MessageKind(
        code=APPLICATION_NEEDS_INFO,
        label=_("入会申请需补充资料"),
        subject=_("{association}"),
        text=_("您的入会申请需要补充资料：{request} 请打开 {link} 补充。"),
        sms_params=("request", "link"),
    ),
)
