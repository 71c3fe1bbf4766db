"""Payments as a ledger: recording, reversing, receipts, waivers and online payment."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.money import format_cny, parse_cny
from shanghui.core.numbering import number_next
from shanghui.dues.models import DuesBill, Payment
from shanghui.dues.providers import Checkout, payment_provider
from shanghui.dues.services.common import (
    MANUAL_METHODS,
    clean_text,
)
from shanghui.dues.services.status import member_dues_status_sync
from shanghui.dues.todos import BILLS_VERSION


def _next_receipt_no(association: Association, year: int) -> str:
    """收据编号 "2026-000123": the association's "dues.receipt" series of the year
    (``core.numbering``), taken in the transaction that records the payment."""
    return number_next(association, "dues.receipt", year=year)


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
    if new_status != bill.status:  # paid, or open again after a reversal: the overdue count
        bump(bill.association_id, BILLS_VERSION)
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
        value = parse_cny(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if method not in MANUAL_METHODS:
        errors["method"] = [_("请选择缴费方式：银行转账或现金（在线支付由支付渠道确认后自动入账）")]
    try:
        day = _validate_paid_on(paid_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        ref = clean_text(reference, field="reference", limit=100)
        text = clean_text(note, field="note", limit=300)
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
    reason = clean_text(reason, field="reason", limit=300, required_message=_("请填写冲正原因"))
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
    reason = clean_text(
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
    bump(association.pk, BILLS_VERSION)  # the overdue count
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
    reference = clean_text(f"{provider_code}:{reference}", field="reference", limit=100)
    existing = Payment.objects.filter(
        association=association, bill=bill, method=Payment.Method.ONLINE, reference=reference
    ).first()
    if existing is not None:
        return existing
    return _book_payment(
        association=association,
        actor=None,
        bill=bill,
        amount=parse_cny(amount),
        method=Payment.Method.ONLINE,
        paid_on=paid_on or timezone.localdate(),
        reference=reference,
        note="",
    )


# --- A member's status follows their dues -----------------------------------------------
