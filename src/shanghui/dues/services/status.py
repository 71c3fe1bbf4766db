"""A member's status following what they owe, and the reminders."""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.money import format_cny
from shanghui.core.notifications import Recipient, notify_each
from shanghui.dues.messages import REMINDER
from shanghui.dues.models import DuesBill
from shanghui.dues.services.common import (
    REMINDER_INTERVAL,
    Scope,
    chunks,
    dues_policy,
)
from shanghui.members.models import Member, Representative
from shanghui.members.services.members import member_set_status


def _overdue_bills(association: Association, today: date, grace_days: int) -> Q:
    cutoff = today - timedelta(days=grace_days)
    return Q(association=association, status=DuesBill.Status.OPEN, due_on__lt=cutoff)


def _arrears_reason(bill: DuesBill, grace_days: int) -> str:
    return _(
        "会费逾期未缴：%(year)d 年度会费尚欠 %(owed)s，应缴日期 %(due)s，已逾期超过 %(days)d 天"
    ) % {
        "year": bill.year,
        "owed": format_cny(bill.amount - bill.paid_amount),
        "due": bill.due_on.isoformat(),
        "days": grace_days,
    }


def member_dues_status_sync(
    *, association: Association, actor: User | None, member: Member, today: date | None = None
) -> Member:
    """Puts a member in good standing (正常) who has a bill overdue by more than the policy's
    grace period into 欠费, and restores a member in 欠费 to 正常 once nothing is overdue —
    each step with a dated, reasoned history row. Other statuses are left alone."""
    today = today or timezone.localdate()
    grace = dues_policy(association).arrears_after_days
    member.refresh_from_db(fields=["status"])
    overdue = (
        DuesBill.objects.filter(_overdue_bills(association, today, grace), member=member)
        .order_by("due_on", "year")
        .first()
    )
    if overdue is not None and member.status == Member.Status.ACTIVE:
        return member_set_status(
            association=association,
            actor=actor,
            member=member,
            status=Member.Status.IN_ARREARS,
            reason=_arrears_reason(overdue, grace),
            effective_on=today,
        )
    # Only members whose dues this module manages: a member without bills who is in
    # arrears was put there by hand, for a reason recorded elsewhere.
    if (
        overdue is None
        and member.status == Member.Status.IN_ARREARS
        and DuesBill.objects.filter(association=association, member=member).exists()
    ):
        return member_set_status(
            association=association,
            actor=actor,
            member=member,
            status=Member.Status.ACTIVE,
            reason=_("会费已缴清或已减免，恢复正常"),
            effective_on=today,
        )
    return member


@dataclass(frozen=True)
class StatusSyncResult:
    to_arrears: int
    restored: int


def members_dues_status_sync(
    *,
    association: Association,
    actor: User | None = None,
    today: date | None = None,
    scope: Scope = nullcontext,
) -> StatusSyncResult:
    """The daily pass of ``member_dues_status_sync`` over every member whose status may have to
    change: members in good standing with a bill overdue beyond the grace period, and members in
    arrears who no longer have one. Each member is changed in its own transaction."""
    today = today or timezone.localdate()
    with scope():
        grace = dues_policy(association).arrears_after_days
        overdue_members = DuesBill.objects.filter(_overdue_bills(association, today, grace)).values(
            "member_id"
        )
        billed = DuesBill.objects.filter(association=association).values("member_id")
        to_arrears = list(
            Member.objects.filter(
                association=association, status=Member.Status.ACTIVE, id__in=overdue_members
            ).values_list("id", flat=True)
        )
        to_restore = list(
            Member.objects.filter(
                association=association, status=Member.Status.IN_ARREARS, id__in=billed
            )
            .exclude(id__in=overdue_members)
            .values_list("id", flat=True)
        )
    changed = {"arrears": 0, "active": 0}
    for member_id in to_arrears + to_restore:
        with scope(), transaction.atomic():
            member = Member.objects.get(association=association, pk=member_id)
            before = member.status
            after = member_dues_status_sync(
                association=association, actor=actor, member=member, today=today
            ).status
            if after != before:
                changed[after] = changed.get(after, 0) + 1
    return StatusSyncResult(changed["arrears"], changed["active"])


# --- Reminders --------------------------------------------------------------------------


def _reminder_params(association: Association, bill: DuesBill) -> dict[str, str]:
    """The params of a ``dues.reminder`` message (``dues.messages``)."""
    return {
        "association": association.short_name or association.name,
        "member": bill.member.name,
        "year": str(bill.year),
        "owed": format_cny(bill.amount - bill.paid_amount),
        "due": bill.due_on.isoformat(),
    }


MAX_ID = 2**63  # ids beyond a database integer name no bill


def _reminder_due(now: datetime) -> Q:
    return Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL)


@dataclass(frozen=True)
class ReminderResult:
    """What a reminder run did, bill by bill (ids)."""

    reminded: list[int] = field(default_factory=list)
    # Skipped: reminded within the last seven days (or being reminded by a concurrent run).
    recent: list[int] = field(default_factory=list)
    # Skipped: the member has no representative or contact with a phone number or email.
    no_contact: list[int] = field(default_factory=list)
    # Skipped: not an open bill of this association past its due date (paid meanwhile,
    # waived, not yet due, or no such bill).
    not_overdue: list[int] = field(default_factory=list)


def _contacts(association: Association, member_ids: list[int]) -> dict[int, list[Recipient]]:
    """Each member's representatives and contacts that can be reached, without repeats (with
    their account, for their inbox)."""
    people: dict[int, list[Recipient]] = {}
    for rep in Representative.objects.filter(
        association=association, member_id__in=member_ids
    ).select_related("person"):
        person = rep.person
        if not (person.phone or person.email):
            continue
        known = people.setdefault(rep.member_id, [])
        if any((r.phone, r.email) == (person.phone, person.email) for r in known):
            continue
        known.append(Recipient(phone=person.phone, email=person.email, user_id=person.user_id))
    return people


def _remind_chunk(
    association: Association, actor: User | None, ids: list[int], now: datetime
) -> tuple[list[int], list[int]]:
    """Claims and reminds the bills ``ids`` that are still due a reminder, in one transaction
    with their messages: (reminded, no contact). Rows another run holds are skipped."""
    bills = list(
        DuesBill.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("member")
        .filter(association=association, pk__in=ids, status=DuesBill.Status.OPEN)
        .filter(_reminder_due(now))
        .order_by("id")
    )
    people = _contacts(association, [bill.member_id for bill in bills])
    reached = [bill for bill in bills if people.get(bill.member_id)]
    if not reached:
        return [], [bill.pk for bill in bills]
    DuesBill.objects.filter(association=association, pk__in=[b.pk for b in reached]).update(
        last_reminded_at=now
    )
    notify_each(
        association=association,
        kind=REMINDER,
        messages=[
            (recipient, params)
            for bill in reached
            for params in [_reminder_params(association, bill)]
            for recipient in people[bill.member_id]
        ],
    )
    audit(
        actor=actor,
        action="dues.reminders",
        association=association,
        target=reached[0] if len(reached) == 1 else None,
        summary=_("已发送 %(n)d 张账单的催缴提醒") % {"n": len(reached)},
        data={"bills": [bill.pk for bill in reached]},
    )
    return [b.pk for b in reached], [b.pk for b in bills if not people.get(b.member_id)]


def bills_remind(
    *,
    association: Association,
    actor: User | None,
    bill_ids: Iterable[int] | None = None,
    today: date | None = None,
    now: datetime | None = None,
    scope: Scope = nullcontext,
) -> ReminderResult:
    """Reminds (催缴) the representatives and contacts of the members owing ``bill_ids`` — or,
    with None, every open bill past its due date — by SMS, WeChat and email through the
    outbox (``notify_many``; a worker sends them). One rule for the daily command and the
    secretariat's 催缴 on the arrears list, page and API alike: a bill is reminded only while
    it is open and past its due date, and at most once every seven days; it is claimed (its
    ``last_reminded_at`` set, rows locked and skipped by a concurrent run) in the transaction
    that queues its messages, so two runs never remind twice and a failure sends nothing.
    Bills whose member nobody can be reached for are left unclaimed. Audit-logged per batch
    of 500 bills (``actor`` None for the scheduler)."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    asked = None if bill_ids is None else sorted({i for i in bill_ids if 0 < i < MAX_ID})
    result = ReminderResult()
    for chunk in [None] if asked is None else chunks(asked, 500):
        with scope():
            overdue = DuesBill.objects.filter(
                association=association, status=DuesBill.Status.OPEN, due_on__lt=today
            )
            if chunk is not None:
                overdue = overdue.filter(pk__in=chunk)
            rows = dict(overdue.order_by("id").values_list("id", "last_reminded_at"))
        due = [pk for pk, at in rows.items() if at is None or at <= now - REMINDER_INTERVAL]
        result.not_overdue.extend(pk for pk in chunk or [] if pk not in rows)
        for part in chunks(due, 500):
            with scope(), transaction.atomic():
                reminded, unreachable = _remind_chunk(association, actor, part, now)
            result.reminded.extend(reminded)
            result.no_contact.extend(unreachable)
        done = set(result.reminded) | set(result.no_contact)
        result.recent.extend(pk for pk in rows if pk not in done)
    return result


def reminders_send(
    *,
    association: Association,
    today: date | None = None,
    now: datetime | None = None,
    scope: Scope = nullcontext,
) -> int:
    """The daily pass (``manage.py send_dues_reminders``): ``bills_remind`` for every open
    bill past its due date, by no one. Returns the number of bills reminded."""
    result = bills_remind(association=association, actor=None, today=today, now=now, scope=scope)
    return len(result.reminded)
