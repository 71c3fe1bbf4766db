"""The notification center: the one way modules send a message to a person — in-app inbox
(one per person across associations), SMS, WeChat template messages and email.

Kinds first: every message has a ``MessageKind`` (registered by the sending app in its
``AppConfig.ready``) with its templates per channel; callers pass the kind's code and its
params::

    notify(association=a, kind="events.cancelled", to=Recipient(phone=..., user_id=...),
           params={"title": ..., "when": ...}, target_type="events.event", target_id=event.pk)

``notify_each`` takes params per recipient; ``broadcast`` sends to a whole audience (a
registered recipient source) as one job. The parts live in ``core.notify``: kinds,
senders (SMS_BACKEND console/memory/aliyun/tencent, WECHAT_BACKEND, Django's email),
preferences (opt-outs, quiet hours), delivery (the delivery log ``OutboxMessage``, retries
with backoff, the 未送达 list's resend) and broadcast."""

from shanghui.core.notify.broadcast import (
    BROADCAST_CHUNK,
    RECIPIENT_SOURCES,
    broadcast,
    broadcast_walk,
    register_recipient_source,
)
from shanghui.core.notify.delivery import (
    DELIVER_BATCH,
    MAX_ATTEMPTS,
    MESSAGES_QUEUE,
    RETRY_DELAYS,
    DeliveryFailed,
    NotSent,
    Recipient,
    deliver,
    deliveries_resend,
    failed_deliveries,
    notify,
    notify_each,
    send_now,
)
from shanghui.core.notify.kinds import (
    MessageKind,
    message_kind,
    message_kinds,
    register_kind,
    register_kinds,
)
from shanghui.core.notify.senders import (
    SMS_BACKENDS,
    MemorySmsSender,
    SendError,
    SentMessage,
    outbox,
    sms_sender,
    wechat_sender,
)

__all__ = [
    "BROADCAST_CHUNK",
    "DELIVER_BATCH",
    "MAX_ATTEMPTS",
    "MESSAGES_QUEUE",
    "RECIPIENT_SOURCES",
    "RETRY_DELAYS",
    "SMS_BACKENDS",
    "DeliveryFailed",
    "MemorySmsSender",
    "MessageKind",
    "NotSent",
    "Recipient",
    "SendError",
    "SentMessage",
    "broadcast",
    "broadcast_walk",
    "deliver",
    "deliveries_resend",
    "failed_deliveries",
    "message_kind",
    "message_kinds",
    "notify",
    "notify_each",
    "outbox",
    "register_kind",
    "register_kinds",
    "register_recipient_source",
    "send_now",
    "sms_sender",
    "wechat_sender",
]
