"""The one way modules send a message to a person, until the notification center (inbox,
email, SMS, WeChat) takes over behind this same function.

A message to someone with an account (``user_id``) also goes to their in-app inbox
(``core.inbox``, ``core.models.InboxMessage``), in the same transaction as the outbox row.

``notify`` writes the message to the association's outbox (``core.models.OutboxMessage``, a
tenant table under row-level security) in the caller's transaction and queues a ``deliver``
task that carries only the row's id; a worker sends it once the transaction commits. The
platform's own messages to an account outside any association are sent at once.

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
from typing import NotRequired, Protocol, TypedDict

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from shanghui.core import wechat
from shanghui.core.inbox import inbox_message
from shanghui.core.models import InboxMessage, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Tenant

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
        # Without the account's keys nothing can be sent, nor bound: WeChat is off.
        return OfficialAccountWechatSender() if wechat.wechat_configured() else None
    raise ImproperlyConfigured(f"Unknown WECHAT_BACKEND {backend!r}")


def _wechat_openid(phone: str) -> str:
    openid = (
        get_user_model()
        .objects.filter(phone=phone, is_active=True)
        .values_list("wechat_openid", flat=True)
        .first()
    )
    return openid or ""


@dataclass
class Delivery:
    """How one message went, per channel: ``OutboxMessage.Channel`` values, empty where the
    channel did not apply (no address, WeChat off or not bound)."""

    sms: str = ""
    wechat: str = ""
    email: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return OutboxMessage.Channel.SENT in (self.sms, self.wechat, self.email)


def send_now(*, phone: str = "", email: str = "", subject: str, text: str) -> Delivery:
    """Sends ``text`` at once, in this process: by WeChat (when that phone's account is bound
    and WeChat is on), by SMS (when a phone is given) and by email (when an address is given).
    Failures of one channel are logged and do not stop the others. Callers go through
    ``notify``; the worker's ``deliver`` and platform messages end here."""
    delivery = Delivery()
    wechat = wechat_sender() if phone else None
    openid = _wechat_openid(phone) if wechat is not None else ""
    if wechat is not None and openid:
        try:
            wechat.send(openid=openid, title=subject, text=text)
            delivery.wechat = OutboxMessage.Channel.SENT
        except Exception as exc:
            logger.exception("WeChat message to %s failed", phone)
            delivery.wechat = OutboxMessage.Channel.FAILED
            delivery.errors.append(f"wechat: {exc}")
    if phone:
        try:
            sms_sender().send(phone=phone, text=f"【{settings.SMS_SIGN_NAME}】{text}")
            delivery.sms = OutboxMessage.Channel.SENT
        except Exception as exc:
            logger.exception("SMS to %s failed", phone)
            delivery.sms = OutboxMessage.Channel.FAILED
            delivery.errors.append(f"sms: {exc}")
    if email:
        try:
            send_mail(subject, text, None, [email])
            delivery.email = OutboxMessage.Channel.SENT
        except Exception as exc:
            logger.exception("Email to %s failed", email)
            delivery.email = OutboxMessage.Channel.FAILED
            delivery.errors.append(f"email: {exc}")
    return delivery


class Message(TypedDict):
    """One message to one person, as ``notify_many`` takes it. With ``user_id`` (their
    account) it is also put in their inbox, about ``target_type``/``target_id`` if given."""

    phone: str
    email: str
    subject: str
    text: str
    user_id: NotRequired[int | None]
    target_type: NotRequired[str]
    target_id: NotRequired[int | None]


def notify(
    *,
    association: Tenant | None,
    phone: str = "",
    email: str = "",
    subject: str,
    text: str,
    user_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
) -> None:
    """Sends ``text`` to a person by SMS (when a phone is given), WeChat (when that phone's
    account is bound) and email (when an address is given), and puts it in the inbox of
    their account (``user_id``, inside an association) about ``target_type``/``target_id``.

    Inside an association the message is an ``OutboxMessage`` row written in the caller's
    transaction and sent by a worker after it commits (``deliver``, whose task carries only
    ids): a rolled-back change sends nothing and the task queue holds no personal data.
    ``association=None`` is for the platform's own messages to an account that may belong to
    no association (a password reset code): sent at once by ``send_now``, stored nowhere."""
    if association is None:
        send_now(phone=phone, email=email, subject=subject, text=text)
        return
    notify_many(
        association=association,
        messages=[
            {
                "phone": phone,
                "email": email,
                "subject": subject,
                "text": text,
                "user_id": user_id,
                "target_type": target_type,
                "target_id": target_id,
            }
        ],
    )


# Messages per ``deliver`` task: a worker stopped (or killed after its grace period) loses at
# most the rest of one small task, and several workers share a long list.
DELIVER_BATCH = 20


# No savepoint of its own: inside the caller's transaction it is part of the caller's work.
@transaction.atomic(savepoint=False)
def notify_many(*, association: Tenant, messages: list[Message]) -> None:
    """Writes ``messages`` to the association's outbox in one insert and queues them for the
    workers in tasks of ``DELIVER_BATCH`` ids, in the caller's transaction: an event change
    told to 500 registrants does not keep the secretariat's request waiting on 500 SMS, and a
    rolled-back change sends nothing. Messages naming an account (``user_id``) go to its
    inbox too, in one more insert."""
    inbox = [
        inbox_message(
            association=association,
            item={
                "user_id": user_id,
                "subject": message["subject"],
                "text": message["text"],
                "target_type": message.get("target_type", ""),
                "target_id": message.get("target_id"),
            },
        )
        for message in messages
        if (user_id := message.get("user_id"))
    ]
    with tenant_context(association):
        if inbox:
            InboxMessage.objects.bulk_create(inbox)
        rows = OutboxMessage.objects.bulk_create(
            OutboxMessage(
                association_id=association.pk,
                phone=message["phone"],
                email=message["email"],
                subject=message["subject"][:200],
                text=message["text"],
            )
            for message in messages
        )
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), DELIVER_BATCH):
        deliver.enqueue(
            association_id=association.pk, message_ids=ids[start : start + DELIVER_BATCH]
        )


# The queue of ``deliver`` (settings.TASKS): a worker of its own serves it, so messages never
# wait behind exports; a worker serving every queue takes them first (priority).
MESSAGES_QUEUE = "messages"


@task(queue_name=MESSAGES_QUEUE, priority=10)
def deliver(*, association_id: int, message_ids: list[int]) -> None:
    """Sends the association's queued outbox messages among ``message_ids``, each once, and
    records how each channel went. The worker runs as the row-level-security role: the rows
    are read and written inside the association's context, in short transactions, none held
    open while a gateway answers."""
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    with tenant_context(association), transaction.atomic():
        claimed = list(
            OutboxMessage.objects.select_for_update()
            .filter(association=association, pk__in=message_ids, status=OutboxMessage.Status.QUEUED)
            .order_by("pk")
        )
        OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=OutboxMessage.Status.SENDING, attempts=F("attempts") + 1
        )
    for message in claimed:
        try:
            delivery = send_now(
                phone=message.phone, email=message.email, subject=message.subject, text=message.text
            )
        except Exception as exc:  # one person's failure must not cost the others their message
            logger.exception("Outbox message %s failed", message.pk)
            delivery = Delivery(errors=[str(exc)])
        with tenant_context(association):
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=(
                    OutboxMessage.Status.SENT if delivery.delivered else OutboxMessage.Status.FAILED
                ),
                sms_status=delivery.sms,
                wechat_status=delivery.wechat,
                email_status=delivery.email,
                last_error="; ".join(delivery.errors)[:500],
                sent_at=timezone.now() if delivery.delivered else None,
            )
