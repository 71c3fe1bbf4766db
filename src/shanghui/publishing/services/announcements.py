"""Announcements (通知公告): writing a draft, sending it, read receipts, the 回执 and the
reminder to those who have not read it.

Who may: the views and the API check ``Perm.EDIT_CONTENT`` before the writing services and
``Perm.PUBLISH_CONTENT`` before ``announcement_send`` and ``announcement_remind``; reading and
replying are the recipient's own (signed in, or through their signed link).

Sending never runs inside the request: ``announcement_send`` marks the announcement sent and
starts a broadcast job (``core.notifications.broadcast``). The job's worker walks the
recipient source registered here, which first fixes who the announcement reaches (one
``AnnouncementRecipient`` row per person, idempotently) and then gives each person their
message with their own signed link (``receipt_links``) — skipping those an earlier run of
the job already gave it, so a job retried after stopping half-way sends nobody a second
message."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceInput, audience_rules_replace
from shanghui.core.audit import audit
from shanghui.core.models import AudienceRule, InboxMessage, Job, OutboxMessage, StoredFile
from shanghui.core.notifications import Recipient, broadcast
from shanghui.core.richtext import sanitize_html
from shanghui.core.storage.files import file_attach, file_store, files_discard, store_refusals
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import DOCUMENT_SIGNATURES, validate_document_upload
from shanghui.events.services.common import parse_when
from shanghui.members.models import Person, Representative
from shanghui.members.selectors import LISTED_STATUSES
from shanghui.publishing.announcement_selectors import audience_persons
from shanghui.publishing.models import (
    ANNOUNCEMENT_TYPE,
    Announcement,
    AnnouncementAttachment,
    AnnouncementRecipient,
)
from shanghui.publishing.receipt_links import receipt_link_maker

ANNOUNCEMENT_KIND = "publishing.announcement"
REMINDER_KIND = "publishing.announcement_reminder"
SOURCE_ALL = "publishing.announcement"
# The send's and the reminder's job: followed by those who may send (announcement_setup).
JOB_KIND = "publishing.announcement"
SOURCE_UNREAD = "publishing.announcement.unread"
CHUNK = 1000

# The 回执's form: a few fields of these types.
FIELD_TYPES = ("text", "choice", "number", "yesno")
MAX_FIELDS = 10
MAX_CHOICES = 10
LABEL_MAX = 40
TEXT_ANSWER_MAX = 500
YES, NO = "yes", "no"

# Attachments: what members open on a phone — PDF, pictures, and Office files (zip based).
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    **DOCUMENT_SIGNATURES,
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
MAX_ATTACHMENTS = 10
ATTACHMENT_HOLDER = "publishing.announcementattachment.file"


@dataclass
class AnnouncementInput:
    title: str
    body: str = ""
    audience: str = Announcement.Audience.MEMBERS
    reply_fields: list[dict[str, Any]] = field(default_factory=list)
    reply_deadline: Any = None  # a datetime, or its text (Beijing time without an offset)


# --- The 回执's form -----------------------------------------------------------------------


def _field_error(message: str) -> ValidationError:
    return ValidationError({"reply_fields": message})


def reply_fields_clean(raw: object) -> list[dict[str, Any]]:
    """The form definition as stored: at most ``MAX_FIELDS`` fields, each with a label, one of
    ``FIELD_TYPES``, a required flag and — for a choice — 2 to ``MAX_CHOICES`` distinct
    options; keys ``f1``, ``f2`` … in order. Anything else is a ValidationError."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_FIELDS:
        raise _field_error(_("回执最多 %(n)d 项") % {"n": MAX_FIELDS})
    fields = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise _field_error(_("第 %(n)d 项格式不正确") % {"n": number})
        label = str(item.get("label") or "").strip()
        kind = str(item.get("type") or "").strip()
        if not label or len(label) > LABEL_MAX:
            raise _field_error(_("第 %(n)d 项的名称应为 1–40 个字") % {"n": number})
        if kind not in FIELD_TYPES:
            raise _field_error(_("第 %(n)d 项的类型不正确") % {"n": number})
        choices: list[str] = []
        if kind == "choice":
            given = item.get("choices") or []
            if not isinstance(given, list):
                raise _field_error(_("第 %(n)d 项的选项格式不正确") % {"n": number})
            choices = list(dict.fromkeys(str(c).strip() for c in given if str(c).strip()))
            if not 2 <= len(choices) <= MAX_CHOICES or any(len(c) > LABEL_MAX for c in choices):
                raise _field_error(_("第 %(n)d 项应有 2–10 个选项") % {"n": number})
        fields.append(
            {
                "key": f"f{number}",
                "label": label,
                "type": kind,
                "required": bool(item.get("required")),
                "choices": choices,
            }
        )
    return fields


TYPE_WORDS = {
    "文本": "text", "text": "text", "选择": "choice", "单选": "choice", "choice": "choice",
    "数字": "number", "number": "number", "是否": "yesno", "yesno": "yesno",
}  # fmt: skip


def reply_fields_parse(text: str) -> list[dict[str, Any]]:
    """The back office's plain notation, one field per line:
    ``名称 | 类型（文本/选择/数字/是否） | 必填或选填 | 选项1/选项2``."""
    raw = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        kind = TYPE_WORDS.get(parts[1].lower() or "文本")
        if kind is None:
            raise _field_error(_("第 %(n)d 行的类型应为 文本、选择、数字 或 是否") % {"n": number})
        raw.append(
            {
                "label": parts[0],
                "type": kind,
                "required": parts[2] in ("必填", "是", "required", "yes"),
                "choices": [c for c in re.split(r"[/、,，]", parts[3]) if c.strip()],
            }
        )
    return reply_fields_clean(raw)


def reply_fields_text(fields: list[dict[str, Any]]) -> str:
    """``reply_fields_parse``'s notation of stored fields (to edit them again)."""
    words = {"text": "文本", "choice": "选择", "number": "数字", "yesno": "是否"}
    lines = []
    for f in fields:
        parts = [f["label"], words[f["type"]], "必填" if f["required"] else "选填"]
        if f["choices"]:
            parts.append("/".join(f["choices"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _answer(item: dict[str, Any], value: object) -> str:
    """One answer as stored (text), or "" when left empty; ValidationError on a bad one."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    key = item["key"]
    if item["type"] == "text":
        if len(text) > TEXT_ANSWER_MAX:
            raise ValidationError({key: _("不能超过 500 个字")})
        return text
    if item["type"] == "choice":
        if text not in item["choices"]:
            raise ValidationError({key: _("请从选项中选择")})
        return text
    if item["type"] == "yesno":
        words = {"yes": YES, "true": YES, "是": YES, "no": NO, "false": NO, "否": NO}
        if text.lower() not in words:
            raise ValidationError({key: _("请选择“是”或“否”")})
        return words[text.lower()]
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or "e" in text.lower() or abs(number) >= 10**9:
        raise ValidationError({key: _("请填写数字")})
    return text


def reply_answers_clean(fields: list[dict[str, Any]], raw: Mapping[str, object]) -> dict[str, str]:
    """The answers to ``fields`` by key: every required one given, every one of its type."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for item in fields:
        try:
            value = _answer(item, raw.get(item["key"]))
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
            continue
        if not value and item["required"]:
            errors[item["key"]] = _("此项必填")
        answers[item["key"]] = value
    if errors:
        raise ValidationError(errors)
    return answers


def answer_display(item: dict[str, Any], value: str) -> str:
    if item["type"] == "yesno":
        return {YES: _("是"), NO: _("否")}.get(value, value)
    return value


# --- Drafts -----------------------------------------------------------------------------


def _clean(data: AnnouncementInput) -> dict[str, Any]:
    title = (data.title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写标题")})
    if len(title) > 100:
        raise ValidationError({"title": _("标题不能超过 100 个字")})
    if data.audience not in Announcement.Audience.values:
        raise ValidationError({"audience": _("发送范围不正确")})
    fields = reply_fields_clean(data.reply_fields)
    deadline = (
        parse_when(data.reply_deadline, field="reply_deadline", required=False) if fields else None
    )
    if fields and deadline is None:
        raise ValidationError({"reply_deadline": _("需要回执时请填写截止时间")})
    return {
        "title": title,
        "body": sanitize_html(data.body or ""),
        "audience": data.audience,
        "reply_fields": fields,
        "reply_deadline": deadline,
    }


def _draft_only(announcement: Announcement) -> None:
    if announcement.status != Announcement.Status.DRAFT:
        raise ValidationError(_("通知已发送，不能再修改"))


@transaction.atomic
def announcement_create(
    *, association: Association, actor: User, data: AnnouncementInput
) -> Announcement:
    """A new draft; its body sanitised whatever the client sent."""
    announcement = Announcement.objects.create(
        association=association, created_by=actor, **_clean(data)
    )
    audit(
        actor=actor,
        action="publishing.announcement.create",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    return announcement


@transaction.atomic
def announcement_update(
    *, association: Association, actor: User, announcement: Announcement, data: AnnouncementInput
) -> Announcement:
    """Changes a draft (a sent announcement is what its recipients got: it stays)."""
    _draft_only(announcement)
    values = _clean(data)
    for name, value in values.items():
        setattr(announcement, name, value)
    announcement.save(update_fields=[*values, "updated_at"])
    audit(
        actor=actor,
        action="publishing.announcement.update",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    return announcement


@transaction.atomic
def announcement_delete(
    *, association: Association, actor: User, announcement: Announcement
) -> None:
    """Deletes a draft with its attachments and audience rules."""
    _draft_only(announcement)
    AudienceRule.objects.filter(
        association=association, owner_type=ANNOUNCEMENT_TYPE, owner_id=announcement.pk
    ).delete()
    for attachment in announcement.attachments.all():
        files_discard(attachment)  # to the trash, with the attachment's kept versions
    audit(
        actor=actor,
        action="publishing.announcement.delete",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    announcement.delete()


@transaction.atomic
def announcement_audience_set(
    *, association: Association, actor: User, announcement: Announcement, data: AudienceInput
) -> list[AudienceRule]:
    """Sends the draft to the chosen levels, committees, council, posts or named people
    (``core.audience``) instead of all members; an empty choice is refused."""
    _draft_only(announcement)
    if data.is_empty():
        raise ValidationError(_("请至少选择一项发送范围"))
    rules = audience_rules_replace(
        association=association,
        owner_type=ANNOUNCEMENT_TYPE,
        owner_id=announcement.pk,
        choices=data.choices(),
    )
    Announcement.objects.filter(pk=announcement.pk).update(audience=Announcement.Audience.RULES)
    announcement.audience = Announcement.Audience.RULES
    audit(
        actor=actor,
        action="publishing.announcement.audience",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    return rules


def attachment_add(
    *, association: Association, actor: User, announcement: Announcement, upload: UploadedFile
) -> AnnouncementAttachment:
    """Attaches a file to a draft: PDF, JPG/PNG, Word, Excel or PowerPoint, its content
    matching its extension, within the upload size limit and the storage quota. The bytes
    are stored before the transaction (``core.storage.files``); a file picked from the
    document library arrives as a copy of its bytes, which the content store recognises: the
    attachment then holds the library's stored content, with nothing stored twice."""
    _draft_only(announcement)
    validate_document_upload(upload, field="file", signatures=ATTACHMENT_SIGNATURES)
    if announcement.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}})
    name = (upload.name or "file").rsplit("/", 1)[-1][-200:]
    with store_refusals("file"):
        stored = file_store(association, upload, holder=ATTACHMENT_HOLDER, name=name, by=actor)
    with transaction.atomic():
        locked = Announcement.objects.select_for_update().get(
            association=association, pk=announcement.pk
        )
        _draft_only(locked)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError({"file": _("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}})
        return _attachment_keep(association, actor, locked, name, stored)


def _attachment_keep(
    association: Association,
    actor: User,
    announcement: Announcement,
    name: str,
    stored: StoredFile,
) -> AnnouncementAttachment:
    attachment = AnnouncementAttachment.objects.create(
        association=association,
        announcement=announcement,
        name=name,
        size=stored.content.size,
        uploaded_by=actor,
    )
    file_attach(attachment, "file", stored)
    audit(
        actor=actor,
        action="publishing.announcement.attach",
        association=association,
        target=announcement,
        summary=name,
    )
    return attachment


@transaction.atomic
def attachment_remove(
    *,
    association: Association,
    actor: User,
    announcement: Announcement,
    attachment: AnnouncementAttachment,
) -> None:
    """Removes an attachment from a draft; its file goes to the trash (``files_discard``)."""
    _draft_only(announcement)
    files_discard(attachment)
    attachment.delete()
    audit(
        actor=actor,
        action="publishing.announcement.detach",
        association=association,
        target=announcement,
        summary=attachment.name,
    )


# --- Sending ----------------------------------------------------------------------------


def _member_of(*, association: Association, person_ids: list[int]) -> dict[int, int]:
    """The member enterprise each person represents (the first, when several): listed
    members before others."""
    rows = (
        Representative.objects.filter(
            association=association, person_id__in=person_ids, deleted_at__isnull=True
        )
        .order_by("person_id", "pk")
        .values_list("person_id", "member_id", "member__status")
    )
    found: dict[int, tuple[int, bool]] = {}
    for person_id, member_id, status in rows:
        listed = status in LISTED_STATUSES
        if person_id not in found or (listed and not found[person_id][1]):
            found[person_id] = (member_id, listed)
    return {person_id: member_id for person_id, (member_id, _listed) in found.items()}


def recipients_fix(*, association: Association, announcement: Announcement) -> int:
    """Fixes whom a sent announcement reached: one row per person of its audience, written in
    chunks of short transactions; idempotent (a person already there is skipped), so a
    retried job adds nobody twice. Answers how many it reaches. Called by the worker."""
    with tenant_context(association):
        person_ids = list(
            audience_persons(association=association, announcement=announcement)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    for start in range(0, len(person_ids), CHUNK):
        ids = person_ids[start : start + CHUNK]
        with tenant_context(association), transaction.atomic():
            members = _member_of(association=association, person_ids=ids)
            people = Person.objects.filter(association=association, pk__in=ids).values_list(
                "pk", "name", "user_id"
            )
            AnnouncementRecipient.objects.bulk_create(
                [
                    AnnouncementRecipient(
                        association=association,
                        announcement=announcement,
                        person_id=pk,
                        member_id=members.get(pk),
                        user_id=user_id,
                        name=name[:50],
                    )
                    for pk, name, user_id in people
                ],
                ignore_conflicts=True,
            )
    with tenant_context(association), transaction.atomic():
        count = AnnouncementRecipient.objects.filter(
            association=association, announcement=announcement
        ).count()
        Announcement.objects.filter(pk=announcement.pk).update(recipient_count=count)
    return count


def _deadline_text(announcement: Announcement) -> str:
    if not announcement.reply_deadline:
        return ""
    return f"{timezone.localtime(announcement.reply_deadline):%m-%d %H:%M}"


def _params(
    association: Association, announcement: Announcement, url: str, member_page: str
) -> dict[str, object]:
    """The message's params: ``url`` (in the SMS) is the person's signed link; ``link`` (where
    the inbox entry leads) is the member page for those who sign in here (``member_page``,
    else "")."""
    return {
        "link": member_page or url,
        "association": association.short_name or association.name,
        "title": announcement.title,
        "url": url,
        "deadline": _deadline_text(announcement),
        "reply": _("请于 %(when)s 前填写回执。") % {"when": _deadline_text(announcement)}
        if announcement.wants_reply
        else "",
    }


def member_url(association: Association, announcement: Announcement) -> str:
    path = reverse(
        "publishing:announcement",
        kwargs={"association_slug": association.slug, "announcement_id": announcement.pk},
    )
    return f"{settings.SITE_URL}{path}"


def _already_given(
    association: Association, announcement: Announcement, chunk: list[tuple[Any, ...]]
) -> set[int]:
    """The recipients of ``chunk`` (rows of ``_messages``) who already have this
    announcement's message — an inbox entry, or an SMS or email logged to their address — from
    an earlier run of the same send (a job retried after it stopped half-way)."""
    users = {row[2] for row in chunk if row[2]}
    phones = {row[3] for row in chunk if row[3]}
    emails = {row[4] for row in chunk if row[4]}
    given_users = set(
        InboxMessage.objects.filter(
            association=association.pk,
            kind=ANNOUNCEMENT_KIND,
            target_type=ANNOUNCEMENT_TYPE,
            target_id=announcement.pk,
            user_id__in=users,
        ).values_list("user_id", flat=True)
    )
    logged = OutboxMessage.objects.filter(
        association=association.pk,
        kind=ANNOUNCEMENT_KIND,
        target_type=ANNOUNCEMENT_TYPE,
        target_id=announcement.pk,
    ).filter(Q(phone__in=phones) | Q(email__in=emails))
    given_phones: set[str] = set()
    given_emails: set[str] = set()
    for phone, email in logged.values_list("phone", "email"):
        given_phones.add(phone)
        given_emails.add(email)
    return {
        row[0]
        for row in chunk
        if (row[2] and row[2] in given_users)
        or (row[3] and row[3] in given_phones)
        or (row[4] and row[4] in given_emails)
    }


def _messages(
    association: Association, announcement: Announcement, *, unread_only: bool
) -> Iterator[tuple[Recipient, Mapping[str, object]]]:
    """Each recipient's message with their own link, read in keyset chunks (one short read
    each, outside any transaction the caller holds open between chunks). The send (not the
    reminder, which goes again by design) skips those an earlier run of the job already
    gave it, so a retried job sends nobody a second SMS."""
    last = 0
    page = member_url(association, announcement)
    link_of = receipt_link_maker(
        slug=association.slug, association_id=association.pk, announcement_id=announcement.pk
    )
    while True:
        with tenant_context(association):
            rows = AnnouncementRecipient.objects.filter(
                association=association, announcement=announcement, pk__gt=last
            )
            if unread_only:
                rows = rows.filter(read_at__isnull=True)
            chunk = list(
                rows.order_by("pk").values_list(
                    "pk", "name", "user_id", "person__phone", "person__email"
                )[:CHUNK]
            )
            with_role = set(
                Role.objects.filter(
                    association=association,
                    user_id__in=[row[2] for row in chunk if row[2]],
                    is_active=True,
                ).values_list("user_id", flat=True)
            )
            given = set() if unread_only else _already_given(association, announcement, chunk)
        if not chunk:
            return
        for pk, name, user_id, phone, email in chunk:
            if pk in given:
                continue
            recipient = Recipient(phone=phone or "", email=email or "", user_id=user_id, name=name)
            own_page = page if user_id in with_role else ""
            yield recipient, _params(association, announcement, link_of(pk), own_page)
        last = chunk[-1][0]


def _sent_announcement(association: Association, owner_id: int) -> Announcement:
    with tenant_context(association):
        return Announcement.objects.get(
            association=association, pk=owner_id, status=Announcement.Status.SENT
        )


def source_all(
    association: Association, owner_id: int
) -> Iterator[tuple[Recipient, Mapping[str, object]]]:
    """The broadcast source of a sent announcement: fixes its recipients, then yields them."""
    announcement = _sent_announcement(association, owner_id)
    recipients_fix(association=association, announcement=announcement)
    yield from _messages(association, announcement, unread_only=False)


def source_unread(
    association: Association, owner_id: int
) -> Iterator[tuple[Recipient, Mapping[str, object]]]:
    """The reminder's source: only those who have not read it (when the worker runs)."""
    announcement = _sent_announcement(association, owner_id)
    yield from _messages(association, announcement, unread_only=True)


def _sendable(*, association: Association, announcement: Announcement) -> None:
    _draft_only(announcement)
    if not announcement.title:
        raise ValidationError({"title": _("请填写标题")})
    if announcement.wants_reply and (
        announcement.reply_deadline is None or announcement.reply_deadline <= timezone.now()
    ):
        raise ValidationError({"reply_deadline": _("回执截止时间应晚于现在")})
    if (
        announcement.audience == Announcement.Audience.RULES
        and not AudienceRule.objects.filter(
            association=association, owner_type=ANNOUNCEMENT_TYPE, owner_id=announcement.pk
        ).exists()
    ):
        raise ValidationError({"audience": _("请先设置发送范围")})


@transaction.atomic
def announcement_send(*, association: Association, actor: User, announcement: Announcement) -> Job:
    """Sends a draft (the caller holds ``PUBLISH_CONTENT``): it becomes sent at once (a
    conditional update, so two clicks send once) and a broadcast job, enqueued after commit,
    fixes its recipients and gives each their inbox message and SMS with a personal link."""
    _sendable(association=association, announcement=announcement)
    now = timezone.now()
    claimed = Announcement.objects.filter(
        association=association, pk=announcement.pk, status=Announcement.Status.DRAFT
    ).update(status=Announcement.Status.SENT, sent_at=now, sent_by=actor)
    if not claimed:
        raise ValidationError(_("通知已发送，不能再修改"))
    announcement.status, announcement.sent_at, announcement.sent_by = "sent", now, actor
    job = broadcast(
        association=association,
        actor=actor,
        kind=ANNOUNCEMENT_KIND,
        source=SOURCE_ALL,
        owner_id=announcement.pk,
        label=_("通知：%(title)s") % {"title": announcement.title},
        job_kind=JOB_KIND,
        target_type=ANNOUNCEMENT_TYPE,
        target_id=announcement.pk,
    )
    Announcement.objects.filter(pk=announcement.pk).update(send_job_id=job.pk)
    announcement.send_job_id = job.pk
    audit(
        actor=actor,
        action="publishing.announcement.send",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    return job


@transaction.atomic
def announcement_remind(
    *, association: Association, actor: User, announcement: Announcement
) -> Job:
    """Reminds those who have not read a sent announcement (the caller holds
    ``PUBLISH_CONTENT``): a broadcast whose source gives only the unread, as they are when
    the worker runs. Refused when everyone has read it or a reminder went out in the last
    ten minutes (a double click)."""
    if announcement.status != Announcement.Status.SENT:
        raise ValidationError(_("通知尚未发送"))
    unread = AnnouncementRecipient.objects.filter(
        association=association, announcement=announcement, read_at__isnull=True
    )
    if announcement.recipient_count and not unread.exists():
        raise ValidationError(_("所有人都已阅读，无需提醒"))
    now = timezone.now()
    recent = now - timedelta(minutes=10)
    claimed = (
        Announcement.objects.filter(association=association, pk=announcement.pk)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=recent))
        .update(reminded_at=now)
    )
    if not claimed:
        raise ValidationError(_("刚刚已提醒过，请稍后再试"))
    announcement.reminded_at = now
    job = broadcast(
        association=association,
        actor=actor,
        kind=REMINDER_KIND,
        source=SOURCE_UNREAD,
        owner_id=announcement.pk,
        label=_("通知提醒：%(title)s") % {"title": announcement.title},
        job_kind=JOB_KIND,
        target_type=ANNOUNCEMENT_TYPE,
        target_id=announcement.pk,
    )
    audit(
        actor=actor,
        action="publishing.announcement.remind",
        association=association,
        target=announcement,
        summary=announcement.title,
    )
    return job


# --- Reading and replying ----------------------------------------------------------------


def receipt_record(*, association: Association, recipient: AnnouncementRecipient, via: str) -> bool:
    """Records the first read of ``recipient`` (a conditional update: a second read, or two
    at once, keeps the first time and way); answers whether this was the first. Not
    audit-logged: the receipt is the record. A row already read is not written again (every
    later view of the page would otherwise issue a write)."""
    if recipient.read_at is not None:
        return False
    now = timezone.now()
    first = AnnouncementRecipient.objects.filter(
        association=association, pk=recipient.pk, read_at__isnull=True
    ).update(read_at=now, read_via=via)
    if first:
        recipient.read_at, recipient.read_via = now, via
    return bool(first)


def announcement_read(
    *, association: Association, user: User, announcement: Announcement
) -> list[AnnouncementRecipient]:
    """The signed-in person opens a sent announcement: each of their recipient rows (one per
    person record of theirs here) is read in the app, and its inbox entries. Answers their
    rows. Only the first view writes; later ones only read (the rows, and whether an inbox
    entry is still unread — it may be, when the first read came through the SMS link)."""
    rows = list(
        AnnouncementRecipient.objects.filter(
            association=association, announcement=announcement, user=user
        ).order_by("pk")
    )
    for row in rows:
        receipt_record(association=association, recipient=row, via=AnnouncementRecipient.Via.INBOX)
    # Its inbox entries are read too: the badge counts what is still to be read.
    unread_inbox = InboxMessage.objects.filter(
        association=association.pk,
        user=user.pk,
        target_type=ANNOUNCEMENT_TYPE,
        target_id=announcement.pk,
        read_at__isnull=True,
    )
    if unread_inbox.exists():
        unread_inbox.update(read_at=timezone.now())
    return rows


def reply_open(announcement: Announcement, *, now: datetime | None = None) -> bool:
    return bool(
        announcement.wants_reply
        and announcement.reply_deadline
        and (now or timezone.now()) < announcement.reply_deadline
    )


@transaction.atomic
def reply_submit(
    *,
    association: Association,
    actor: User | None,
    recipient: AnnouncementRecipient,
    answers: Mapping[str, object],
    via: str = AnnouncementRecipient.Via.INBOX,
) -> AnnouncementRecipient:
    """Records the recipient's 回执 (signed in: ``actor``; through their link: None). The same
    answers again change nothing; new ones replace them until the deadline, after which it is
    refused. Replying also counts as reading."""
    announcement = recipient.announcement
    if not announcement.wants_reply:
        raise ValidationError(_("此通知无需回执"))
    if not reply_open(announcement):
        raise ValidationError(_("回执已于 %(when)s 截止，不能再提交或修改") % {
            "when": f"{timezone.localtime(announcement.reply_deadline):%Y-%m-%d %H:%M}"
        })  # fmt: skip
    clean = reply_answers_clean(announcement.reply_fields, answers)
    receipt_record(association=association, recipient=recipient, via=via)
    if recipient.replied_at is not None and recipient.answers == clean:
        return recipient
    recipient.answers, recipient.replied_at = clean, timezone.now()
    recipient.save(update_fields=["answers", "replied_at"])
    audit(
        actor=actor,
        action="publishing.announcement.reply",
        association=association,
        target=announcement,
        summary=recipient.name,
    )
    return recipient
