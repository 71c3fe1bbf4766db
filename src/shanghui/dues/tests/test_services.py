from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.models import AuditEntry, NumberSeries
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, FeeSchedule, Payment
from shanghui.dues.providers import Checkout, register_provider, unregister_provider
from shanghui.dues.selectors import BillFilters, arrears_search, schedule_rows
from shanghui.dues.services import bills as bill_services
from shanghui.dues.services import payments as payment_services
from shanghui.dues.services import status as status_services
from shanghui.members.models import Member, MemberStatusChange
from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .helpers import days_ago, make_bill, make_level


def pay(side: Side, bill: DuesBill, amount: object, **extra: object) -> Payment:
    fields: dict[str, object] = {
        "method": "bank_transfer",
        "paid_on": timezone.localdate(),
        "reference": "HX0001",
        **extra,
    }
    with tenant_context(side.association):
        return payment_services.payment_record(
            association=side.association,
            actor=side.admin,
            bill=bill,
            amount=amount,
            **fields,  # type: ignore[arg-type]
        )


def fresh(bill: DuesBill) -> DuesBill:
    with tenant_context(bill.association):
        return DuesBill.objects.get(pk=bill.pk)


# --- Generating bills -------------------------------------------------------------------


@pytest.mark.django_db
def test_generating_the_years_bills_is_idempotent_and_bills_only_members_who_owe(
    side_a: Side,
) -> None:
    a = side_a.association
    director = make_level(a, "理事单位", "5000")
    honorary = make_level(a, "荣誉会员", "0")
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=director)
        bill_services.fee_schedule_set(
            association=a, actor=side_a.admin, level=director, year=2026, amount="6000"
        )
    behind = MemberFactory(association=a, level=director, status=Member.Status.IN_ARREARS)
    MemberFactory(association=a, level=director, status=Member.Status.WITHDRAWN)
    MemberFactory(association=a, level=director, status=Member.Status.APPLYING)
    MemberFactory(association=a, level=None)
    MemberFactory(association=a, level=honorary)

    with tenant_context(a):
        first = bill_services.bills_generate(
            association=a, actor=side_a.admin, year=2026, due_on=date(2026, 3, 31)
        )
        second = bill_services.bills_generate(
            association=a, actor=side_a.admin, year=2026, due_on=date(2026, 3, 31)
        )
        bills = {b.member_id: b for b in DuesBill.objects.filter(year=2026)}

    assert (first.created, first.without_level, first.free_level) == (2, 1, 1)
    assert (second.created, second.already_billed) == (0, 2)
    assert set(bills) == {side_a.member.pk, behind.pk}
    assert {b.amount for b in bills.values()} == {Decimal("6000.00")}  # the schedule, not 5000
    assert all(b.status == "open" and b.paid_amount == 0 for b in bills.values())


@pytest.mark.django_db
def test_fee_schedules_default_to_the_levels_annual_fee(side_a: Side) -> None:
    a = side_a.association
    make_level(a, "会长单位", "50000")
    make_level(a, "会员单位", "1000")
    with tenant_context(a):
        rows = schedule_rows(association=a, year=2027)
        assert [(r.level.name, r.amount, r.is_default) for r in rows] == [
            ("会长单位", Decimal("50000.00"), True),
            ("会员单位", Decimal("1000.00"), True),
        ]
        bill_services.fee_schedules_ensure(association=a, year=2027)
        assert sorted(FeeSchedule.objects.values_list("amount", flat=True)) == [
            Decimal("1000.00"),
            Decimal("50000.00"),
        ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "金额不能为负数"), ("abc", "请填写有效的金额"), ("NaN", "请填写有效的金额")],
)
def test_a_bad_fee_schedule_is_refused(side_a: Side, amount: str, message: str) -> None:
    level = make_level(side_a.association)
    with tenant_context(side_a.association), pytest.raises(ValidationError) as error:
        bill_services.fee_schedule_set(
            association=side_a.association,
            actor=side_a.admin,
            level=level,
            year=2026,
            amount=amount,
        )
    assert message in str(error.value)
    with tenant_context(side_a.association):
        assert not FeeSchedule.objects.exists()


# --- Payments ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_partial_payments_then_the_rest_marks_the_bill_paid(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    first = pay(side_a, bill, "2000")
    assert (fresh(bill).status, fresh(bill).paid_amount) == ("open", Decimal("2000.00"))
    assert fresh(bill).outstanding == Decimal("3000.00")
    second = pay(side_a, bill, "3,000.00", method="cash")
    bill = fresh(bill)
    assert (bill.status, bill.paid_amount) == ("paid", Decimal("5000.00"))
    year = timezone.localdate().year
    assert (first.receipt_no, second.receipt_no) == (f"{year}-000001", f"{year}-000002")


@pytest.mark.django_db
def test_a_typed_amount_is_exact_to_the_fen_or_refused(side_a: Side) -> None:
    """10.005 was once stored as 10.01 without a word; typed amounts are exact (computed ones
    are rounded half-up to the fen, core.money.to_fen)."""
    bill = make_bill(side_a.association, side_a.member, amount="100.01")
    with pytest.raises(ValidationError, match="两位小数"):
        pay(side_a, bill, "100.005")
    payment = pay(side_a, bill, "100.01")
    assert payment.amount == Decimal("100.01")
    assert fresh(bill).status == "paid"


@pytest.mark.django_db
def test_an_overpayment_is_refused_and_nothing_changes(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    pay(side_a, bill, "4999.99")
    with pytest.raises(ValidationError) as error:
        pay(side_a, bill, "0.02")
    assert "金额超过未缴金额 ¥0.01，不能多收" in str(error.value)
    with tenant_context(side_a.association):
        assert Payment.objects.count() == 1
        assert NumberSeries.objects.get(kind="dues.receipt").last_number == 1
    assert fresh(bill).paid_amount == Decimal("4999.99")
    pay(side_a, bill, "0.01")
    assert fresh(bill).status == "paid"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "abc"}, "amount", "请填写有效的金额"),
        ({"amount": "0"}, "amount", "金额必须大于 0"),
        ({"amount": "-100"}, "amount", "金额不能为负数"),
        ({"amount": "Infinity"}, "amount", "请填写有效的金额"),
        ({"amount": "1e30"}, "amount", "金额过大"),
        ({"method": "online"}, "method", "请选择缴费方式"),
        ({"method": "cheque"}, "method", "请选择缴费方式"),
        ({"paid_on": "2026-02-30"}, "paid_on", "请填写缴费日期"),
        ({"paid_on": date.today() + timedelta(days=2)}, "paid_on", "缴费日期不能晚于今天"),
        ({"reference": "凭" * 101}, "reference", "不能超过 100 个字"),
    ],
)
def test_bad_payment_input_gets_a_clear_chinese_error_and_changes_nothing(
    side_a: Side, changes: dict[str, object], field: str, message: str
) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    with tenant_context(side_a.association):
        audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        pay(side_a, bill, changes.pop("amount", "1000"), **changes)
    assert message in " ".join(error.value.message_dict[field])
    with tenant_context(side_a.association):
        assert not Payment.objects.exists()
        assert AuditEntry.objects.count() == audits
    assert fresh(bill).paid_amount == 0


@pytest.mark.django_db
def test_a_reversal_is_a_new_negative_entry_and_reopens_the_bill(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    original = pay(side_a, bill, "5000")
    a = side_a.association
    with tenant_context(a):
        reversal = payment_services.payment_reverse(
            association=a, actor=side_a.admin, payment=original, reason="重复登记"
        )
        assert (reversal.amount, reversal.reverses_id) == (Decimal("-5000.00"), original.pk)
        assert reversal.receipt_no == ""
        original.refresh_from_db()
        assert original.amount == Decimal("5000.00")  # the original entry is untouched
        with pytest.raises(ValidationError, match="该笔缴费已冲正"):
            payment_services.payment_reverse(
                association=a, actor=side_a.admin, payment=original, reason="再来一次"
            )
        with pytest.raises(ValidationError, match="冲正记录不能再次冲正"):
            payment_services.payment_reverse(
                association=a, actor=side_a.admin, payment=reversal, reason="撤销冲正"
            )
        with pytest.raises(ValidationError, match="请填写冲正原因"):
            payment_services.payment_reverse(
                association=a, actor=side_a.admin, payment=original, reason=" "
            )
        assert Payment.objects.filter(bill=bill).count() == 2
    bill = fresh(bill)
    assert (bill.status, bill.paid_amount) == ("open", Decimal("0.00"))
    pay(side_a, bill, "5000")  # and it can be paid again
    assert fresh(bill).status == "paid"


@pytest.mark.django_db
def test_paid_waived_and_cancelled_bills_take_no_payment(side_a: Side) -> None:
    a = side_a.association
    paid = make_bill(a, side_a.member, amount="100", year=2024)
    pay(side_a, paid, "100")
    with pytest.raises(ValidationError, match="已缴清"):
        pay(side_a, paid, "1")

    waived = make_bill(a, side_a.member, amount="1000", year=2025)
    pay(side_a, waived, "400")
    cancelled = make_bill(a, side_a.member, amount="1000", year=2026)
    with tenant_context(a):
        with pytest.raises(ValidationError, match="不能作废"):
            payment_services.bill_close(
                association=a, actor=side_a.admin, bill=waived, status="cancelled", reason="x"
            )
        payment_services.bill_close(
            association=a, actor=side_a.admin, bill=waived, status="waived", reason="困难企业减免"
        )
        payment_services.bill_close(
            association=a, actor=side_a.admin, bill=cancelled, status="cancelled", reason="重复"
        )
    assert (fresh(waived).status, fresh(waived).outstanding) == ("waived", 0)
    with pytest.raises(ValidationError, match="已减免"):
        pay(side_a, waived, "1")
    with pytest.raises(ValidationError, match="已作废"):
        pay(side_a, cancelled, "1")


# --- A member's status follows their dues -----------------------------------------------


@pytest.mark.django_db
def test_overdue_beyond_the_grace_period_means_arrears_and_paying_restores(side_a: Side) -> None:
    a = side_a.association
    bill = make_bill(a, side_a.member, amount="5000", year=2026, due_on=days_ago(40))
    with tenant_context(a):
        within_grace = status_services.members_dues_status_sync(
            association=a, today=timezone.localdate() - timedelta(days=15)
        )
        assert within_grace.to_arrears == 0
        result = status_services.members_dues_status_sync(association=a)
        assert (result.to_arrears, result.restored) == (1, 0)
        assert status_services.members_dues_status_sync(association=a).to_arrears == 0  # no repeat
        assert Member.objects.get(pk=side_a.member.pk).status == Member.Status.IN_ARREARS
    pay(side_a, bill, "2000")  # partial: still in arrears
    with tenant_context(a):
        assert Member.objects.get(pk=side_a.member.pk).status == Member.Status.IN_ARREARS
    pay(side_a, bill, "3000")
    with tenant_context(a):
        assert Member.objects.get(pk=side_a.member.pk).status == Member.Status.ACTIVE
        history = list(
            MemberStatusChange.objects.filter(member=side_a.member).values_list(
                "from_status", "to_status", "reason"
            )
        )
    assert [(f, t) for f, t, _r in history] == [("active", "arrears"), ("arrears", "active")]
    assert "会费逾期未缴：2026 年度会费尚欠 ¥5,000.00" in history[0][2]
    assert "已逾期超过 30 天" in history[0][2]
    assert history[1][2] == "会费已缴清或已减免，恢复正常"


@pytest.mark.django_db
def test_reversing_the_payment_of_an_overdue_bill_puts_the_member_back_in_arrears(
    side_a: Side,
) -> None:
    a = side_a.association
    bill = make_bill(a, side_a.member, amount="800", due_on=days_ago(90))
    payment = pay(side_a, bill, "800")
    with tenant_context(a):
        payment_services.payment_reverse(
            association=a, actor=side_a.admin, payment=payment, reason="退票"
        )
        assert Member.objects.get(pk=side_a.member.pk).status == Member.Status.IN_ARREARS


@pytest.mark.django_db
def test_the_status_pass_leaves_other_statuses_and_hand_set_arrears_alone(side_a: Side) -> None:
    a = side_a.association
    withdrawn = MemberFactory(association=a, status=Member.Status.WITHDRAWN)
    make_bill(a, withdrawn, due_on=days_ago(100))
    by_hand = MemberFactory(association=a, status=Member.Status.IN_ARREARS)  # no bills
    with tenant_context(a):
        result = status_services.members_dues_status_sync(association=a)
        assert (result.to_arrears, result.restored) == (0, 0)
        assert Member.objects.get(pk=withdrawn.pk).status == Member.Status.WITHDRAWN
        assert Member.objects.get(pk=by_hand.pk).status == Member.Status.IN_ARREARS


# --- Reminders --------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminders_go_to_representatives_at_most_once_every_seven_days(side_a: Side) -> None:
    a = side_a.association
    contact = PersonFactory(association=a, name="钟会计", phone="13922220000", email="kj@x.cn")
    RepresentativeFactory(association=a, member=side_a.member, person=contact, kind="contact")
    make_bill(a, side_a.member, amount="5000", due_on=days_ago(10))
    paid = MemberFactory(association=a, name="已缴清有限公司")
    RepresentativeFactory(association=a, member=paid)
    pay(side_a, make_bill(a, paid, amount="100", due_on=days_ago(10)), "100")
    not_due = MemberFactory(association=a, name="未到期有限公司")
    RepresentativeFactory(association=a, member=not_due)
    make_bill(a, not_due, due_on=timezone.localdate() + timedelta(days=5))
    notifications.outbox.clear()

    t0 = timezone.now()
    with tenant_context(a):
        assert status_services.reminders_send(association=a, now=t0) == 1
    run_worker()
    sms = [m for m in notifications.outbox if m.channel == "sms"]
    assert sorted(m.to for m in sms) == sorted([side_a.person.phone, "13922220000"])
    assert all("甲市龚氏实业有限公司 2026 年度会费尚欠 ¥5,000.00" in m.text for m in sms)

    for later, expected in ((timedelta(days=1), 0), (timedelta(days=6, hours=23), 0)):
        with tenant_context(a):
            assert status_services.reminders_send(association=a, now=t0 + later) == expected
    run_worker()
    assert len(notifications.outbox) == 2
    with tenant_context(a):
        assert status_services.reminders_send(association=a, now=t0 + timedelta(days=7)) == 1
    run_worker()
    assert len(notifications.outbox) == 4


# --- Online payment ---------------------------------------------------------------------


class FakeProvider:
    code = "testpay"
    label = "测试支付"

    def start_checkout(self, *, bill: DuesBill, amount: Decimal) -> Checkout:
        return Checkout(provider=self.code, url=f"https://pay.test/{bill.pk}", reference="T1")


@pytest.mark.django_db
def test_online_payment_is_refused_clearly_until_a_provider_is_connected(side_a: Side) -> None:
    a = side_a.association
    bill = make_bill(a, side_a.member, amount="5000")
    with tenant_context(a), pytest.raises(ValidationError, match="暂未开通在线支付"):
        payment_services.online_payment_start(association=a, actor=side_a.member_user, bill=bill)

    register_provider(FakeProvider())
    try:
        with tenant_context(a):
            checkout = payment_services.online_payment_start(
                association=a, actor=side_a.member_user, bill=bill
            )
            assert checkout.url == f"https://pay.test/{bill.pk}"
            for _repeat in range(2):  # providers repeat their notifications
                payment = payment_services.online_payment_confirm(
                    association=a, bill=bill, provider_code="testpay", amount="5000", reference="T1"
                )
            assert Payment.objects.filter(bill=bill).count() == 1
    finally:
        unregister_provider("testpay")
    assert (payment.method, payment.reference) == ("online", "testpay:T1")
    assert fresh(bill).status == "paid"


@pytest.mark.django_db
def test_the_arrears_list_holds_only_open_bills_past_due(side_a: Side) -> None:
    a = side_a.association
    overdue = make_bill(a, side_a.member, amount="5000", year=2025, due_on=days_ago(200))
    pay(side_a, overdue, "1000")
    make_bill(a, side_a.member, amount="5000", year=2026, due_on=timezone.localdate())
    other = MemberFactory(association=a, name="赣州稀土集团有限公司")
    pay(side_a, make_bill(a, other, amount="10", due_on=days_ago(5)), "10")
    with tenant_context(a):
        rows = list(arrears_search(association=a, filters=BillFilters()))
        assert [(r.pk, r.owed) for r in rows] == [(overdue.pk, Decimal("4000.00"))]
        assert not arrears_search(association=a, filters=BillFilters(min_days="365")).exists()
        assert arrears_search(association=a, filters=BillFilters(q="gssy")).exists()  # initials
        # The same search as the directory: a representative's name or last phone digits.
        digits = side_a.person.phone[-4:]
        for q in ("龚志军", digits, side_a.member.member_no):
            assert arrears_search(association=a, filters=BillFilters(q=q)).exists(), q
        assert not arrears_search(association=a, filters=BillFilters(q="赣州稀土")).exists()


@pytest.mark.django_db
def test_the_database_itself_refuses_an_overpaid_bill_and_a_negative_payment(
    side_a: Side,
) -> None:
    """The last wall under the services: CHECK constraints on both databases."""
    from django.db import IntegrityError, transaction

    bill = make_bill(side_a.association, side_a.member, amount="5000")
    first = pay(side_a, bill, "2000")
    with tenant_context(side_a.association):
        with pytest.raises(IntegrityError), transaction.atomic():
            DuesBill.objects.filter(pk=bill.pk).update(paid_amount=Decimal("5000.01"))
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.filter(pk=first.pk).update(amount=Decimal("-1"))
    assert fresh(bill).paid_amount == Decimal("2000.00")
