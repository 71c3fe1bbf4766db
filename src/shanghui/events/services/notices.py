"""What registrants are told, through ``core.notifications.notify`` (SMS, and email where the
person has an address), as the message kinds of ``events.messages``. Messages are written to
the association's delivery log in the transaction and sent by a worker after it commits, so a
rolled-back registration never sends a confirmation; those to every registrant of an event (a
change, a cancellation) are written in one insert (``notify_each``).

Every link in a message opens for the person it is sent to: someone with an account and a
role in the association gets the member page of the event; a guest, someone the secretariat
registered, or someone whose account has no role here gets a signed link (``tickets.pass_key``,
``tickets.invitation_key``) to a page that needs no account — the event need not be public."""

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.inbox import inbox_mark_read, inbox_post_many
from shanghui.core.notifications import MESSAGES_QUEUE, Recipient, notify, notify_each
from shanghui.core.tenancy import tenant_context
from shanghui.events import messages, tickets
from shanghui.events.models import (
    ACTIVE_STATUSES,
    EVENT_TYPE,
    CheckinStaff,
    Event,
    Registration,
)


def event_url(event: Event, *, public: bool = False) -> str:
    name = "events:public_event" if public else "events:event"
    path = reverse(name, kwargs={"association_slug": event.association.slug, "event_id": event.pk})
    return f"{settings.SITE_URL}{path}"


def pass_url(registration: Registration) -> str:
    """The registration's own page, without an account (``events:pass``)."""
    path = reverse(
        "events:pass",
        kwargs={
            "association_slug": registration.event.association.slug,
            "key": tickets.pass_key(registration.token),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invited_url(event: Event) -> str:
    """The event for an invitee without an account (``events:invited``)."""
    key = tickets.invitation_key(event.association_id, event.pk)
    path = reverse(
        "events:invited",
        kwargs={"association_slug": event.association.slug, "event_id": event.pk, "key": key},
    )
    return f"{settings.SITE_URL}{path}"


def _with_role(association_id: int, user_ids: Iterable[int | None]) -> set[int]:
    """Which of these accounts hold a role in the association: they can open member pages."""
    ids = {i for i in user_ids if i}
    if not ids:
        return set()
    return set(
        Role.objects.filter(
            association_id=association_id, user_id__in=ids, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _when(event: Event) -> str:
    return f"{timezone.localtime(event.starts_at):%Y-%m-%d %H:%M}"


def _recipient(registration: Registration) -> Recipient:
    """A registrant; with an account, also their inbox (the 活动 tab's badge)."""
    email = registration.person.email if registration.person_id and registration.person else ""
    return Recipient(phone=registration.phone, email=email, user_id=registration.user_id)


def _send(registration: Registration, kind: str, params: dict[str, str]) -> None:
    notify(
        association=registration.event.association,
        kind=kind,
        to=_recipient(registration),
        params=params,
        target_type=EVENT_TYPE,
        target_id=registration.event_id,
    )


def _link(registration: Registration, with_role: set[int] | None = None) -> str:
    """The member page for a registrant who signs in there (it shows their registration, the
    one made with their account); the signed page of the registration for everyone else."""
    if with_role is None:
        with_role = _with_role(registration.association_id, [registration.user_id])
    if registration.user_id in with_role:
        return event_url(registration.event)
    return pass_url(registration)


def registration_received(registration: Registration, with_role: set[int] | None = None) -> None:
    """``with_role``: the registrant's account when the caller knows it holds a role here."""
    if registration.status == Registration.Status.CONFIRMED:
        kind = messages.CONFIRMED
    elif registration.status == Registration.Status.PENDING:
        kind = messages.PENDING
    else:
        kind = messages.WAITLISTED
    _send(registration, kind, _values(registration, with_role))


def registration_received_later(registration: Registration, *, has_role: bool) -> None:
    """``registration_received``, written by a worker: one task row in the registration's
    transaction instead of its inbox row, outbox row and delivery task (a registration's
    request is the platform's busiest write). The task carries only ids, the status the
    registration was made with, whether the account holds a role here and the request's
    language — no personal data — and a rolled-back registration leaves no task behind."""
    send_registration_received.enqueue(
        association_id=registration.association_id,
        registration_id=registration.pk,
        status=registration.status,
        has_role=has_role,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


@task(queue_name=MESSAGES_QUEUE, priority=10)
def send_registration_received(
    *,
    association_id: int,
    registration_id: int,
    status: str,
    has_role: bool,
    language: str = settings.LANGUAGE_CODE,
) -> None:
    """Tells the registrant what ``registration_received_later`` queued, through ``notify`` —
    the inbox, the outbox and the delivery task, in one transaction of the association's.
    Only while the registration still has the status it was made with: a later change
    (promotion, approval, cancellation) sent its own message, which this one must not
    follow."""
    association = Association.objects.get(pk=association_id)
    # In the language the registration was made in, as when the request wrote the message.
    with translation.override(language), tenant_context(association), transaction.atomic():
        registration = (
            Registration.objects.select_related("event", "person")
            .filter(association=association, pk=registration_id)
            .first()
        )
        if registration is None or registration.status != status:
            # Gone since, or moved on (promoted, approved, cancelled) before the worker came
            # to it: that change sent its own message, and this one would arrive after it.
            return
        registration.event.association = association
        user_id = registration.user_id
        registration_received(registration, with_role={user_id} if has_role and user_id else None)


def _values(registration: Registration, with_role: set[int] | None = None) -> dict[str, str]:
    event = registration.event
    return {
        "title": event.title,
        "when": _when(event),
        "venue": str(event.venue or event.address or _("线上")),
        "code": tickets.display_code(registration.code),
        "url": _link(registration, with_role),
    }


def promoted(registration: Registration) -> None:
    pending = registration.status == Registration.Status.PENDING
    kind = messages.PROMOTED_PENDING if pending else messages.PROMOTED
    _send(registration, kind, _values(registration))


def approved(registration: Registration) -> None:
    _send(registration, messages.APPROVED, _values(registration))


def rejected(registration: Registration) -> None:
    _send(registration, messages.REJECTED, _values(registration))


def cancelled(registration: Registration) -> None:
    _send(registration, messages.REGISTRATION_CANCELLED, _values(registration))


def _to_registrants(event: Event, kind: str, extra: dict[str, str] | None = None) -> None:
    """Everyone registered: their inbox messages and log rows in one insert each, their
    messages from a worker."""
    registrations = Registration.objects.filter(
        association_id=event.association_id, event=event, status__in=ACTIVE_STATUSES
    ).select_related("event__association", "person")
    with_role = _with_role(event.association_id, registrations.values_list("user_id", flat=True))
    notify_each(
        association=event.association,
        kind=kind,
        messages=[
            (_recipient(registration), {**_values(registration, with_role), **(extra or {})})
            for registration in registrations
        ],
        target_type=EVENT_TYPE,
        target_id=event.pk,
    )


def event_changed(event: Event) -> None:
    _to_registrants(event, messages.CHANGED)


def event_cancelled(event: Event, reason: str) -> None:
    _to_registrants(event, messages.CANCELLED, {"reason": reason})


def reminder(registration: Registration) -> None:
    _send(registration, messages.REMINDER, _values(registration))


def invitation(event: Event, recipients: Iterable[tuple[str, str, int | None]]) -> int:
    """Invites the audience ((phone, email, user id) triples); answers how many were sent.
    Those who sign in here get the member page of the event (and the message in their inbox),
    the others its signed page."""
    values = {
        "title": event.title,
        "when": _when(event),
        "venue": str(event.venue or event.address or _("线上")),
    }
    member = {**values, "prompt": str(_("报名请点击")), "url": event_url(event)}
    guest = {**values, "prompt": str(_("详情")), "url": invited_url(event)}
    recipients = list(recipients)
    # In their association's scope: a worker sees no tenant row outside one.
    with tenant_context(event.association):
        with_role = _with_role(event.association_id, [user_id for _p, _e, user_id in recipients])
        notify_each(
            association=event.association,
            kind=messages.INVITATION,
            messages=[
                (
                    Recipient(
                        phone=phone,
                        email=email,
                        # Their preferences always; in the inbox of those who sign in here
                        # only (the others could not open it).
                        user_id=user_id,
                        inbox=user_id in with_role,
                    ),
                    member if user_id in with_role else guest,
                )
                for phone, email, user_id in recipients
            ],
            target_type=EVENT_TYPE,
            target_id=event.pk,
        )
    return len(recipients)


def guest_code(association: Association, phone: str, code: str) -> None:
    notify(
        association=association,
        kind=messages.GUEST_CODE,
        to=Recipient(phone=phone),
        params={"code": code},
    )


def checkin_staff_assigned(staff: CheckinStaff) -> None:
    """In-app only: the volunteer finds the check-in page through the event list."""
    event = staff.event
    text = _(
        "秘书处已将您设为“%(title)s”（%(when)s）的签到员。活动当天在“活动”页点"
        "“现场签到”，即可扫码为参会人员签到。"
    ) % {"title": event.title, "when": _when(event)}
    inbox_post_many(
        association=event.association,
        items=[
            {
                "user_id": staff.user_id,
                "kind": messages.CHECKIN_STAFF,
                "subject": _("签到员"),
                "text": text,
                "target_type": EVENT_TYPE,
                "target_id": event.pk,
            }
        ],
    )


def notices_mark_read(
    *, association: Association, actor: User, ids: Iterable[int] | None = None
) -> int:
    """Marks the person's own unread inbox messages as read (``core.inbox.inbox_mark_read``):
    all of them, or those of ``ids``; answers how many changed."""
    return inbox_mark_read(association=association, actor=actor, ids=ids, module="events")
