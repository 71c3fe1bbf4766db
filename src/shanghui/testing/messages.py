"""A message kind for the tests of the notification center itself: free subject and text, on
every channel (apps' tests send their own kinds)."""

from shanghui.core.notifications import (
    MessageKind,
    Recipient,
    notify,
    register_kind,
    register_kinds,
)
from shanghui.core.types import Tenant

NOTE = "testing.note"
NOTE_KIND = MessageKind(
    code=NOTE,
    label="测试消息",
    subject="{subject}",
    text="{text}",
    sms_template="SMS_TEST",
    sms_params=("text",),
    wechat_keywords={"thing1": "subject", "thing2": "text"},
)


def register() -> None:
    register_kind(NOTE_KIND)


def note(
    *,
    association: Tenant | None,
    phone: str = "",
    email: str = "",
    user_id: int | None = None,
    subject: str = "通知",
    text: str = "测试",
    target_type: str = "",
    target_id: int | None = None,
) -> None:
    """``notify`` of a ``testing.note`` to one person."""
    notify(
        association=association,
        kind=NOTE,
        to=Recipient(phone=phone, email=email, user_id=user_id),
        params={"subject": subject, "text": text},
        target_type=target_type,
        target_id=target_id,
    )


NOTICE = "testing.notice"
NOTICE_KIND = MessageKind(
    code=NOTICE,
    label="测试通知",
    subject="通知：{member}",
    text="{name}，您好：{member} 有一条新通知。",
    sms_params=("name", "member"),
)
URGENT = "testing.code"
URGENT_KIND = MessageKind(
    code=URGENT,
    label="测试验证码",
    subject="验证码",
    text="验证码 {code}",
    sms_params=("code",),
    urgent=True,
)


def register_all() -> None:
    register_kinds((NOTE_KIND, NOTICE_KIND, URGENT_KIND))
