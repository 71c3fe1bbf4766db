"""A member's status following what they owe, and the reminders."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.money import format_cny
from shanghui.core.notifications import notify
from shanghui.dues.models import DuesBill
from shanghui.dues.services.common import (
    REMINDER_INTERVAL,
    Scope,
    chunks,
    dues_policy,
)
from shanghui.members.models import Member, Representative
from shanghui.members.services import member_set_status


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


def _reminder_text(association: Association, bill: DuesBill) -> str:
    return _(
        "%(association)s提醒：%(member)s %(year)d 年度会费尚欠 %(owed)s（应缴日期 %(due)s）。"
        "如已缴纳请忽略；如有疑问请联系秘书处。"
    ) % {
        "association": association.short_name or association.name,
        "member": bill.member.name,
        "year": bill.year,
        "owed": format_cny(bill.amount - bill.paid_amount),
        "due": bill.due_on.isoformat(),
    }


def _reminder_due(now: datetime) -> Q:
    return Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - REMINDER_INTERVAL)


def reminders_send(
    *,
    association: Association,
    today: date | None = None,
    now: datetime | None = None,
    scope: Scope = nullcontext,
) -> int:
    """Reminds the representatives and contacts of every member with an open bill past its
    due date — at most once every seven days per bill. A bill is claimed (its
    ``last_reminded_at`` set, rows locked and skipped by a concurrent run) before anything is
    sent, so two runs never remind twice. Returns the number of bills reminded."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    with scope():
        ids = list(
            DuesBill.objects.filter(
                association=association, status=DuesBill.Status.OPEN, due_on__lt=today
            )
            .filter(_reminder_due(now))
            .order_by("id")
            .values_list("id", flat=True)
        )
    reminded = 0
    for chunk in chunks(ids, 500):
        with scope(), transaction.atomic():
            bills = list(
                DuesBill.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("member")
                .filter(association=association, pk__in=chunk, status=DuesBill.Status.OPEN)
                .filter(_reminder_due(now))
            )
            DuesBill.objects.filter(association=association, pk__in=[b.pk for b in bills]).update(
                last_reminded_at=now
            )
            people: dict[int, list[tuple[str, str]]] = {}
            for rep in Representative.objects.filter(
                association=association, member_id__in=[b.member_id for b in bills]
            ).select_related("person"):
                people.setdefault(rep.member_id, []).append((rep.person.phone, rep.person.email))
            if bills:
                audit(
                    actor=None,
                    action="dues.reminders",
                    association=association,
                    summary=_("已发送 %(n)d 张账单的催缴提醒") % {"n": len(bills)},
                )
        for bill in bills:
            text = _reminder_text(association, bill)
            for phone, email in dict.fromkeys(people.get(bill.member_id, [])):
                notify(
                    association=association,
                    phone=phone,
                    email=email,
                    subject=_("会费缴纳提醒"),
                    text=text,
                )
            reminded += 1
    return reminded
