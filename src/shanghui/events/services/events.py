"""Creating and changing events: details, audience rules, documents, the public calendar
switch and a member's calendar subscription (ticket types, the agenda and check-in lists are in
``setup``). Called by the pages and the API; every service is keyword-only, audit-logged and
one transaction — a cover or a document's bytes are stored just before it, with no transaction
open, and attached in it (``core.storage.files``)."""

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import shanghui.events.services.notices as notices
from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceInput, audience_rules_replace
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.models import AudienceRule, StoredFile
from shanghui.core.richtext import sanitize_html
from shanghui.core.storage.files import file_attach, file_store, files_discard, store_refusals
from shanghui.core.uploads import image_normalized, picture_put, validate_document_upload
from shanghui.events.models import (
    EVENT_TYPE,
    CalendarFeed,
    CalendarSettings,
    CheckinList,
    Event,
    EventDocument,
)
from shanghui.events.services.common import (
    clean_text,
    parse_count,
    parse_fee,
    parse_when,
)
from shanghui.events.services.registration import promote_waitlist
from shanghui.events.todos import EVENTS_VERSION
from shanghui.org.models import Committee

MAX_QUESTIONS = 10
DEFAULT_LIST = gettext_lazy("主会场")


@dataclass
class EventInput:
    """What the secretariat fills in; strings as typed (the services parse and check)."""

    title: str
    starts_at: Any
    ends_at: Any
    kind: str = Event.Kind.OTHER
    summary: str = ""
    description: str = ""
    venue: str = ""
    address: str = ""
    online_url: str = ""
    organizer: str = ""
    speakers: str = ""
    audience: str = Event.Audience.MEMBERS
    registration_opens_at: Any = None
    registration_closes_at: Any = None
    capacity: Any = None
    requires_approval: bool = False
    fee: Any = "0"
    max_companions: Any = 0
    questions: list[Any] = field(default_factory=list)
    quorum_rule: str = ""
    min_sessions_for_certificate: Any = 0


def _questions(raw: Any) -> list[dict[str, Any]]:
    """Custom questions (随行人员姓名, 饮食禁忌, 发票抬头 …): a list of labels or of
    ``{"label": …, "required": bool}``."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    if not isinstance(raw, list) or len(raw) > MAX_QUESTIONS:
        raise ValidationError({"questions": _("最多 %(n)d 个问题") % {"n": MAX_QUESTIONS}})
    out = []
    for i, item in enumerate(raw):
        label, required = (
            (item.get("label"), item.get("required")) if isinstance(item, dict) else (item, False)
        )
        text = str(label or "").strip()
        if text.endswith("*"):
            text, required = text.rstrip("*").strip(), True
        text = clean_text(text, field="questions", limit=40, required=_("问题不能为空"))
        out.append({"key": f"q{i + 1}", "label": text, "required": required is True})
    return out


def _clean(data: EventInput, *, current: Event | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}

    def attempt(name: str, fn: Any) -> Any:
        try:
            return fn()
        except ValidationError as exc:
            errors[name] = "；".join(exc.messages)
            return None

    values: dict[str, Any] = {
        "title": attempt(
            "title",
            lambda: clean_text(data.title, field="title", limit=100, required=_("请填写活动名称")),
        ),
        "summary": attempt("summary", lambda: clean_text(data.summary, field="summary", limit=300)),
        "description": sanitize_html(str(data.description or ""))[:50_000],
        "venue": attempt("venue", lambda: clean_text(data.venue, field="venue", limit=100)),
        "address": attempt("address", lambda: clean_text(data.address, field="address", limit=200)),
        "organizer": attempt(
            "organizer", lambda: clean_text(data.organizer, field="organizer", limit=200)
        ),
        "speakers": attempt(
            "speakers", lambda: clean_text(data.speakers, field="speakers", limit=2000)
        ),
        "starts_at": attempt("starts_at", lambda: parse_when(data.starts_at, field="starts_at")),
        "ends_at": attempt("ends_at", lambda: parse_when(data.ends_at, field="ends_at")),
        "registration_opens_at": attempt(
            "registration_opens_at",
            lambda: parse_when(data.registration_opens_at, field="x", required=False),
        ),
        "registration_closes_at": attempt(
            "registration_closes_at",
            lambda: parse_when(data.registration_closes_at, field="x", required=False),
        ),
        "capacity": attempt(
            "capacity", lambda: parse_count(data.capacity, field="capacity", allow_none=True)
        ),
        "fee": attempt("fee", lambda: parse_fee(data.fee)),
        "max_companions": attempt(
            "max_companions",
            lambda: parse_count(data.max_companions, field="max_companions", limit=20),
        ),
        "min_sessions_for_certificate": attempt(
            "min_sessions_for_certificate",
            lambda: parse_count(data.min_sessions_for_certificate, field="x", limit=500),
        ),
        "questions": attempt("questions", lambda: _questions(data.questions)),
        "requires_approval": data.requires_approval is True,
    }
    url = str(data.online_url or "").strip()
    if url and (not url.startswith(("https://", "http://")) or len(url) > 200):
        errors["online_url"] = _("请填写以 https:// 开头的链接")
    values["online_url"] = url
    for name, choices in (
        ("kind", Event.Kind.values),
        ("audience", Event.Audience.values),
        ("quorum_rule", Event.Quorum.values),
    ):
        value = str(getattr(data, name) or "")
        if value not in choices:
            errors[name] = _("请选择有效的选项")
        values[name] = value
    if values["starts_at"] and values["ends_at"] and values["ends_at"] < values["starts_at"]:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    opens, closes = values["registration_opens_at"], values["registration_closes_at"]
    if opens and closes and closes < opens:
        errors["registration_closes_at"] = _("报名截止不能早于报名开始")
    capacity = values["capacity"]
    if current is not None and capacity is not None and capacity < current.seats_taken:
        errors["capacity"] = _("已有 %(n)d 个名额被占用，总名额不能少于此数") % {
            "n": current.seats_taken
        }
    if errors:
        raise ValidationError(errors)
    return values


COVER_MAX_SIDE = 1600
COVER_HOLDER = "events.event.cover"
DOCUMENT_HOLDER = "events.eventdocument.file"


def _cover(association: Association, actor: User, upload: UploadedFile | None) -> StoredFile | None:
    """A cover picture, checked and re-encoded without metadata like every stored picture,
    and stored — not yet attached to its event (``core.storage.files``)."""
    if upload is None:
        return None
    picture = image_normalized(upload, field="cover", max_side=COVER_MAX_SIDE)
    with store_refusals("cover"):
        return picture_put(association, picture, holder=COVER_HOLDER, by=actor)


def event_create(
    *,
    association: Association,
    actor: User,
    data: EventInput,
    committee: Committee | None = None,
    cover: UploadedFile | None = None,
) -> Event:
    """A new event as a draft, with a default check-in list (主会场)."""
    values = _clean(data)
    stored = _cover(association, actor, cover)  # before the transaction: bytes take time
    with transaction.atomic():
        event = Event.objects.create(
            association=association, created_by=actor, organizing_committee=committee, **values
        )
        if stored is not None:
            file_attach(event, "cover", stored)
        CheckinList.objects.create(association=association, event=event, name=str(DEFAULT_LIST))
        bump(association.pk, EVENTS_VERSION)  # a draft starting soon is a to-do item
        audit(
            actor=actor,
            action="events.event.create",
            association=association,
            target=event,
            summary=event.title,
        )
    return event


def event_update(
    *,
    association: Association,
    actor: User,
    event: Event,
    data: EventInput,
    committee: Committee | None = None,
    cover: UploadedFile | None = None,
) -> Event:
    """Changes the details. Capacity cannot drop below the seats already taken; raising it
    promotes people from the waitlist. Registrants are told when the time or place changes.
    A new cover replaces the old one, which is kept as a version."""
    stored = None
    if cover is not None:
        _clean(data, current=event)  # a form with mistakes stores no picture
        stored = _cover(association, actor, cover)  # before the transaction
    with transaction.atomic():
        return _event_update(
            association=association,
            actor=actor,
            event=event,
            data=data,
            committee=committee,
            cover=stored,
        )


def _event_update(
    *,
    association: Association,
    actor: User,
    event: Event,
    data: EventInput,
    committee: Committee | None,
    cover: StoredFile | None,
) -> Event:
    locked = Event.objects.select_for_update().get(pk=event.pk, association=association)
    values = _clean(data, current=locked)
    changed_time_or_place = any(
        getattr(locked, name) != values[name]
        for name in ("starts_at", "ends_at", "venue", "address")
    )
    for name, value in values.items():
        setattr(locked, name, value)
    locked.organizing_committee = committee
    locked.save(update_fields=[*values, "organizing_committee", "updated_at"])
    if cover is not None:
        file_attach(locked, "cover", cover)
    bump(association.pk, EVENTS_VERSION)  # times, kind and quorum rule decide the to-do items
    audit(
        actor=actor,
        action="events.event.update",
        association=association,
        target=locked,
        summary=locked.title,
    )
    promote_waitlist(association=association, actor=actor, event=locked)
    if changed_time_or_place and locked.status == Event.Status.PUBLISHED:
        notices.event_changed(locked)
    return locked


@transaction.atomic
def event_publish(*, association: Association, actor: User, event: Event) -> Event:
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("已取消的活动不能再发布"))
    Event.objects.filter(pk=event.pk, association=association).update(status=Event.Status.PUBLISHED)
    bump(association.pk, EVENTS_VERSION)
    event.status = Event.Status.PUBLISHED
    audit(
        actor=actor,
        action="events.event.publish",
        association=association,
        target=event,
        summary=event.title,
    )
    return event


@transaction.atomic
def event_cancel(*, association: Association, actor: User, event: Event, reason: str = "") -> Event:
    """Cancels the event and tells everyone registered or waitlisted."""
    reason = clean_text(reason, field="reason", limit=200)
    if event.status == Event.Status.CANCELLED:
        return event
    Event.objects.filter(pk=event.pk, association=association).update(status=Event.Status.CANCELLED)
    bump(association.pk, EVENTS_VERSION)
    event.status = Event.Status.CANCELLED
    audit(
        actor=actor,
        action="events.event.cancel",
        association=association,
        target=event,
        summary=f"{event.title} {reason}",
    )
    notices.event_cancelled(event, reason)
    return event


@transaction.atomic
def audience_set(
    *, association: Association, actor: User, event: Event, data: AudienceInput
) -> list[AudienceRule]:
    """Replaces the chosen audience (levels, committees, council, posts, named people: the
    kinds members and org register in ``core.audience``) and sets the event's audience to
    "chosen". An id that is not the association's is refused (``<kind>_ids``)."""
    if data.is_empty():
        raise ValidationError(_("请至少选择一项参加范围"))
    rules = audience_rules_replace(
        association=association, owner_type=EVENT_TYPE, owner_id=event.pk, choices=data.choices()
    )
    Event.objects.filter(pk=event.pk).update(audience=Event.Audience.CHOSEN)
    event.audience = Event.Audience.CHOSEN
    audit(
        actor=actor,
        action="events.audience.set",
        association=association,
        target=event,
        summary=f"{len(rules)}",
    )
    return rules


def document_add(
    *,
    association: Association,
    actor: User,
    event: Event,
    upload: UploadedFile | None,
    kind: str = EventDocument.Kind.MATERIAL,
) -> EventDocument:
    """A PDF, JPG or PNG for the participants (会议材料) or attached to the minutes — uploaded,
    or a file of the document library opened as an upload (``core.library``): the same bytes
    are the same stored content, so attaching a library file takes no more space."""
    validate_document_upload(upload, field="file")
    assert upload is not None
    if kind not in EventDocument.Kind.values:
        raise ValidationError({"kind": _("请选择有效的选项")})
    name = (upload.name or "")[:200]
    upload.seek(0)
    with store_refusals("file"):
        stored = file_store(association, upload, holder=DOCUMENT_HOLDER, name=name, by=actor)
    with transaction.atomic():
        document = EventDocument.objects.create(
            association=association, event=event, kind=kind, name=name, uploaded_by=actor
        )
        file_attach(document, "file", stored)
        audit(
            actor=actor,
            action="events.document.add",
            association=association,
            target=document,
            summary=document.name,
        )
    return document


@transaction.atomic
def document_delete(*, association: Association, actor: User, document: EventDocument) -> None:
    """Removes a document from its event; its file goes to the trash (restorable until the
    retention job removes it), not at once."""
    audit(
        actor=actor,
        action="events.document.delete",
        association=association,
        target=document,
        summary=document.name,
    )
    files_discard(document)
    EventDocument.objects.filter(association=association, pk=document.pk).delete()


@transaction.atomic
def calendar_settings_update(
    *, association: Association, actor: User, publish_calendar: bool
) -> CalendarSettings:
    settings_row, _created = CalendarSettings.objects.get_or_create(association=association)
    settings_row.publish_calendar = publish_calendar is True
    settings_row.save(update_fields=["publish_calendar"])
    audit(
        actor=actor,
        action="events.calendar.publish",
        association=association,
        target=settings_row,
        summary=str(settings_row.publish_calendar),
    )
    return settings_row


@transaction.atomic
def calendar_feed_reset(*, association: Association, actor: User) -> CalendarFeed:
    """Gives the person a new calendar subscription URL; the old one stops working at once
    (a lost phone, a link shared by mistake)."""
    feed, _created = CalendarFeed.objects.update_or_create(
        association=association, user=actor, defaults={"nonce": secrets.token_hex(16)}
    )
    audit(actor=actor, action="events.calendar_feed.reset", association=association, target=feed)
    return feed
