"""Changing dues: fee schedules, the year's bills, payments and their reversals, waivers, and
a member's status following what they owe.

Every service takes ``association`` and ``actor`` (None for the scheduler and payment
providers), validates its input with clear Chinese messages before changing anything, runs in
one transaction and writes an audit record. Money is rounded half-up to the fen on the way in.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.money import format_cny, to_fen
from shanghui.core.notifications import notify
from shanghui.dues.models import DuesBill, DuesPolicy, FeeSchedule, Payment, ReceiptSequence
from shanghui.dues.providers import Checkout, payment_provider
from shanghui.members.models import Level, Member, Representative
from shanghui.members.services import member_set_status

# Members who receive the year's bill: those in good standing, and those behind on an earlier
# year — they are still members and owe this year too. Applicants, lapsed (过期), withdrawn and
# expelled members are not billed.
BILLABLE_STATUSES = (Member.Status.ACTIVE, Member.Status.IN_ARREARS)
MAX_AMOUNT = Decimal("9999999999.99")
REMINDER_INTERVAL = timedelta(days=7)
BATCH = 2000
MANUAL_METHODS = (Payment.Method.BANK_TRANSFER, Payment.Method.CASH)

Scope = Callable[[], AbstractContextManager[object]]
Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- Input ------------------------------------------------------------------------------


def parse_amount(value: object, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A CNY amount from a form or the API, rounded half-up to the fen; refuses anything that
    is not a finite, positive (or zero, when allowed) amount below ten billion yuan."""
    text = str(value if value is not None else "").strip().replace(",", "").lstrip("¥￥")
    message = _("请填写有效的金额，例如 5000 或 5000.00")
    try:
        raw = Decimal(text)
        if not raw.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: message}) from exc
    if raw > MAX_AMOUNT:
        raise ValidationError({field: _("金额过大")})
    amount = to_fen(raw) if raw > -MAX_AMOUNT else raw
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError({field: _("金额必须大于 0")})
    return amount


def validate_year(year: object, *, field: str = "year") -> int:
    this_year = timezone.localdate().year
    try:
        value = int(str(year))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {field: _("请填写年度，例如 %(year)d") % {"year": this_year}}
        ) from exc
    if not 2000 <= value <= this_year + 5:
        raise ValidationError(
            {field: _("年度应在 2000 到 %(last)d 之间") % {"last": this_year + 5}}
        )
    return value


def _clean_text(value: str, *, field: str, limit: int, required_message: str = "") -> str:
    text = (value or "").strip()
    if required_message and not text:
        raise ValidationError({field: required_message})
    if len(text) > limit:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": limit}})
    return text


# --- Policy and fee schedules -----------------------------------------------------------


def dues_policy(association: Association) -> DuesPolicy:
    policy, _created = DuesPolicy.objects.get_or_create(association=association)
    return policy


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
    value = parse_amount(amount, allow_zero=True)
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
    progress: Progress = _no_progress,
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


def _next_receipt_no(association: Association, year: int) -> str:
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(
        association=association, year=year
    )
    ReceiptSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    sequence.refresh_from_db(fields=["last_number"])
    return f"{year}-{sequence.last_number:06d}"


def _lock_bill(association: Association, bill: DuesBill) -> DuesBill:
    return (
        DuesBill.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(association=association, pk=bill.pk)
    )


def _set_paid_amount(bill: DuesBill, new_paid: Decimal) -> None:
    """Compare-and-set on the locked row: refuses if anything moved the bill since it was
    read, and lets the database's check constraint refuse an overpayment as a last wall."""
    new_status = DuesBill.Status.PAID if new_paid == bill.amount else DuesBill.Status.OPEN
    updated = DuesBill.objects.filter(
        association_id=bill.association_id,
        pk=bill.pk,
        paid_amount=bill.paid_amount,
        status=bill.status,
    ).update(paid_amount=new_paid, status=new_status)
    if updated != 1:
        raise ValidationError(_("账单刚被其他人修改，请刷新后重试"))
    bill.paid_amount, bill.status = new_paid, new_status


def _book_payment(
    *,
    association: Association,
    actor: User | None,
    bill: DuesBill,
    amount: Decimal,
    method: str,
    paid_on: date,
    reference: str,
    note: str,
) -> Payment:
    bill = _lock_bill(association, bill)
    if bill.status != DuesBill.Status.OPEN:
        raise ValidationError(
            _("该账单%(status)s，不能再登记缴费") % {"status": bill.get_status_display()}
        )
    outstanding = bill.amount - bill.paid_amount
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _("金额超过未缴金额 %(outstanding)s，不能多收")
                % {"outstanding": format_cny(outstanding)}
            }
        )
    _set_paid_amount(bill, bill.paid_amount + amount)
    payment = Payment.objects.create(
        association=association,
        bill=bill,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        note=note,
        recorded_by=actor,
        receipt_no=_next_receipt_no(association, timezone.localdate().year),
    )
    member_dues_status_sync(association=association, actor=actor, member=bill.member)
    audit(
        actor=actor,
        action="dues.payment.record",
        association=association,
        target=payment,
        summary=f"{bill.member.name} {bill.year} {format_cny(amount)}",
        data={"bill": bill.pk, "amount": str(amount), "method": method},
    )
    return payment


def _validate_paid_on(paid_on: object) -> date:
    if not isinstance(paid_on, date):
        try:
            paid_on = date.fromisoformat(str(paid_on))
        except ValueError as exc:
            raise ValidationError({"paid_on": _("请填写缴费日期，例如 2026-03-15")}) from exc
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("缴费日期不能晚于今天")})
    if paid_on.year < 2000:
        raise ValidationError({"paid_on": _("缴费日期无效")})
    return paid_on


@transaction.atomic
def payment_record(
    *,
    association: Association,
    actor: User,
    bill: DuesBill,
    amount: object,
    method: str,
    paid_on: object,
    reference: str = "",
    note: str = "",
) -> Payment:
    """The secretariat records a bank transfer or cash payment against a bill. Partial
    payments are allowed; a payment that would exceed what is still owed is refused, also
    when two clerks record the last instalment at the same moment (the bill row is locked and
    updated with a compare-and-set). Paying the bill in full marks it paid and restores a
    member in arrears who owes nothing else overdue. Returns the payment with its receipt
    number."""
    errors: dict[str, list[str]] = {}
    try:
        value = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if method not in MANUAL_METHODS:
        errors["method"] = [_("请选择缴费方式：银行转账或现金（在线支付由支付渠道确认后自动入账）")]
    try:
        day = _validate_paid_on(paid_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        ref = _clean_text(reference, field="reference", limit=100)
        text = _clean_text(note, field="note", limit=300)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return _book_payment(
        association=association,
        actor=actor,
        bill=bill,
        amount=value,
        method=method,
        paid_on=day,
        reference=ref,
        note=text,
    )


@transaction.atomic
def payment_reverse(
    *, association: Association, actor: User, payment: Payment, reason: str
) -> Payment:
    """Corrects a wrongly recorded payment with a reversing entry of the opposite amount; the
    original stays in the ledger. A payment is reversed at most once; reversals themselves
    are not reversed (record the payment again instead)."""
    reason = _clean_text(reason, field="reason", limit=300, required_message=_("请填写冲正原因"))
    if payment.is_reversal:
        raise ValidationError(_("冲正记录不能再次冲正；如需恢复，请重新登记缴费"))
    bill = _lock_bill(association, payment.bill)
    if Payment.objects.filter(association=association, reverses=payment).exists():
        raise ValidationError(_("该笔缴费已冲正"))
    if bill.status not in (DuesBill.Status.OPEN, DuesBill.Status.PAID):
        raise ValidationError(
            _("该账单%(status)s，不能冲正缴费") % {"status": bill.get_status_display()}
        )
    _set_paid_amount(bill, bill.paid_amount - payment.amount)
    try:
        with transaction.atomic():
            reversal = Payment.objects.create(
                association=association,
                bill=bill,
                amount=-payment.amount,
                method=payment.method,
                paid_on=timezone.localdate(),
                reference=payment.reference,
                note=reason,
                reverses=payment,
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("该笔缴费已冲正")) from exc
    member_dues_status_sync(association=association, actor=actor, member=bill.member)
    audit(
        actor=actor,
        action="dues.payment.reverse",
        association=association,
        target=reversal,
        summary=f"{payment.receipt_no} {format_cny(payment.amount)} {reason}",
        data={"reverses": payment.pk, "bill": bill.pk},
    )
    return reversal


@transaction.atomic
def bill_close(
    *, association: Association, actor: User, bill: DuesBill, status: str, reason: str
) -> DuesBill:
    """Waives (减免) what is still owed on an open bill, or cancels (作废) an open bill that
    has no payments. A reason is required; the member's status follows."""
    reason = _clean_text(
        reason, field="reason", limit=300, required_message=_("请填写减免或作废的原因")
    )
    if status not in (DuesBill.Status.WAIVED, DuesBill.Status.CANCELLED):
        raise ValidationError({"status": _("只能减免或作废账单")})
    bill = _lock_bill(association, bill)
    if bill.status != DuesBill.Status.OPEN:
        raise ValidationError(
            _("该账单%(status)s，不能再减免或作废") % {"status": bill.get_status_display()}
        )
    if status == DuesBill.Status.CANCELLED and bill.paid_amount:
        raise ValidationError(_("账单已有缴费记录，不能作废；可减免未缴部分，或先冲正缴费"))
    DuesBill.objects.filter(association=association, pk=bill.pk).update(
        status=status, status_reason=reason
    )
    bill.status, bill.status_reason = status, reason
    member_dues_status_sync(association=association, actor=actor, member=bill.member)
    audit(
        actor=actor,
        action=f"dues.bill.{status}",
        association=association,
        target=bill,
        summary=f"{bill.member.name} {bill.year} {reason}",
    )
    return bill


# --- Online payment ---------------------------------------------------------------------


def online_payment_start(*, association: Association, actor: User, bill: DuesBill) -> Checkout:
    """Starts paying what is still owed on ``bill`` online. Refused with a clear message while
    no payment provider is connected."""
    if bill.status != DuesBill.Status.OPEN:
        raise ValidationError(
            _("该账单%(status)s，无需缴费") % {"status": bill.get_status_display()}
        )
    provider = payment_provider()
    checkout = provider.start_checkout(bill=bill, amount=bill.outstanding)
    audit(
        actor=actor,
        action="dues.online.start",
        association=association,
        target=bill,
        summary=f"{provider.code} {format_cny(bill.outstanding)}",
    )
    return checkout


@transaction.atomic
def online_payment_confirm(
    *,
    association: Association,
    bill: DuesBill,
    provider_code: str,
    amount: object,
    reference: str,
    paid_on: date | None = None,
) -> Payment:
    """Books a payment a provider has confirmed. Idempotent per provider reference, since
    providers repeat their notifications until they are acknowledged."""
    reference = _clean_text(f"{provider_code}:{reference}", field="reference", limit=100)
    existing = Payment.objects.filter(
        association=association, bill=bill, method=Payment.Method.ONLINE, reference=reference
    ).first()
    if existing is not None:
        return existing
    return _book_payment(
        association=association,
        actor=None,
        bill=bill,
        amount=parse_amount(amount),
        method=Payment.Method.ONLINE,
        paid_on=paid_on or timezone.localdate(),
        reference=reference,
        note="",
    )


# --- A member's status follows their dues -----------------------------------------------


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
    for chunk in _chunks(ids, 500):
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
                notify(phone=phone, email=email, subject=_("会费缴纳提醒"), text=text)
            reminded += 1
    return reminded
