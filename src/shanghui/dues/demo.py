"""Demo seed: fee schedules and two years of dues — 2025 almost all paid, 2026 with partial
payments and some bills overdue — with payments, receipt numbers, one corrected entry per
association, and the members whose 2026 bill is overdue moved to 欠费 with a history row.

If an association has no membership levels yet, the standard five are created, and members
without a level are assigned one (enterprises by a deterministic draw, individuals to 会员单位).
Bills and payments are written with ``core.bulk.insert_rows``: the provincial chamber's
23,000 members take a few seconds."""

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.bulk import insert_rows
from shanghui.core.demo import DEMO_ASSOCIATIONS, DemoContext
from shanghui.core.models import NumberSeries
from shanghui.core.money import format_cny
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, DuesPolicy, FeeSchedule, Payment
from shanghui.members.models import Level, Member, MemberStatusChange, Representative

YEARS = (2025, 2026)
SEED_TODAY = date(2026, 11, 28)  # the demo's "now": 2026 bills are long past due
GRACE_DAYS = 30
CHUNK = 900  # ids per IN (…) list: well under SQLite's variable limit

# (name, rank, annual fee, share of enterprise members, at least this many)
STANDARD_LEVELS = (
    ("会长单位", 1, Decimal(50_000), 0.0, 1),
    ("常务副会长单位", 2, Decimal(30_000), 0.004, 1),
    ("副会长单位", 3, Decimal(10_000), 0.02, 1),
    ("理事单位", 4, Decimal(5_000), 0.09, 2),
    ("会员单位", 5, Decimal(1_000), 1.0, 0),
)
BASE_LEVEL = "会员单位"
PAYEE_NOTE = (
    "对公账户：户名 {name}；开户行 中国工商银行广州分行营业部；账号 3602 0000 0920 0012 345"
)


def seed(ctx: DemoContext) -> None:
    for demo in DEMO_ASSOCIATIONS:
        association = ctx.associations[demo.slug]
        rng = random.Random(f"shanghui-demo:dues:{demo.slug}")
        demo_member = ctx.users.get(demo.member_phone)
        with tenant_context(association):
            levels = _levels(association)
            _assign_levels(association, levels, rng)
            DuesPolicy.objects.get_or_create(
                association=association,
                defaults={
                    "arrears_after_days": GRACE_DAYS,
                    "payee_note": PAYEE_NOTE.format(name=association.name),
                },
            )
            FeeSchedule.objects.bulk_create(
                FeeSchedule(
                    association=association, level=level, year=year, amount=level.annual_fee
                )
                for year in YEARS
                for level in levels
            )
            seat_ids = (
                set(
                    Representative.objects.filter(
                        association=association, person__user=demo_member
                    ).values_list("member_id", flat=True)
                )
                if demo_member
                else set()
            )
            _bills_and_payments(association, rng, seat_ids, ctx, demo.short_name)


def _levels(association: Association) -> list[Level]:
    levels = list(Level.objects.filter(association=association, is_active=True))
    if not levels:
        levels = Level.objects.bulk_create(
            Level(association=association, name=name, rank=rank, annual_fee=fee)
            for name, rank, fee, _share, _min in STANDARD_LEVELS
        )
    return sorted(levels, key=lambda level: level.rank)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _assign_levels(association: Association, levels: list[Level], rng: random.Random) -> None:
    """Only members without a level: the standard shares among enterprises (the chamber's
    president is one of its largest companies), individuals at the base level."""
    rows = list(
        Member.objects.filter(association=association, level__isnull=True)
        .order_by("id")
        .values_list("id", "kind", "size")
    )
    if not rows:
        return
    by_name = {level.name: level for level in levels}
    base = by_name.get(BASE_LEVEL, levels[-1])
    enterprises = [r for r in rows if r[1] == Member.Kind.ENTERPRISE]
    # Larger companies first, shuffled within a size so the draw is not by id.
    order = {"large": 0, "medium": 1, "small": 2, "micro": 3, "": 4}
    rng.shuffle(enterprises)
    enterprises.sort(key=lambda r: order.get(r[2], 4))
    assigned: dict[int, list[int]] = {}
    cursor = 0
    for name, _rank, _fee, share, minimum in STANDARD_LEVELS[:-1]:
        level = by_name.get(name)
        if level is None:
            continue
        count = max(minimum, round(len(enterprises) * share)) if name != "会长单位" else 1
        picked = [r[0] for r in enterprises[cursor : cursor + count]]
        assigned[level.pk] = picked
        cursor += len(picked)
    taken = {member_id for ids in assigned.values() for member_id in ids}
    assigned[base.pk] = [r[0] for r in rows if r[0] not in taken]
    for level_id, ids in assigned.items():
        for chunk in _chunks(ids):
            Member.objects.filter(association=association, pk__in=chunk).update(level_id=level_id)


@dataclass
class _Bill:
    member_id: int
    level_id: int
    year: int
    amount: Decimal
    due_on: date
    instalments: list[Decimal]
    pk: int = 0

    @property
    def paid(self) -> Decimal:
        return sum(self.instalments, Decimal(0))

    @property
    def status(self) -> str:
        return DuesBill.Status.PAID if self.paid == self.amount else DuesBill.Status.OPEN


@dataclass
class _Payment:
    bill: _Bill
    amount: Decimal
    method: str
    paid_on: date
    reference: str
    receipt_no: str = ""


def _bills_and_payments(
    association: Association,
    rng: random.Random,
    seat_ids: set[int],
    ctx: DemoContext,
    label: str,
) -> None:
    members = (
        Member.objects.filter(
            association=association,
            status__in=(Member.Status.ACTIVE, Member.Status.IN_ARREARS),
            level__isnull=False,
        )
        .order_by("id")
        .values_list("id", "level_id", "level__annual_fee", "joined_on", "status")
    )
    bills: list[_Bill] = []
    for member_id, level_id, fee, joined_on, status in members:
        joined = joined_on or date(2020, 1, 1)
        seat = member_id in seat_ids
        for year in YEARS:
            if joined.year > year or not fee:
                continue
            due = max(date(year, 3, 31), joined + timedelta(days=30))
            plan = _plan(rng, year=year, seat=seat, in_arrears=status == Member.Status.IN_ARREARS)
            if due >= SEED_TODAY:  # joined too recently to be overdue
                plan = "open"
            amounts = _amounts(rng, plan, fee, two=seat and year == 2026)
            bills.append(_Bill(member_id, level_id, year, fee, due, amounts))
    now = timezone.now()
    insert_rows(
        DuesBill,
        (
            {
                "member_id": b.member_id,
                "level_id": b.level_id,
                "year": b.year,
                "amount": b.amount,
                "paid_amount": b.paid,
                "due_on": b.due_on,
                "status": b.status,
                "created_at": now,
            }
            for b in bills
        ),
        association=association,
    )
    ids = {
        (member_id, year): pk
        for member_id, year, pk in DuesBill.objects.filter(association=association).values_list(
            "member_id", "year", "id"
        )
    }
    for bill in bills:
        bill.pk = ids[(bill.member_id, bill.year)]
    ctx.progress(f"{label} 会费账单", len(bills), len(bills))

    payments = [
        _payment(rng, bill, amount, last=date(2026, 3, 1) if n < len(bill.instalments) else None)
        for bill in bills
        for n, amount in enumerate(bill.instalments, start=1)
    ]
    mistake = _one_mistake(payments)
    _number_receipts(association, payments)
    insert_rows(Payment, (_payment_row(p, now) for p in payments), association=association)
    if mistake is not None:
        wrong = Payment.objects.get(association=association, receipt_no=mistake.receipt_no)
        reversal = _Payment(
            bill=mistake.bill,
            amount=-mistake.amount,
            method=mistake.method,
            paid_on=mistake.paid_on + timedelta(days=2),
            reference=mistake.reference,
        )
        row = _payment_row(reversal, now)
        insert_rows(
            Payment,
            [{**row, "note": "金额录入错误，冲正后重新登记", "reverses_id": wrong.pk}],
            association=association,
        )
    ctx.progress(f"{label} 缴费记录", len(payments), len(payments))
    _arrears(association, bills)


def _payment_row(p: _Payment, now: datetime) -> dict[str, Any]:
    return {
        "bill_id": p.bill.pk,
        "amount": p.amount,
        "method": p.method,
        "paid_on": p.paid_on,
        "reference": p.reference,
        "receipt_no": p.receipt_no,
        "created_at": now,
    }


def _payment(rng: random.Random, bill: _Bill, amount: Decimal, *, last: date | None) -> _Payment:
    start = date(bill.year, 1, 5)
    if last is None:
        last = min(date(2026, 10, 31), SEED_TODAY) if bill.year == 2026 else date(2025, 9, 30)
    paid_on = start + timedelta(days=rng.randrange(max(1, (last - start).days)))
    transfer = rng.random() < 0.8
    return _Payment(
        bill=bill,
        amount=amount,
        method=Payment.Method.BANK_TRANSFER if transfer else Payment.Method.CASH,
        paid_on=paid_on,
        reference=f"HX{paid_on:%Y%m%d}{rng.randrange(10**6):06d}" if transfer else "",
    )


def _plan(rng: random.Random, *, year: int, seat: bool, in_arrears: bool) -> str:
    """2025 almost all paid; 2026 mostly paid, some partly, some not at all. Members the
    members seed put in arrears owe their 2026 dues (and some their 2025 dues too). The demo
    member's company has paid both years."""
    roll = rng.random()
    if seat:
        return "paid"
    if year == 2025:
        return "open" if in_arrears and roll < 0.3 else "paid"
    if in_arrears:
        return "partial" if roll < 0.3 else "open"
    return "paid" if roll < 0.86 else "partial" if roll < 0.92 else "open"


def _amounts(rng: random.Random, plan: str, fee: Decimal, *, two: bool) -> list[Decimal]:
    if plan == "paid" and two:  # the demo member's 2026 dues, in two instalments
        half = (fee / 2).quantize(Decimal("0.01"))
        return [half, fee - half]
    if plan == "paid":
        return [fee]
    if plan == "partial":
        return [(fee * rng.choice((20, 30, 40, 50)) / 100).quantize(Decimal("0.01"))]
    return []


def _one_mistake(payments: list[_Payment]) -> _Payment | None:
    """A wrongly keyed amount (a tenth of the fee) on a 2026 bill paid in full, recorded
    before the right payment and reversed two days later — the ledger's way of correcting."""
    for index, payment in enumerate(payments):
        if payment.bill.year == 2026 and payment.amount == payment.bill.amount:
            mistake = _Payment(
                bill=payment.bill,
                amount=(payment.amount / 10).quantize(Decimal("0.01")),
                method=payment.method,
                paid_on=payment.paid_on,
                reference=payment.reference,
            )
            payments.insert(index, mistake)
            return mistake
    return None


def _number_receipts(association: Association, payments: list[_Payment]) -> None:
    last: dict[int, int] = {}
    for payment in sorted(payments, key=lambda p: p.paid_on):  # stable: keeps entry order
        year = payment.paid_on.year
        last[year] = last.get(year, 0) + 1
        payment.receipt_no = f"{year}-{last[year]:06d}"
    NumberSeries.objects.bulk_create(
        NumberSeries(association=association, kind="dues.receipt", year=year, last_number=number)
        for year, number in last.items()
    )


def _arrears(association: Association, bills: list[_Bill]) -> None:
    """Members in good standing whose bill is overdue beyond the grace period go to 欠费, with
    the same dated, reasoned history row the daily status pass writes."""
    cutoff = SEED_TODAY - timedelta(days=GRACE_DAYS)
    first_overdue: dict[int, _Bill] = {}
    for bill in bills:
        if bill.status == DuesBill.Status.OPEN and bill.due_on < cutoff:
            first_overdue.setdefault(bill.member_id, bill)
    active: set[int] = set()
    for chunk in _chunks(sorted(first_overdue)):
        active.update(
            Member.objects.filter(
                association=association, status=Member.Status.ACTIVE, pk__in=chunk
            ).values_list("id", flat=True)
        )
    MemberStatusChange.objects.bulk_create(
        MemberStatusChange(
            association=association,
            member_id=member_id,
            from_status=Member.Status.ACTIVE,
            to_status=Member.Status.IN_ARREARS,
            reason=(
                f"会费逾期未缴：{bill.year} 年度会费尚欠 "
                f"{format_cny(bill.amount - bill.paid)}，应缴日期 {bill.due_on}，"
                f"已逾期超过 {GRACE_DAYS} 天"
            ),
            effective_on=bill.due_on + timedelta(days=GRACE_DAYS + 1),
        )
        for member_id, bill in first_overdue.items()
        if member_id in active
    )
    for chunk in _chunks(sorted(active)):
        Member.objects.filter(association=association, pk__in=chunk).update(
            status=Member.Status.IN_ARREARS
        )
