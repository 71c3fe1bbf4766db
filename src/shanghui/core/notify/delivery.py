"""``notify``: the one way modules send a message to a person, and the delivery log's worker.

Inside an association, ``notify``/``notify_each`` write, in the caller's transaction, the
inbox row of each recipient with an account and one delivery-log row
(``core.models.OutboxMessage``) per message and channel — SMS to a phone, WeChat to a phone
whose account is bound, email to an address — and enqueue ``deliver`` tasks carrying only row
ids. With the database task backend the task rows commit, or roll back, with the messages: a
rolled-back change sends nothing and a committed one cannot lose its task (an ``on_commit``
enqueue could, should the process stop between the two). The task queue holds no personal
data. The platform's own messages (``association=None``: a sign-in code to an account that
may belong to no association) are sent at once, in this process, and stored nowhere.

A recipient's account (``Recipient.user_id``) brings its preferences
(``core.notify.preferences``): channels it muted for the kind are skipped, and messages
during its quiet hours wait until they end (the row's ``next_attempt_at``, the task's
``run_after``). Urgent kinds ignore both.

``deliver`` sends each row once; a refusal is recorded (error, attempts) and tried again
with exponential backoff (``RETRY_DELAYS``) by a retry pass (``retry_due``, one task per
``deliver`` task that met refusals, never one per row), then the row is
``failed`` — shown in the back office's 未送达 list, from which ``deliveries_resend`` sends
it again — and the task itself ends as failed, so a lost message never looks delivered."""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from shanghui.core.audit import audit
from shanghui.core.inbox import inbox_message
from shanghui.core.models import InboxMessage, Job, OutboxMessage
from shanghui.core.notify import preferences
from shanghui.core.notify.kinds import MessageKind, message_kind
from shanghui.core.notify.senders import SendError, sms_sender, wechat_sender
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account, Tenant

logger = logging.getLogger("shanghui.notifications")

SUBJECT_LIMIT = InboxMessage._meta.get_field("subject").max_length or 200
LINK_LIMIT = 500

# The queue of ``deliver`` (settings.TASKS): a worker of its own serves it, so messages never
# wait behind exports; a worker serving every queue takes them first (priority).
MESSAGES_QUEUE = "messages"
# Log rows per ``deliver`` task: a worker stopped loses at most the rest of one small task,
# and several workers share a long list.
DELIVER_BATCH = 20
# Waits before the 2nd, 3rd … attempt; after the last the row is failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a claimed row may stay ``sending``: a task sends at most DELIVER_BATCH rows, each
# bounded by the gateway's timeout (20 × 10 s), so a row sending for longer than this
# belongs to a worker that was stopped, and the retry pass claims it again.
SENDING_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Recipient:
    """One person as a sender knows them: a phone and/or an email address, and their account
    when they have one — whose preferences (muted channels, quiet hours) always apply, and
    whose inbox gets the message unless ``inbox`` is False (someone who could not open it
    there: no role in the association)."""

    phone: str = ""
    email: str = ""
    user_id: int | None = None
    name: str = ""
    inbox: bool = True


Message = tuple[Recipient, Mapping[str, object]]


def notify(
    *,
    association: Tenant | None,
    kind: str,
    to: Recipient | Iterable[Recipient],
    params: Mapping[str, object],
    target_type: str = "",
    target_id: int | None = None,
    link: str = "",
) -> None:
    """Sends the message of ``kind`` with ``params`` to ``to`` (one recipient or several).
    A platform message (``association=None``) that no channel delivered raises
    ``NotSent``."""
    recipients = [to] if isinstance(to, Recipient) else list(to)
    notify_each(
        association=association,
        kind=kind,
        messages=[(recipient, params) for recipient in recipients],
        target_type=target_type,
        target_id=target_id,
        link=link,
    )


def notify_each(
    *,
    association: Tenant | None,
    kind: str,
    messages: Iterable[Message],
    target_type: str = "",
    target_id: int | None = None,
    link: str = "",
) -> None:
    """``notify`` with params per recipient (a personal signed link in each SMS). A
    ``link`` param, when given, is the message's link in the inbox and WeChat."""
    message_kind_ = message_kind(kind)
    messages = list(messages)
    if association is None:
        for recipient, params in messages:
            send_platform(kind=message_kind_, recipient=recipient, params=params)
        return
    with transaction.atomic(savepoint=False):
        planned = write_messages(
            association=association,
            kind=message_kind_,
            messages=messages,
            target_type=target_type,
            target_id=target_id,
            link=link,
        )
        enqueue_planned(association=association, planned=planned)


@dataclass
class Planned:
    """The log rows written for one recipient: sent now (``ids``) or after quiet hours."""

    ids: list[int]
    run_after: datetime | None = None


def write_messages(
    *,
    association: Tenant,
    kind: MessageKind,
    messages: Sequence[Message],
    target_type: str = "",
    target_id: int | None = None,
    link: str = "",
) -> list[Planned]:
    """The inbox rows and the log rows of ``messages``, in two inserts (plus one read of the
    recipients' preferences, and of which phones are bound to WeChat when it is on)."""
    now = timezone.now()
    user_ids = {r.user_id for r, _p in messages if r.user_id}
    prefs = {} if kind.urgent else preferences.settings_of(user_ids)
    bound = (
        _wechat_bound({r.phone for r, _p in messages if r.phone})
        if "wechat" in kind.channels
        else set()
    )
    inbox: list[InboxMessage] = []
    rows: list[OutboxMessage] = []
    owners: list[int] = []  # the message index of each log row
    delays: list[datetime | None] = []
    for index, (recipient, params) in enumerate(messages):
        subject = kind.subject_for(params)
        text = kind.text_for(params)
        own_link = str(params.get("link") or link)[:LINK_LIMIT]
        person = prefs.get(recipient.user_id) if recipient.user_id else None
        if recipient.user_id and recipient.inbox and "inbox" in kind.channels:
            inbox.append(
                inbox_message(
                    association=association,
                    item={
                        "user_id": recipient.user_id,
                        "kind": kind.code,
                        "target_type": target_type,
                        "target_id": target_id,
                        "subject": subject,
                        "text": text,
                        "link": own_link,
                    },
                )
            )
        delays.append(preferences.quiet_until(person, now) if person else None)
        common = {
            "association_id": association.pk,
            "kind": kind.code,
            "link": own_link,
            "target_type": target_type,
            "target_id": target_id,
            "next_attempt_at": delays[index],
        }

        def wanted(channel: str, person: Any = person) -> bool:
            return channel in kind.channels and not preferences.is_muted(person, kind, channel)

        if recipient.phone and wanted("sms"):
            rows.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.SMS,
                    phone=recipient.phone,
                    subject=subject[:SUBJECT_LIMIT],
                    text=text,
                    params=kind.sms_params_for(params),
                    **common,
                )
            )
            owners.append(index)
        if recipient.phone in bound and wanted("wechat"):
            rows.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.WECHAT,
                    phone=recipient.phone,
                    subject=subject[:SUBJECT_LIMIT],
                    text=text,
                    params=kind.wechat_params_for(params),
                    **common,
                )
            )
            owners.append(index)
        if recipient.email and wanted("email"):
            email_subject, body = kind.email_for(params)
            rows.append(
                OutboxMessage(
                    channel=OutboxMessage.Channel.EMAIL,
                    email=recipient.email,
                    subject=email_subject[:SUBJECT_LIMIT],
                    text=body,
                    **common,
                )
            )
            owners.append(index)
    with tenant_context(association):
        if inbox:
            InboxMessage.objects.bulk_create(inbox)
        if rows:
            OutboxMessage.objects.bulk_create(rows)
    planned = [Planned(ids=[], run_after=delay) for delay in delays]
    for owner, row in zip(owners, rows, strict=True):
        planned[owner].ids.append(row.pk)
    return planned


def _wechat_bound(phones: set[str]) -> set[str]:
    """Which of these phones belong to an account bound to WeChat (when WeChat is on)."""
    if not phones or wechat_sender() is None:
        return set()
    bound = (
        get_user_model()
        .objects.filter(phone__in=phones, is_active=True)
        .exclude(wechat_openid="")
        .values_list("phone", flat=True)
    )
    return {phone for phone in bound if phone}


def enqueue_planned(*, association: Tenant, planned: Sequence[Planned], job_id: str = "") -> int:
    """Enqueues ``deliver`` for the rows of ``planned``: those sent now in tasks of about
    ``DELIVER_BATCH`` rows (a recipient's rows in one task, ``units`` counting recipients for
    a broadcast's progress), those held by quiet hours in tasks that run when they end.
    Answers how many recipients have no row sent now (counted done by a broadcast)."""
    batch: list[int] = []
    units = 0
    idle = 0
    for plan in planned:
        if not plan.ids or plan.run_after is not None:
            idle += 1
            if plan.ids:
                deliver.using(run_after=plan.run_after).enqueue(
                    association_id=association.pk, message_ids=plan.ids
                )
            continue
        batch.extend(plan.ids)
        units += 1
        if len(batch) >= DELIVER_BATCH:
            deliver.enqueue(
                association_id=association.pk, message_ids=batch, job_id=job_id, units=units
            )
            batch, units = [], 0
    if batch:
        deliver.enqueue(
            association_id=association.pk, message_ids=batch, job_id=job_id, units=units
        )
    return idle


class DeliveryFailed(Exception):
    """Some messages of a ``deliver`` task were refused: their rows say why and when they are
    tried again; the task is recorded as failed rather than successful."""


@task(queue_name=MESSAGES_QUEUE, priority=10)
def deliver(
    *, association_id: int, message_ids: list[int], job_id: str = "", units: int = 0
) -> None:
    """Sends the association's queued log rows among ``message_ids``, each once, and records
    how each went. The worker runs as the row-level-security role: the rows are read and
    written inside the association's context, in short transactions, none held open while a
    gateway answers. ``job_id``/``units``: the broadcast this task serves, and how many of
    its recipients it completes."""
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    now = timezone.now()
    with tenant_context(association), transaction.atomic():
        claimed = list(
            OutboxMessage.objects.select_for_update()
            .filter(claimable(now), association=association, pk__in=message_ids)
            .order_by("pk")
        )
        # A row held for later (quiet hours, a retry) waits for the task enqueued for then.
        claimed = [
            m
            for m in claimed
            if m.status == OutboxMessage.Status.SENDING
            or m.next_attempt_at is None
            or m.next_attempt_at <= now
        ]
        OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=OutboxMessage.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
        )
    errors: list[str] = []
    sent: list[OutboxMessage] = []
    retries: list[datetime] = []
    # The bound accounts of the task's WeChat rows, in one query (none without such rows).
    openids = wechat_openids(
        {m.phone for m in claimed if m.channel == OutboxMessage.Channel.WECHAT}
    )
    for message in claimed:
        message.attempts += 1
        try:
            provider_id = send_row(message, openids=openids)
        except Exception as exc:  # one person's failure must not cost the others their message
            logger.warning("Message %s (%s) failed: %s", message.pk, message.channel, exc)
            errors.append(f"{message.pk}: {exc}")
            retry_at = _record_failure(association, message, str(exc))
            if retry_at is not None:
                retries.append(retry_at)
            continue
        message.status = OutboxMessage.Status.SENT
        message.provider_message_id = provider_id[:100]
        message.last_error = ""
        message.next_attempt_at = None
        message.sent_at = timezone.now()
        sent.append(message)
    if sent:
        # The task's sent rows in one statement (a commit per SMS cost more than the SMS).
        with tenant_context(association):
            OutboxMessage.objects.bulk_update(
                sent, ["status", "provider_message_id", "last_error", "next_attempt_at", "sent_at"]
            )
    if retries:
        # One retry pass for this task's refusals, once the last of them is due.
        retry_due.using(run_after=max(retries)).enqueue(association_id=association.pk)
    if job_id:
        broadcast_progress(association=association, job_id=job_id, units=units)
    if errors:
        raise DeliveryFailed("; ".join(errors)[:1000])


def claimable(now: datetime) -> Q:
    """Rows a ``deliver`` task may claim: queued ones, and those ``sending`` past their
    lease (their worker was stopped between claiming and recording how the send went)."""
    return Q(status=OutboxMessage.Status.QUEUED) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - SENDING_LEASE
    )


def _record_failure(association: Tenant, message: OutboxMessage, error: str) -> datetime | None:
    """Records a refused attempt: the row waits for its next try (answered) or is failed."""
    with tenant_context(association):
        if message.attempts < MAX_ATTEMPTS:
            retry_at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.QUEUED, last_error=error[:500], next_attempt_at=retry_at
            )
            return retry_at
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED, last_error=error[:500], next_attempt_at=None
        )
        return None


@task(queue_name=MESSAGES_QUEUE, priority=10)
def retry_due(*, association_id: int) -> int:
    """The retry pass: every queued row of the association whose time has come (a refused
    attempt's backoff elapsed, quiet hours over) and every row ``sending`` past its lease (a
    stopped worker's), in ``deliver`` tasks of ``DELIVER_BATCH`` rows. Also run every few
    minutes by ``manage.py retry_messages`` (cron), which is what finds a stopped worker's
    rows. Enqueued once by a ``deliver`` task that met refusals — one pass for all of them,
    not a task per row — and safe to run any time: ``deliver`` claims each row once however
    many tasks name it. Answers how many rows it handed on."""
    association = apps.get_model("associations", "Association").objects.get(pk=association_id)
    now = timezone.now()
    with tenant_context(association):
        due = list(
            OutboxMessage.objects.filter(
                Q(status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now)
                | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - SENDING_LEASE),
                association=association,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    for start in range(0, len(due), DELIVER_BATCH):
        deliver.enqueue(
            association_id=association.pk, message_ids=due[start : start + DELIVER_BATCH]
        )
    return len(due)


def broadcast_progress(*, association: Tenant, job_id: str, units: int) -> None:
    """Advances a broadcast's progress by ``units`` recipients, atomically (several workers
    deliver its tasks at once), and finishes the job once every recipient is done."""
    with tenant_context(association):
        if units:
            Job.objects.filter(pk=job_id, association_id=association.pk).update(
                done=F("done") + units, updated_at=timezone.now()
            )
        Job.objects.filter(
            pk=job_id,
            association_id=association.pk,
            status=Job.Status.RUNNING,
            total__gt=0,
            done__gte=F("total"),
        ).update(status=Job.Status.DONE, updated_at=timezone.now())


def kind_or_none(code: str) -> MessageKind | None:
    try:
        return message_kind(code) if code else None
    except Exception:
        return None


def send_row(message: OutboxMessage, *, openids: Mapping[str, str]) -> str:
    """Sends one log row by its channel; answers the provider's message id. ``openids``: the
    WeChat openid of each bound phone among the task's WeChat rows (``wechat_openids``)."""
    kind = kind_or_none(message.kind)
    if message.channel == OutboxMessage.Channel.SMS:
        template = kind.sms_template_code(settings.SMS_BACKEND) if kind else ""
        return sms_sender().send(
            phone=message.phone,
            text=f"【{settings.SMS_SIGN_NAME}】{message.text}",
            template=template,
            params=message.params or {},
        )
    if message.channel == OutboxMessage.Channel.WECHAT:
        sender = wechat_sender()
        if sender is None:
            raise SendError("WeChat is off")
        openid = openids.get(message.phone, "")
        if not openid:
            raise SendError("wechat: the account is no longer bound")
        template = kind.wechat_template_id() if kind and kind.wechat_keywords else ""
        return sender.send(
            openid=openid,
            title=message.subject,
            text=message.text,
            template=template,
            data=message.params or {},
        )
    send_mail(message.subject, message.text, None, [message.email])
    return ""


def wechat_openids(phones: Iterable[str]) -> dict[str, str]:
    """The WeChat openid of each of these phones whose active account is bound, in one
    query (none for no phones)."""
    wanted = {phone for phone in phones if phone}
    if not wanted:
        return {}
    rows = (
        get_user_model()
        .objects.filter(phone__in=wanted, is_active=True)
        .exclude(wechat_openid="")
        .values_list("phone", "wechat_openid")
    )
    return {phone: openid for phone, openid in rows if phone}


class NotSent(SendError):
    """A platform message reached the person by no channel (every gateway that applied
    refused it): the caller must not tell them it was sent."""


def send_platform(*, kind: MessageKind, recipient: Recipient, params: Mapping[str, object]) -> None:
    """A platform message (no association): sent at once by each channel that applies, stored
    nowhere; a channel's failure is logged and does not stop the others. Raises ``NotSent``
    when no channel delivered it (a sign-in code whose SMS the gateway refused)."""
    sent, failed = _send_at_once(
        phone=recipient.phone if "sms" in kind.channels else "",
        email=recipient.email if "email" in kind.channels else "",
        subject=kind.subject_for(params),
        text=kind.text_for(params),
        kind=kind,
        params=params,
    )
    if failed and not sent:
        raise NotSent(", ".join(failed))


def send_now(
    *,
    phone: str = "",
    email: str = "",
    subject: str,
    text: str,
    kind: MessageKind | None = None,
    params: Mapping[str, object] | None = None,
) -> list[str]:
    """Sends at once, in this process: by WeChat (when that phone's account is bound and
    WeChat is on), by SMS (a phone) and by email (an address). Answers the channels that
    failed (each logged)."""
    return _send_at_once(
        phone=phone, email=email, subject=subject, text=text, kind=kind, params=params
    )[1]


def _send_at_once(
    *,
    phone: str,
    email: str,
    subject: str,
    text: str,
    kind: MessageKind | None,
    params: Mapping[str, object] | None,
) -> tuple[list[str], list[str]]:
    """``send_now``'s work: answers the channels that sent and those that failed."""
    sent: list[str] = []
    failed: list[str] = []
    params = params or {}
    wanted = kind is None or "wechat" in kind.channels
    sender = wechat_sender() if phone and wanted else None
    openid = wechat_openids([phone]).get(phone, "") if sender is not None else ""
    if sender is not None and openid:
        try:
            sender.send(
                openid=openid,
                title=subject,
                text=text,
                template=kind.wechat_template_id() if kind and kind.wechat_keywords else "",
                data=kind.wechat_params_for(params) if kind else {},
            )
            sent.append("wechat")
        except Exception:
            logger.exception("WeChat message to %s failed", phone)
            failed.append("wechat")
    if phone:
        try:
            sms_sender().send(
                phone=phone,
                text=f"【{settings.SMS_SIGN_NAME}】{text}",
                template=kind.sms_template_code(settings.SMS_BACKEND) if kind else "",
                params=kind.sms_params_for(params) if kind else {},
            )
            sent.append("sms")
        except Exception:
            logger.exception("SMS to %s failed", phone)
            failed.append("sms")
    if email:
        try:
            email_subject, body = kind.email_for(params) if kind else (subject, text)
            send_mail(email_subject, body, None, [email])
            sent.append("email")
        except Exception:
            logger.exception("Email to %s failed", email)
            failed.append("email")
    return sent, failed


def failed_deliveries(*, association: Tenant) -> QuerySet[OutboxMessage]:
    """未送达: the association's messages that failed after every attempt, newest first (the
    back office's list and the API's; who may read it — MANAGE_MEMBERS — is the caller's
    check)."""
    return OutboxMessage.objects.filter(
        association=association.pk, status=OutboxMessage.Status.FAILED
    ).order_by("-created_at", "-id")


@transaction.atomic
def deliveries_resend(
    *, association: Tenant, actor: Account, ids: Iterable[int] | None = None
) -> int:
    """Sends the association's failed deliveries again — all of them, or those of ``ids``
    (others' ids change nothing) — with a fresh round of attempts; audit-logged. Answers how
    many were queued."""
    with tenant_context(association):
        failed = OutboxMessage.objects.filter(
            association_id=association.pk, status=OutboxMessage.Status.FAILED
        )
        if ids is not None:
            failed = failed.filter(pk__in=[i for i in ids if isinstance(i, int) and 0 < i < 2**63])
        chosen = list(failed.values_list("pk", flat=True).order_by("pk"))
        OutboxMessage.objects.filter(pk__in=chosen).update(
            status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=None
        )
    for start in range(0, len(chosen), DELIVER_BATCH):
        deliver.enqueue(
            association_id=association.pk, message_ids=chosen[start : start + DELIVER_BATCH]
        )
    if chosen:
        audit(
            actor=actor,
            action="core.deliveries_resend",
            association=association,
            summary=f"{len(chosen)}",
            data={"count": len(chosen)},
        )
    return len(chosen)
