"""The one way modules send a message to a person, until the notification center (inbox,
email, SMS, WeChat) takes over behind this same function.

SMS goes through a pluggable sender chosen by ``settings.SMS_BACKEND``:
``console`` logs the text (development), ``memory`` keeps it in ``outbox`` (tests),
``aliyun`` and ``tencent`` are the production gateways (configured with
SMS_ACCESS_KEY / SMS_ACCESS_SECRET / SMS_SIGN_NAME).

WeChat goes through ``settings.WECHAT_BACKEND``: empty (off), ``console``, ``memory``, or
``official`` — the platform's official account (``core.wechat``). A person gets WeChat
messages once they have bound their account inside WeChat (``User.wechat_openid``); the
recipient is found by the phone number every caller already passes.
"""

import logging
from dataclasses import dataclass, field
from typing import Protocol, TypedDict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("shanghui.notifications")


@dataclass(frozen=True)
class SentMessage:
    channel: str
    to: str
    text: str
    sent_at: object = field(default_factory=timezone.now)


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsSender:
    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


outbox: list[SentMessage] = []


class MemorySmsSender:
    """Keeps every message in ``outbox`` — the test suite reads one-time codes from it."""

    def send(self, *, phone: str, text: str) -> None:
        outbox.append(SentMessage(channel="sms", to=phone, text=text))


class GatewaySmsSender:
    """Aliyun / Tencent Cloud SMS. The platform has no live gateway account yet, so this
    refuses loudly rather than pretending to send."""

    def __init__(self, provider: str) -> None:
        self.provider = provider

    def send(self, *, phone: str, text: str) -> None:
        if not (settings.SMS_ACCESS_KEY and settings.SMS_ACCESS_SECRET):
            raise ImproperlyConfigured(f"SMS_BACKEND={self.provider} needs SMS_ACCESS_KEY/SECRET")
        raise NotImplementedError(f"{self.provider} SMS gateway is not connected yet")


def sms_sender() -> SmsSender:
    backend = settings.SMS_BACKEND
    if backend == "console":
        return ConsoleSmsSender()
    if backend == "memory":
        return MemorySmsSender()
    if backend in {"aliyun", "tencent"}:
        return GatewaySmsSender(backend)
    raise ImproperlyConfigured(f"Unknown SMS_BACKEND {backend!r}")


class WechatSender(Protocol):
    def send(self, *, openid: str, title: str, text: str) -> None: ...


class ConsoleWechatSender:
    def send(self, *, openid: str, title: str, text: str) -> None:
        logger.info("WeChat to %s: %s — %s", openid, title, text)


class MemoryWechatSender:
    def send(self, *, openid: str, title: str, text: str) -> None:
        outbox.append(SentMessage(channel="wechat", to=openid, text=f"{title}：{text}"))


class OfficialAccountWechatSender:
    """Template messages from the platform's official account."""

    def send(self, *, openid: str, title: str, text: str) -> None:
        from shanghui.core import wechat

        wechat.template_send(openid=openid, title=title, text=text)


def wechat_sender() -> WechatSender | None:
    backend = settings.WECHAT_BACKEND
    if not backend:
        return None
    if backend == "console":
        return ConsoleWechatSender()
    if backend == "memory":
        return MemoryWechatSender()
    if backend == "official":
        from shanghui.core import wechat

        # Without the account's keys nothing can be sent, nor bound: WeChat is off.
        return OfficialAccountWechatSender() if wechat.wechat_configured() else None
    raise ImproperlyConfigured(f"Unknown WECHAT_BACKEND {backend!r}")


def _wechat_openid(phone: str) -> str:
    from shanghui.accounts.models import User

    openid = (
        User.objects.filter(phone=phone, is_active=True)
        .values_list("wechat_openid", flat=True)
        .first()
    )
    return openid or ""


def notify(*, phone: str = "", email: str = "", subject: str, text: str) -> None:
    """Send ``text`` to a person by SMS (when a phone is given), by WeChat (when that phone's
    account is bound to WeChat and WeChat is on) and by email (when an address is given).
    Failures of one channel are logged and do not stop the others."""
    wechat = wechat_sender() if phone else None
    if wechat is not None:
        openid = _wechat_openid(phone)
        if openid:
            try:
                wechat.send(openid=openid, title=subject, text=text)
            except Exception:
                logger.exception("WeChat message to %s failed", phone)
    if phone:
        try:
            sms_sender().send(phone=phone, text=f"【{settings.SMS_SIGN_NAME}】{text}")
        except Exception:
            logger.exception("SMS to %s failed", phone)
    if email:
        try:
            send_mail(subject, text, None, [email])
        except Exception:
            logger.exception("Email to %s failed", email)


class Message(TypedDict):
    """One ``notify`` call, as a task's argument."""

    phone: str
    email: str
    subject: str
    text: str


# Messages per ``deliver`` task: a worker stopped (or killed after its grace period) loses at
# most the rest of one small task, and several workers share a long list.
DELIVER_BATCH = 20


def notify_many(messages: list[Message]) -> None:
    """Sends ``messages`` from background workers (``deliver``), queued in the caller's
    transaction: an event change told to 500 registrants must not keep the secretariat's
    request waiting on 500 SMS, and a rolled-back change sends nothing."""
    for start in range(0, len(messages), DELIVER_BATCH):
        deliver.enqueue(messages=messages[start : start + DELIVER_BATCH])


@task()
def deliver(*, messages: list[Message]) -> None:
    for message in messages:
        try:
            notify(**message)
        except Exception:  # one person's failure must not cost the others their message
            logger.exception("Message to %s failed", message["phone"] or message["email"])
