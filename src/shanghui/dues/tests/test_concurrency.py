"""Two clerks record the last open amount of a bill at the same moment: exactly one payment
is booked, the other is refused, and the bill is never overpaid (the bill row is locked and
updated with a compare-and-set; the database's check constraint is the last wall)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, Payment
from shanghui.dues.services import payments as payment_services
from shanghui.testing.fixtures import Side

from .helpers import make_bill

ROUNDS = 5
# PostgreSQL: the second clerk waits for the first one's row lock, then is refused. The SQLite
# test database lives in memory with a shared cache, which answers a concurrent writer "table
# is locked" at once instead of queueing it behind the busy timeout as the WAL file database
# does in production; either way nothing is overpaid.
EXPECTED = (
    [["booked", "refused"]]
    if connection.vendor == "postgresql"
    else [["booked", "refused"], ["booked", "locked"]]
)


def clerk(
    association: Association, side: Side, bill: DuesBill, start: threading.Barrier, out: list[str]
) -> None:
    try:
        start.wait(timeout=10)
        with tenant_context(association):
            payment_services.payment_record(
                association=association,
                actor=side.admin,
                bill=bill,  # read before the race: as far as this clerk knows, 600 is owed
                amount="600",
                method="bank_transfer",
                paid_on=timezone.localdate(),
            )
        out.append("booked")
    except ValidationError as exc:
        out.append("refused" if "不能多收" in str(exc) or "已缴清" in str(exc) else str(exc))
    except OperationalError as exc:
        out.append("locked" if "locked" in str(exc) else str(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_racing_payments_on_the_last_open_amount_never_overpay(side_a: Side) -> None:
    a = side_a.association
    for year in range(2020, 2020 + ROUNDS):
        bill = make_bill(a, side_a.member, amount="1000", year=year)
        with tenant_context(a):
            payment_services.payment_record(
                association=a,
                actor=side_a.admin,
                bill=bill,
                amount="400",
                method="cash",
                paid_on=timezone.localdate(),
            )
        start = threading.Barrier(2)
        outcomes: list[str] = []
        clerks = [
            threading.Thread(target=clerk, args=(a, side_a, bill, start, outcomes))
            for _ in range(2)
        ]
        for thread in clerks:
            thread.start()
        for thread in clerks:
            thread.join(timeout=30)
        assert sorted(outcomes) in EXPECTED, outcomes
        with tenant_context(a):
            bill.refresh_from_db()
            amounts = sorted(
                str(amount)
                for amount in Payment.objects.filter(bill=bill).values_list("amount", flat=True)
            )
        assert (bill.status, str(bill.paid_amount)) == ("paid", "1000.00")
        assert amounts == ["400.00", "600.00"]
