"""The one way modules send a message to a person, until the notification center (inbox,
email, SMS, WeChat) takes over behind this same function.

SMS goes through a pluggable sender chosen by ``settings.SMS_BACKEND``:
``console`` logs the text (development), ``memory`` keeps it in ``outbox`` (tests),
``aliyun`` and ``tencent`` are the production gateways (configured with
SMS_ACCESS_KEY / SMS_ACCESS_SECRET / SMS_SIGN_NAME).
"""

import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.utils import timezone

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


def notify(*, phone: str = "", email: str = "", subject: str, text: str) -> None:
    """Send ``text`` to a person by SMS (when a phone is given) and email (when an address is
    given). Failures of one channel are logged and do not stop the other."""
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
