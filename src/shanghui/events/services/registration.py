"""Registering, the waitlist, cancelling, approval — and the one place seats are counted.

Seats are claimed with a conditional UPDATE (``seats_taken + n <= capacity``) on the event
row (and the ticket type's), inside the same transaction as the registration insert; never
"count, then insert". On PostgreSQL a concurrent UPDATE waits for the row and re-checks the
condition; on SQLite the IMMEDIATE transaction serialises writers. A second active
registration of the same person (phone or account) is refused by a partial unique
constraint; the service then answers with the registration that already exists.

A registration's fee is in ``fees``, a guest's phone code in ``guests``."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

import shanghui.events.services.notices as notices
from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.phone import normalize_mobile
from shanghui.events import selectors, tickets
from shanghui.events.models import (
    ACTIVE_STATUSES,
    SEATED_STATUSES,
    Event,
    Registration,
    TicketType,
)
from shanghui.events.services.common import clean_text
from shanghui.events.todos import REGISTRATIONS_VERSION
from shanghui.members.models import Person

PROMOTE_BATCH = 50


@dataclass(frozen=True)
class Registrant:
    """Who is registering: a signed-in member (``user``, ``person``, ``member_id`` known) or a
    guest (name and phone only)."""

    name: str
    phone: str
    company: str = ""
    user: User | None = None
    person: Person | None = None
    member_id: int | None = None
    # The account holds an active role here (the door found it): its messages link the member
    # page without asking the database again.
    has_role: bool = False


def registrant_for_user(
    *, association: Association, user: User, role: Role | None = None
) -> Registrant:
    """The signed-in person as the association knows them: their person record and the
    member enterprise they represent, if any (one query). ``role`` is the caller's role as the
    tenant door found it."""
    record = selectors.person_record(association=association, user=user)
    person = record.person
    return Registrant(
        name=(person.name if person else "") or user.name or user.phone or "",
        phone=(person.phone if person and person.phone else user.phone) or "",
        company=record.member_name,
        user=user,
        person=person,
        member_id=record.member_id,
        has_role=role is not None and role.user_id == user.pk and user.is_active,
    )


def _claim_event_sql(untyped: bool) -> str:
    # Only the models' own table names are put in; every value is a parameter.
    event, types = Event._meta.db_table, TicketType._meta.db_table
    sql = (
        f'UPDATE "{event}" SET "seats_taken" = "seats_taken" + %s '  # noqa: S608
        'WHERE "id" = %s AND "association_id" = %s '
        'AND ("capacity" IS NULL OR "seats_taken" <= "capacity" - %s)'
    )
    if untyped:
        sql += (
            f' AND NOT EXISTS (SELECT 1 FROM "{types}" t WHERE t."association_id" = %s'  # noqa: S608
            ' AND t."event_id" = %s)'
        )
    return sql


# The event's conditional UPDATE as SQL written once: the ORM took ~0.5 ms of CPU to build it
# per registration (twice that with the ticket-type subquery), more than the statement costs.
CLAIM_EVENT = {untyped: _claim_event_sql(untyped) for untyped in (False, True)}


def _claim(
    event: Event, ticket_type: TicketType | None, seats: int, *, untyped: bool = False
) -> bool:
    """Takes ``seats`` from the event and the ticket type, or nothing at all. The event row
    is always locked before the ticket type's (here, in cancellations and in promotions), so
    concurrent registrations and cancellations cannot deadlock. ``untyped``: the event must
    have no ticket types (checked in the same UPDATE, not by a query of its own)."""
    params: list[int] = [seats, event.pk, event.association_id, seats]
    if untyped:
        params += [event.association_id, event.pk]
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_EVENT[untyped], params)
        if cursor.rowcount != 1:
            return False
    if ticket_type is None:
        return True
    fits = Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - seats)
    types = TicketType.objects.filter(pk=ticket_type.pk, association_id=event.association_id)
    if types.filter(fits).update(seats_taken=F("seats_taken") + seats):
        return True
    Event.objects.filter(pk=event.pk, association_id=event.association_id).update(
        seats_taken=F("seats_taken") - seats
    )
    return False


def _answers(event: Event, answers: dict[str, Any] | None) -> dict[str, str]:
    answers = answers if isinstance(answers, dict) else {}
    out: dict[str, str] = {}
    for question in event.questions or []:
        key = str(question.get("key", ""))
        value = clean_text(answers.get(key, ""), field=f"answers.{key}", limit=200)
        if question.get("required") and not value:
            raise ValidationError(
                {f"answers.{key}": _("请填写：%(label)s") % {"label": question.get("label", "")}}
            )
        out[key] = value
    return out


def _existing(event: Event, registrant: Registrant) -> Registration | None:
    match = Q(phone=registrant.phone)
    if registrant.user is not None:
        match |= Q(user=registrant.user)
    return Registration.objects.filter(
        match, association_id=event.association_id, event=event, status__in=ACTIVE_STATUSES
    ).first()


@dataclass(frozen=True)
class Registered:
    registration: Registration
    created: bool


def registration_create(
    *,
    association: Association,
    actor: User | None,
    event: Event,
    registrant: Registrant,
    companions: Any = 0,
    answers: dict[str, Any] | None = None,
    ticket_type: TicketType | None = None,
    by_staff: bool = False,
    created: Callable[[Registration], None] | None = None,
) -> Registered:
    """Registers one person (plus companions, who count against capacity). Confirmed when a
    seat is free (pending when the event needs approval — the seat is held meanwhile),
    waitlisted otherwise. Members check the audience and the registration window; the
    secretariat (``by_staff``) may register anyone while the event is not cancelled.
    Registering again returns the existing registration (``created`` False).

    ``created`` runs with a new registration inside its transaction (the API records its
    Idempotency-Key there): one savepoint for both, and an IntegrityError it raises rolls the
    registration back too and is raised again (it is not about a registration that exists)."""
    if event.status == Event.Status.CANCELLED or (
        event.status != Event.Status.PUBLISHED and not by_staff
    ):
        raise ValidationError(_("该活动当前不接受报名"))
    if not by_staff and selectors.has_started(event):
        raise ValidationError(_("活动已开始，报名已截止"))
    if not by_staff and not selectors.registration_open(event):
        raise ValidationError(_("不在报名时间内"))
    try:
        phone = normalize_mobile(registrant.phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    name = clean_text(registrant.name, field="name", limit=50, required=_("请填写姓名"))
    company = clean_text(registrant.company, field="company", limit=100)
    registrant = Registrant(
        name,
        phone,
        company,
        registrant.user,
        registrant.person,
        registrant.member_id,
        registrant.has_role,
    )
    try:
        count = int(companions or 0)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"companions": _("请填写随行人数")}) from exc
    if not 0 <= count <= event.max_companions:
        raise ValidationError(
            {"companions": _("随行人数最多 %(n)d 人") % {"n": event.max_companions}}
        )
    if ticket_type is not None and ticket_type.event_id != event.pk:
        raise ValidationError({"ticket_type_id": _("未找到该票种")})
    clean_answers = _answers(event, answers)
    try:
        registration = _insert(
            association, actor, event, registrant, count, clean_answers, ticket_type, created
        )
    except IntegrityError:
        # Already registered (the partial unique constraints on phone and account, not a
        # lookup before every insert), or a concurrent request registered them first: the
        # savepoint gave the seats back; answer with the registration that exists.
        existing = _existing(event, registrant)
        if existing is None:
            raise
        return Registered(existing, False)
    return Registered(registration, True)


@transaction.atomic
def _insert(
    association: Association,
    actor: User | None,
    event: Event,
    registrant: Registrant,
    companions: int,
    answers: dict[str, str],
    ticket_type: TicketType | None,
    created: Callable[[Registration], None] | None,
) -> Registration:
    seats = 1 + companions
    if _claim(event, ticket_type, seats, untyped=ticket_type is None):
        status = Registration.Status.PENDING if event.requires_approval else "confirmed"
    elif (
        ticket_type is None
        and TicketType.objects.filter(association=association, event=event).exists()
    ):
        # Not full (or not only): the event has ticket types and none was chosen. Asked only
        # when the claim failed, so a registration that gets its seat asks nothing more.
        raise ValidationError({"ticket_type_id": _("请选择票种")})
    else:
        status, seats = Registration.Status.WAITLISTED, 0
    registration = Registration.objects.create(
        association=association,
        event=event,
        ticket_type=ticket_type,
        user=registrant.user,
        person=registrant.person,
        member_id=registrant.member_id,
        name=registrant.name,
        phone=registrant.phone,
        company=registrant.company,
        companions=companions,
        answers=answers,
        status=status,
        seats=seats,
        code=tickets.new_code(),
        token=tickets.new_token(),
    )
    if status == Registration.Status.PENDING:  # 报名待审核 on the to-do list
        bump(association.pk, REGISTRATIONS_VERSION)
    audit(
        actor=actor,
        action="events.registration.create",
        association=association,
        target=registration,
        summary=f"{event.title} {registrant.name} {status}",
    )
    # Queued for a worker in this transaction: nothing is sent, nor written to the inbox,
    # before the registration commits, and nothing if it rolls back.
    notices.registration_received_later(
        registration, has_role=registrant.has_role and registrant.user is not None
    )
    if created is not None:
        created(registration)
    return registration


def seats_release(
    *, association: Association, event: Event, ticket_type_id: int | None, seats: int
) -> None:
    """Gives ``seats`` back to the event and its ticket type: ``_claim``'s counterpart, so
    seats are taken and returned in this one module. Runs in the caller's transaction."""
    if seats <= 0:
        return
    Event.objects.filter(pk=event.pk, association=association).update(
        seats_taken=F("seats_taken") - seats
    )
    if ticket_type_id is not None:
        TicketType.objects.filter(pk=ticket_type_id, association=association).update(
            seats_taken=F("seats_taken") - seats
        )


def _event_has_room(event: Event, seats: int) -> bool:
    capacity, taken = (
        Event.objects.filter(pk=event.pk, association_id=event.association_id)
        .values_list("capacity", "seats_taken")
        .get()
    )
    return capacity is None or taken + seats <= capacity


def promote_waitlist(
    *, association: Association, actor: User | None, event: Event
) -> list[Registration]:
    """Moves waitlisted people up, in order of registration, while their seats fit; each is
    told. Someone waiting for a ticket type that is still full is passed over (their type's
    seats are a separate pool); when the event itself is full, promotion stops. Runs inside
    the caller's transaction (a cancellation, a larger capacity). Nobody moves up once the
    event has started: a seat freed then is no seat anyone can still take, and a message
    saying otherwise would send them to an event that is over."""
    promoted: list[Registration] = []
    if event.status == Event.Status.CANCELLED or selectors.has_started(event):
        return promoted
    waiting = (
        Registration.objects.select_for_update(of=("self",))
        .filter(association=association, event=event, status=Registration.Status.WAITLISTED)
        .select_related("ticket_type", "person")
        .order_by("created_at", "id")[:PROMOTE_BATCH]
    )
    for registration in waiting:
        registration.event = event  # the notice reads it; the locked row is the one to use
        ticket_type = registration.ticket_type
        seats = 1 + registration.companions
        if not _claim(event, ticket_type, seats):
            if ticket_type is not None and _event_has_room(event, seats):
                continue
            break
        registration.status = (
            Registration.Status.PENDING
            if event.requires_approval
            else Registration.Status.CONFIRMED
        )
        registration.seats = seats
        registration.save(update_fields=["status", "seats", "updated_at"])
        if registration.status == Registration.Status.PENDING:  # 报名待审核 on the to-do list
            bump(association.pk, REGISTRATIONS_VERSION)
        audit(
            actor=actor,
            action="events.registration.promote",
            association=association,
            target=registration,
            summary=f"{event.title} {registration.name}",
        )
        notices.promoted(registration)
        promoted.append(registration)
    return promoted


def _set_status(
    association: Association,
    actor: User | None,
    registration: Registration,
    status: str,
    allowed: tuple[str, ...],
    refusal: str,
) -> Registration:
    locked = (
        Registration.objects.select_for_update()
        .select_related("event")
        .get(pk=registration.pk, association=association)
    )
    if locked.status not in allowed:
        raise ValidationError(refusal)
    was_pending = locked.status == Registration.Status.PENDING
    held = locked.seats if locked.status in SEATED_STATUSES else 0
    locked.status = status
    if status not in SEATED_STATUSES:
        locked.seats = 0
    locked.save(update_fields=["status", "seats", "updated_at"])
    audit(
        actor=actor,
        action=f"events.registration.{status}",
        association=association,
        target=locked,
        summary=f"{locked.event.title} {locked.name}",
    )
    if held and status not in SEATED_STATUSES:
        event = Event.objects.select_for_update().get(pk=locked.event_id)
        seats_release(
            association=association, event=event, ticket_type_id=locked.ticket_type_id, seats=held
        )
        promote_waitlist(association=association, actor=actor, event=event)
    # 报名待审核 on the to-do list. After the event's row: every writer locks the event first.
    if was_pending or status == Registration.Status.PENDING:
        bump(association.pk, REGISTRATIONS_VERSION)
    return locked


@transaction.atomic
def registration_cancel(
    *,
    association: Association,
    actor: User | None,
    registration: Registration,
    by_staff: bool = False,
) -> Registration:
    """The person (or the secretariat, ``by_staff``) cancels: the seats are freed and the
    next people on the waitlist are promoted and notified, in the same transaction. From the
    event's start only the secretariat may still cancel (correcting the list), and nobody is
    promoted then."""
    if not by_staff:
        starts_at = (
            Event.objects.filter(pk=registration.event_id, association=association)
            .values_list("starts_at", flat=True)
            .get()
        )
        if timezone.now() >= starts_at:
            raise ValidationError(_("活动已开始，不能再取消报名"))
    cancelled = _set_status(
        association,
        actor,
        registration,
        Registration.Status.CANCELLED,
        ACTIVE_STATUSES,
        _("该报名已取消"),
    )
    notices.cancelled(cancelled)
    return cancelled


@transaction.atomic
def registration_approve(
    *, association: Association, actor: User, registration: Registration
) -> Registration:
    approved = _set_status(
        association,
        actor,
        registration,
        Registration.Status.CONFIRMED,
        (Registration.Status.PENDING,),
        _("只能审核待审核的报名"),
    )
    notices.approved(approved)
    return approved


@transaction.atomic
def registration_reject(
    *, association: Association, actor: User, registration: Registration
) -> Registration:
    rejected = _set_status(
        association,
        actor,
        registration,
        Registration.Status.REJECTED,
        (Registration.Status.PENDING, Registration.Status.WAITLISTED),
        _("只能审核待审核或候补中的报名"),
    )
    notices.rejected(rejected)
    return rejected
