"""Two clerks at the same moment: reversing the same gift books one reversal (the database's
unique key decides), and asking for the same acknowledgement gives one number (the row is
locked), so the series never skips or repeats."""

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone

from shanghui.charity.models import Donation
from shanghui.charity.services.donations import donation_reverse
from shanghui.charity.services.ledger import acknowledgement_number
from shanghui.core.models import NumberSeries
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .ledger_helpers import cash

ROUNDS = 3


def race(work: Callable[[], str]) -> list[str]:
    start = threading.Barrier(2)
    out: list[str] = []

    def clerk() -> None:
        try:
            start.wait(timeout=10)
            out.append(work())
        except ValidationError as exc:
            out.append(f"refused: {'；'.join(exc.messages)}")
        except OperationalError as exc:
            # The in-memory SQLite test database answers a concurrent writer "table is
            # locked" at once (the WAL file database in production queues it).
            out.append("locked" if "locked" in str(exc) else str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(out)


@pytest.mark.django_db(transaction=True)
def test_racing_reversals_book_one(side_a: Side) -> None:
    a = side_a.association
    for _ in range(ROUNDS):
        gift = cash(side_a, "1000")

        def reverse(gift: Donation = gift) -> str:
            with tenant_context(a):
                donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="重复")
            return "reversed"

        outcomes = race(reverse)
        assert outcomes[0] == "locked" or outcomes == [
            "refused: 这笔捐赠已经冲正过了",
            "reversed",
        ], outcomes
        with tenant_context(a):
            assert Donation.objects.filter(reverses=gift).count() == 1


@pytest.mark.django_db(transaction=True)
def test_racing_acknowledgements_share_one_number(side_a: Side) -> None:
    a = side_a.association
    for _ in range(ROUNDS):
        gift = cash(side_a, "1000")

        def issue(gift: Donation = gift) -> str:
            with tenant_context(a):
                return acknowledgement_number(
                    association=a, actor=side_a.admin, donation=gift
                ).acknowledgement_no

        outcomes = race(issue)
        with tenant_context(a):
            stored = Donation.objects.get(pk=gift.pk).acknowledgement_no
        assert stored and set(outcomes) - {"locked"} == {stored}, outcomes
    with tenant_context(a):
        series = NumberSeries.objects.get(
            association=a, kind="charity.acknowledgement", year=timezone.localdate().year
        )
    assert series.last_number == ROUNDS  # no number taken and thrown away
