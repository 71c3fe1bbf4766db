"""The messages the events app sends (``core.notifications`` kinds), registered in
``EventsConfig.ready``. Their params: ``title``, ``when``, ``venue``, ``code`` (the check-in
code), ``url`` (the page the person can open), ``reason``."""

from django.utils.translation import gettext_lazy as _

from shanghui.core.notifications import MessageKind

CONFIRMED = "events.registration_confirmed"
PENDING = "events.registration_pending"
WAITLISTED = "events.registration_waitlisted"
PROMOTED = "events.promoted"
PROMOTED_PENDING = "events.promoted_pending"
APPROVED = "events.approved"
REJECTED = "events.rejected"
REGISTRATION_CANCELLED = "events.registration_cancelled"
CHANGED = "events.changed"
CANCELLED = "events.cancelled"
REMINDER = "events.reminder"
INVITATION = "events.invitation"
GUEST_CODE = "events.guest_code"
CHECKIN_STAFF = "events.checkin_staff"  # in-app only: made a door volunteer

TICKET = ("title", "when", "venue", "code", "url")

KINDS = (
    MessageKind(
        code=CONFIRMED,
        label=_("活动报名成功"),
        subject=_("活动报名"),
        text=_(
            "您已成功报名“{title}”（{when}，{venue}），签到码 {code}。入场时出示电子票二维码：{url}"
        ),
        sms_params=TICKET,
    ),
    MessageKind(
        code=PENDING,
        label=_("活动报名待审核"),
        subject=_("活动报名"),
        text=_("您报名“{title}”（{when}）的申请已提交，审核通过后将通知您。{url}"),
        sms_params=("title", "when", "url"),
    ),
    MessageKind(
        code=WAITLISTED,
        label=_("活动候补"),
        subject=_("活动报名"),
        text=_("“{title}”名额已满，您已进入候补名单；有人取消时将按顺序递补并通知您。{url}"),
        sms_params=("title", "url"),
    ),
    MessageKind(
        code=PROMOTED,
        label=_("候补递补成功"),
        subject=_("候补递补成功"),
        text=_(
            "好消息：“{title}”有名额空出，您已从候补递补为正式报名（{when}），"
            "签到码 {code}。电子票：{url}"
        ),
        sms_params=("title", "when", "code", "url"),
    ),
    MessageKind(
        code=PROMOTED_PENDING,
        label=_("候补递补待审核"),
        subject=_("候补递补成功"),
        text=_("“{title}”有名额空出，您的候补已递补，待秘书处审核。{url}"),
        sms_params=("title", "url"),
    ),
    MessageKind(
        code=APPROVED,
        label=_("报名审核通过"),
        subject=_("报名审核通过"),
        text=_("您报名的“{title}”已通过审核（{when}），签到码 {code}。电子票：{url}"),
        sms_params=("title", "when", "code", "url"),
    ),
    MessageKind(
        code=REJECTED,
        label=_("报名审核未通过"),
        subject=_("报名审核结果"),
        text=_("很抱歉，您报名的“{title}”未通过审核。如有疑问请联系秘书处。"),
        sms_params=("title",),
    ),
    MessageKind(
        code=REGISTRATION_CANCELLED,
        label=_("取消报名"),
        subject=_("取消报名"),
        text=_("您已取消报名“{title}”（{when}）。"),
        sms_params=("title", "when"),
    ),
    MessageKind(
        code=CHANGED,
        label=_("活动变更"),
        subject=_("活动变更"),
        text=_("您报名的“{title}”时间或地点有变更：{when}，{venue}。详情：{url}"),
        sms_params=("title", "when", "venue", "url"),
    ),
    MessageKind(
        code=CANCELLED,
        label=_("活动取消"),
        subject=_("活动取消"),
        text=_("很抱歉，“{title}”（{when}）已取消。{reason}"),
        sms_params=("title", "when", "reason"),
    ),
    MessageKind(
        code=REMINDER,
        label=_("活动提醒"),
        subject=_("活动提醒"),
        text=_("提醒：您报名的“{title}”将于 {when} 在 {venue} 举行，签到码 {code}。{url}"),
        sms_params=TICKET,
    ),
    MessageKind(
        code=INVITATION,
        label=_("活动邀请"),
        subject=_("活动邀请"),
        text=_("诚邀您参加“{title}”（{when}，{venue}），{prompt}：{url}"),
        sms_params=("title", "when", "venue", "url"),
    ),
    MessageKind(
        code=GUEST_CODE,
        label=_("活动报名验证码"),
        subject=_("验证码"),
        text=_("您的活动报名验证码为 {code}，10 分钟内有效。"),
        sms_params=("code",),
        urgent=True,
        channels=("sms",),
    ),
    MessageKind(
        code=CHECKIN_STAFF,
        label=_("签到员"),
        subject=_("签到员"),
        text="{text}",
        channels=("inbox",),
    ),
)
