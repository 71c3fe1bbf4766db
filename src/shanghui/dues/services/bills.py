"""Fee schedules per level and year, and the year's bill run."""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.money import format_cny, parse_cny
from shanghui.dues.models import DuesBill, DuesPolicy, FeeSchedule
from shanghui.dues.services.common import (
    BATCH,
    BILLABLE_STATUSES,
    Progress,
    Scope,
    dues_policy,
    no_progress,
    validate_year,
)
from shanghui.dues.todos import BILLS_VERSION
from shanghui.members.models import Level, Member


@transaction.atomic
def dues_policy_update(
    *,
    association: Association,
    actor: User,
    arrears_after_days: int,
    due_month: int,
    due_day: int,
    payee_note: str = "",
) -> DuesPolicy:
    """The secretariat sets when an overdue bill turns a member into 欠费 and the default
    due date of new bills."""
    errors: dict[str, str] = {}
    if not 0 <= arrears_after_days <= 365:
        errors["arrears_after_days"] = _("天数应在 0 到 365 之间")
    if not 1 <= due_month <= 12:
        errors["due_month"] = _("月份应在 1 到 12 之间")
    else:
        try:
            date(2001, due_month, due_day)  # a non-leap year: every year has this day
        except (TypeError, ValueError, OverflowError):
            errors["due_day"] = _("默认应缴日期无效")
    if len(payee_note.strip()) > 300:
        errors["payee_note"] = _("不能超过 %(limit)d 个字") % {"limit": 300}
    if errors:
        raise ValidationError(errors)
    policy = DuesPolicy.objects.select_for_update().get(pk=dues_policy(association).pk)
    policy.arrears_after_days = arrears_after_days
    policy.due_month, policy.due_day = due_month, due_day
    policy.payee_note = payee_note.strip()
    policy.save(update_fields=["arrears_after_days", "due_month", "due_day", "payee_note"])
    audit(actor=actor, action="dues.policy.update", association=association, target=policy)
    return policy


def default_due_on(association: Association, year: int) -> date:
    policy = dues_policy(association)
    return date(year, policy.due_month, policy.due_day)


@transaction.atomic
def fee_schedule_set(
    *, association: Association, actor: User, level: Level, year: object, amount: object
) -> FeeSchedule:
    """Sets one level's dues for one year. Bills already issued keep their amount."""
    year = validate_year(year)
    value = parse_cny(amount, allow_zero=True)
    if level.association_id != association.pk:
        raise ValidationError({"level_id": _("会员级别不存在")})
    schedule, _created = FeeSchedule.objects.update_or_create(
        association=association, level=level, year=year, defaults={"amount": value}
    )
    audit(
        actor=actor,
        action="dues.schedule.set",
        association=association,
        target=schedule,
        summary=f"{year} {level.name} {format_cny(value)}",
    )
    return schedule


@transaction.atomic
def fee_schedules_ensure(*, association: Association, year: int) -> list[FeeSchedule]:
    """Creates the missing schedules of ``year`` from each active level's annual fee (the
    default) and returns all of the year's schedules."""
    existing = set(
        FeeSchedule.objects.filter(association=association, year=year).values_list(
            "level_id", flat=True
        )
    )
    FeeSchedule.objects.bulk_create(
        [
            FeeSchedule(association=association, level=level, year=year, amount=level.annual_fee)
            for level in Level.objects.filter(association=association, is_active=True)
            if level.pk not in existing
        ],
        ignore_conflicts=True,
    )
    return list(
        FeeSchedule.objects.filter(association=association, year=year).select_related("level")
    )


# --- Generating the year's bills --------------------------------------------------------


@dataclass(frozen=True)
class BillRunResult:
    created: int
    already_billed: int
    without_level: int
    free_level: int

    def message(self, year: int) -> str:
        text = _("已生成 %(year)d 年度账单 %(created)d 张") % {
            "year": year,
            "created": self.created,
        }
        extras = []
        if self.already_billed:
            extras.append(_("%(n)d 位会员已有账单，未重复生成") % {"n": self.already_billed})
        if self.without_level:
            extras.append(_("%(n)d 位会员未设置会员级别") % {"n": self.without_level})
        if self.free_level:
            extras.append(_("%(n)d 位会员所在级别未设会费标准或会费为 0") % {"n": self.free_level})
        return "；".join([text, *extras])


def validate_bill_run(*, year: object, due_on: object) -> tuple[int, date]:
    year = validate_year(year)
    if not isinstance(due_on, date):
        try:
            due_on = date.fromisoformat(str(due_on))
        except ValueError as exc:
            raise ValidationError({"due_on": _("请填写应缴日期，例如 2026-03-31")}) from exc
    if not year - 1 <= due_on.year <= year + 1:
        raise ValidationError({"due_on": _("应缴日期应在该年度前后一年之内")})
    return year, due_on


def bills_generate(
    *,
    association: Association,
    actor: User | None,
    year: int,
    due_on: date,
    progress: Progress = no_progress,
    scope: Scope = nullcontext,
) -> BillRunResult:
    """Issues ``year``'s bill to every billable member who has a level with a non-zero fee.

    Idempotent: a member who already has the year's bill is skipped (and the unique
    association+member+year constraint settles a concurrent run). Works in batches of
    ``BATCH`` rows, each inside ``scope()`` — the background task passes ``tenant_context`` so
    every batch commits and the progress bar moves on PostgreSQL too."""
    with scope():
        schedules = {
            s.level_id: s.amount for s in fee_schedules_ensure(association=association, year=year)
        }
        rows = list(
            Member.objects.filter(association=association, status__in=BILLABLE_STATUSES)
            .order_by("id")
            .values_list("id", "level_id")
        )
        already = set(
            DuesBill.objects.filter(association=association, year=year).values_list(
                "member_id", flat=True
            )
        )
    total = len(rows)
    created = without_level = free_level = already_billed = 0
    progress(0, total)
    for start in range(0, total, BATCH):
        bills = []
        for member_id, level_id in rows[start : start + BATCH]:
            if member_id in already:
                already_billed += 1
            elif level_id is None:
                without_level += 1
            elif not schedules.get(level_id):
                free_level += 1
            else:
                bills.append(
                    DuesBill(
                        association=association,
                        member_id=member_id,
                        level_id=level_id,
                        year=year,
                        amount=schedules[level_id],
                        due_on=due_on,
                    )
                )
        with scope(), transaction.atomic():
            before = DuesBill.objects.filter(association=association, year=year).count()
            DuesBill.objects.bulk_create(bills, ignore_conflicts=True)
            bump(association.pk, BILLS_VERSION)  # the overdue count (a bill due in the past)
            created += DuesBill.objects.filter(association=association, year=year).count() - before
        progress(min(start + BATCH, total), total)
    result = BillRunResult(created, already_billed, without_level, free_level)
    with scope():
        audit(
            actor=actor,
            action="dues.bills.generate",
            association=association,
            summary=result.message(year),
            data={"year": year, "due_on": due_on.isoformat(), "created": created},
        )
    return result


# --- Payments ---------------------------------------------------------------------------
