"""An event's set-up: ticket types, the agenda (a course's lessons), check-in lists and the
door volunteers (签到员). Created, changed and deleted by the secretariat's pages and API;
every service is keyword-only, audit-logged and one transaction.

What cannot be undone is refused with a message instead: a ticket type somebody registered
with stays (lower its capacity to stop sales), a check-in list or a lesson with arrivals stays
(attendance is the record of who came), and a ticket type's capacity never drops below its
seats taken. Capacity changes lock the event row before the ticket type's, in the same order
as registrations do, so they cannot deadlock with a registration in flight."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import shanghui.events.services.notices as notices
from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.phone import normalize_mobile
from shanghui.events.models import (
    Checkin,
    CheckinList,
    CheckinStaff,
    Event,
    EventSession,
    Registration,
    TicketType,
)
from shanghui.events.services.common import (
    clean_text,
    parse_count,
    parse_fee,
    parse_required_when,
    parse_when,
)
from shanghui.events.services.registration import promote_waitlist

# --- Ticket types ------------------------------------------------------------------------


def _ticket_values(name: Any, price: Any, capacity: Any) -> dict[str, Any]:
    return {
        "name": clean_text(name, field="name", limit=40, required=_("请填写票种名称")),
        "price": parse_fee(price, field="price"),
        "capacity": parse_count(capacity, field="capacity", allow_none=True),
    }


def _name_taken(model: Any, event: Event, name: str, exclude: int | None = None) -> bool:
    qs = model.objects.filter(association_id=event.association_id, event=event, name=name)
    return bool(qs.exclude(pk=exclude).exists())


@transaction.atomic
def ticket_type_create(
    *,
    association: Association,
    actor: User,
    event: Event,
    name: str,
    price: Any = "0",
    capacity: Any = None,
) -> TicketType:
    values = _ticket_values(name, price, capacity)
    if _name_taken(TicketType, event, values["name"]):
        raise ValidationError({"name": _("已有同名票种")})
    ticket_type = TicketType.objects.create(
        association=association,
        event=event,
        sort_order=TicketType.objects.filter(association=association, event=event).count(),
        **values,
    )
    audit(
        actor=actor,
        action="events.ticket_type.create",
        association=association,
        target=ticket_type,
        summary=ticket_type.name,
    )
    return ticket_type


def _grows(old: int | None, new: int | None) -> bool:
    return old is not None and (new is None or new > old)


@transaction.atomic
def ticket_type_update(
    *,
    association: Association,
    actor: User,
    ticket_type: TicketType,
    name: str,
    price: Any = "0",
    capacity: Any = None,
) -> TicketType:
    """Renames, re-prices or resizes a ticket type. The capacity cannot drop below the seats
    already taken; raising it (or lifting the limit) promotes the waitlist, as the event's
    capacity does. A new price applies to registrations not yet marked paid."""
    event = Event.objects.select_for_update().get(pk=ticket_type.event_id, association=association)
    locked = TicketType.objects.select_for_update().get(pk=ticket_type.pk, association=association)
    values = _ticket_values(name, price, capacity)
    if _name_taken(TicketType, event, values["name"], exclude=locked.pk):
        raise ValidationError({"name": _("已有同名票种")})
    if values["capacity"] is not None and values["capacity"] < locked.seats_taken:
        raise ValidationError(
            {
                "capacity": _("该票种已有 %(n)d 个名额被占用，名额不能少于此数")
                % {"n": locked.seats_taken}
            }
        )
    before = {"name": locked.name, "price": str(locked.price), "capacity": locked.capacity}
    grows = _grows(locked.capacity, values["capacity"])
    for field_name, value in values.items():
        setattr(locked, field_name, value)
    locked.save(update_fields=list(values))
    audit(
        actor=actor,
        action="events.ticket_type.update",
        association=association,
        target=locked,
        summary=f"{event.title} {locked.name}",
        data={"before": before, "after": {**values, "price": str(values["price"])}},
    )
    if grows and promote_waitlist(association=association, actor=actor, event=event):
        locked.refresh_from_db(fields=["seats_taken"])
    return locked


@transaction.atomic
def ticket_type_delete(*, association: Association, actor: User, ticket_type: TicketType) -> None:
    """Deletes a ticket type nobody has registered with. Registrations — cancelled ones too,
    they are the event's history — keep it; the message says how to stop its sales instead."""
    # The event row first: every registration updates it before inserting, so none can slip
    # in between the count and the delete.
    Event.objects.select_for_update().get(pk=ticket_type.event_id, association=association)
    used = Registration.objects.filter(association=association, ticket_type=ticket_type).count()
    if used:
        raise ValidationError(
            _(
                "票种“%(name)s”已有 %(n)d 条报名记录（含已取消的），不能删除。"
                "如需停止该票种报名，可把它的名额改为已占用的名额数。"
            )
            % {"name": ticket_type.name, "n": used}
        )
    audit(
        actor=actor,
        action="events.ticket_type.delete",
        association=association,
        target=ticket_type,
        summary=ticket_type.name,
    )
    TicketType.objects.filter(association=association, pk=ticket_type.pk).delete()


# --- The agenda (a course's lessons) -----------------------------------------------------


def _session_values(
    title: Any, starts_at: Any, ends_at: Any, location: Any, speaker: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": clean_text(title, field="title", limit=100, required=_("请填写议程名称")),
        "starts_at": parse_required_when(starts_at, field="starts_at"),
        "ends_at": parse_when(ends_at, field="ends_at", required=False),
        "location": clean_text(location, field="location", limit=100),
        "speaker": clean_text(speaker, field="speaker", limit=100),
    }
    if values["ends_at"] is not None and values["ends_at"] < values["starts_at"]:
        raise ValidationError({"ends_at": _("结束时间不能早于开始时间")})
    return values


def _lesson_list_name(starts_at: datetime, title: str) -> str:
    """The name of a lesson's check-in list: when and what ("03-01 14:00 财务基础")."""
    return f"{timezone.localtime(starts_at):%m-%d %H:%M} {title}"[:40]


def _free_list_name(event: Event, name: str, session_id: int, exclude: int | None = None) -> str:
    if _name_taken(CheckinList, event, name, exclude=exclude):
        return f"{name[:32]} #{session_id}"
    return name


@transaction.atomic
def session_create(
    *,
    association: Association,
    actor: User,
    event: Event,
    title: str,
    starts_at: Any,
    ends_at: Any = None,
    location: str = "",
    speaker: str = "",
) -> EventSession:
    """An agenda item, or a lesson of a training course (which also gets its own check-in
    list, so attendance is counted per lesson)."""
    session = EventSession.objects.create(
        association=association,
        event=event,
        **_session_values(title, starts_at, ends_at, location, speaker),
    )
    if event.is_training:
        name = _lesson_list_name(session.starts_at, session.title)
        CheckinList.objects.create(
            association=association,
            event=event,
            name=_free_list_name(event, name, session.pk),
            session=session,
            sort_order=10
            + CheckinList.objects.filter(association=association, event=event).count(),
        )
    audit(
        actor=actor,
        action="events.session.create",
        association=association,
        target=session,
        summary=session.title,
    )
    return session


@transaction.atomic
def session_update(
    *,
    association: Association,
    actor: User,
    session: EventSession,
    title: str,
    starts_at: Any,
    ends_at: Any = None,
    location: str = "",
    speaker: str = "",
) -> EventSession:
    """Changes an agenda item. A lesson's check-in list follows its new time and title,
    unless the secretariat had renamed the list."""
    locked = EventSession.objects.select_for_update().get(pk=session.pk, association=association)
    values = _session_values(title, starts_at, ends_at, location, speaker)
    old_name = _lesson_list_name(locked.starts_at, locked.title)
    for field_name, value in values.items():
        setattr(locked, field_name, value)
    locked.save(update_fields=list(values))
    lesson_list = CheckinList.objects.filter(association=association, session=locked).first()
    if lesson_list is not None and lesson_list.name.startswith(old_name[:32]):
        name = _lesson_list_name(locked.starts_at, locked.title)
        lesson_list.name = _free_list_name(locked.event, name, locked.pk, exclude=lesson_list.pk)
        lesson_list.save(update_fields=["name"])
    audit(
        actor=actor,
        action="events.session.update",
        association=association,
        target=locked,
        summary=locked.title,
    )
    return locked


@transaction.atomic
def session_delete(*, association: Association, actor: User, session: EventSession) -> None:
    """Deletes an agenda item; a lesson goes with its check-in list, unless somebody has
    already checked in to it (the attendance would be lost)."""
    list_ids = list(
        CheckinList.objects.select_for_update()
        .filter(association=association, session=session)
        .values_list("pk", flat=True)
    )
    arrivals = Checkin.objects.filter(association=association, checkin_list_id__in=list_ids).count()
    if arrivals:
        raise ValidationError(
            _("课次“%(title)s”已有 %(n)d 条签到记录，不能删除")
            % {"title": session.title, "n": arrivals}
        )
    audit(
        actor=actor,
        action="events.session.delete",
        association=association,
        target=session,
        summary=session.title,
    )
    # The lesson's check-in list goes with it (CASCADE), empty as it is.
    EventSession.objects.filter(association=association, pk=session.pk).delete()


# --- Check-in lists ----------------------------------------------------------------------


@transaction.atomic
def checkin_list_create(
    *, association: Association, actor: User, event: Event, name: str
) -> CheckinList:
    name = clean_text(name, field="name", limit=40, required=_("请填写签到点名称"))
    try:
        with transaction.atomic():
            created = CheckinList.objects.create(
                association=association,
                event=event,
                name=name,
                sort_order=CheckinList.objects.filter(association=association, event=event).count(),
            )
    except IntegrityError as exc:
        raise ValidationError({"name": _("已有同名签到点")}) from exc
    audit(
        actor=actor,
        action="events.checkin_list.create",
        association=association,
        target=created,
        summary=name,
    )
    return created


@transaction.atomic
def checkin_list_update(
    *, association: Association, actor: User, checkin_list: CheckinList, name: str
) -> CheckinList:
    """Renames a check-in list (its arrivals stay)."""
    name = clean_text(name, field="name", limit=40, required=_("请填写签到点名称"))
    locked = CheckinList.objects.select_for_update().get(
        pk=checkin_list.pk, association=association
    )
    if _name_taken(CheckinList, locked.event, name, exclude=locked.pk):
        raise ValidationError({"name": _("已有同名签到点")})
    before = locked.name
    locked.name = name
    locked.save(update_fields=["name"])
    audit(
        actor=actor,
        action="events.checkin_list.update",
        association=association,
        target=locked,
        summary=f"{before} → {name}",
    )
    return locked


@transaction.atomic
def checkin_list_delete(
    *, association: Association, actor: User, checkin_list: CheckinList
) -> None:
    """Deletes a check-in list nobody has checked in at. A lesson's list goes with its lesson,
    and an event keeps at least one list."""
    Event.objects.select_for_update().get(pk=checkin_list.event_id, association=association)
    # Locking the list makes a check-in in flight either finish first (and be counted) or wait.
    locked = CheckinList.objects.select_for_update().get(
        pk=checkin_list.pk, association=association
    )
    arrivals = Checkin.objects.filter(association=association, checkin_list=locked).count()
    if arrivals:
        raise ValidationError(
            _("签到点“%(name)s”已有 %(n)d 条签到记录，不能删除")
            % {"name": locked.name, "n": arrivals}
        )
    if locked.session_id is not None:
        raise ValidationError(_("这是课次的签到点，删除该课次时会一并删除"))
    if CheckinList.objects.filter(association=association, event_id=locked.event_id).count() <= 1:
        raise ValidationError(_("每个活动至少保留一个签到点"))
    audit(
        actor=actor,
        action="events.checkin_list.delete",
        association=association,
        target=locked,
        summary=locked.name,
    )
    CheckinList.objects.filter(association=association, pk=locked.pk).delete()


# --- Door volunteers (签到员) -------------------------------------------------------------


@transaction.atomic
def checkin_staff_add(
    *, association: Association, actor: User, event: Event, phone: str
) -> CheckinStaff:
    """Makes the person with this mobile number — who must have an account in the
    association (any role) — a 签到员 of this event, and tells them in-app. Idempotent."""
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    role = (
        Role.objects.filter(
            association=association, is_active=True, user__phone=phone, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if role is None:
        raise ValidationError(
            {"phone": _("该手机号尚未开通本会账号，请先在“人员与角色”中邀请其加入")}
        )
    staff, created = CheckinStaff.objects.get_or_create(
        association=association, event=event, user=role.user, defaults={"added_by": actor}
    )
    if created:
        audit(
            actor=actor,
            action="events.checkin_staff.add",
            association=association,
            target=staff,
            summary=f"{event.title} {role.user.name or phone}",
        )
        notices.checkin_staff_assigned(staff)
    return staff


@transaction.atomic
def checkin_staff_remove(*, association: Association, actor: User, staff: CheckinStaff) -> None:
    """Withdraws a 签到员: their check-ins so far stay."""
    audit(
        actor=actor,
        action="events.checkin_staff.remove",
        association=association,
        target=staff,
        summary=f"{staff.event.title} {staff.user.name or staff.user.phone}",
    )
    CheckinStaff.objects.filter(association=association, pk=staff.pk).delete()
