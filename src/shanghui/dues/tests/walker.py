"""Teaches the isolation walker this module's objects of association B."""

from datetime import date
from decimal import Decimal

from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, Payment
from shanghui.members.models import Level
from shanghui.testing.fixtures import Side


def foreign_objects(side_b: Side) -> tuple[dict[str, str], list[str]]:
    b = side_b.association
    with tenant_context(b):
        level = Level.objects.create(association=b, name="乙市会费级别", rank=9, annual_fee=8888)
        bill = DuesBill.objects.create(
            association=b,
            member=side_b.member,
            level=level,
            year=2026,
            amount=Decimal("8888.00"),
            paid_amount=Decimal("8888.00"),
            status=DuesBill.Status.PAID,
            due_on=date(2026, 3, 31),
        )
        payment = Payment.objects.create(
            association=b,
            bill=bill,
            amount=Decimal("8888.00"),
            method=Payment.Method.BANK_TRANSFER,
            paid_on=date(2026, 3, 1),
            reference="乙市转账凭证",
            receipt_no="2026-088888",
        )
    return (
        {"bill_id": str(bill.pk), "payment_id": str(payment.pk)},
        ["乙市会费级别", "乙市转账凭证", "2026-088888", "8,888.00", "捌仟捌佰捌拾捌"],
    )
