"""One numbering mechanism (``core.numbering``): a series per association, document kind and
year, taken in the caller's transaction — a rollback gives the number back — and distinct
and consecutive under concurrent callers."""

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, transaction

from shanghui.associations.models import Association
from shanghui.core.models import NumberSeries
from shanghui.core.numbering import number_next
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side


def take(association: Association, kind: str, year: int, **options: Any) -> str:
    with tenant_context(association), transaction.atomic():
        return number_next(association, kind, year=year, **options)


@pytest.mark.django_db
def test_each_kind_and_year_runs_its_own_series(side_a: Side) -> None:
    a = side_a.association
    with transaction.atomic(), as_app_role():
        receipts = [take(a, "dues.receipt", 2026) for _ in range(3)]
        letters = [take(a, "charity.acknowledgement", 2026) for _ in range(2)]
        next_year = take(a, "dues.receipt", 2027)
        after = take(a, "dues.receipt", 2026)
    assert receipts == ["2026-000001", "2026-000002", "2026-000003"]
    assert letters == ["2026-000001", "2026-000002"]
    assert next_year == "2027-000001"
    assert after == "2026-000004"


@pytest.mark.django_db
def test_two_associations_number_independently(side_a: Side, side_b: Side) -> None:
    a, b = side_a.association, side_b.association
    with transaction.atomic(), as_app_role():
        assert take(a, "dues.receipt", 2026) == "2026-000001"
        assert take(a, "dues.receipt", 2026) == "2026-000002"
        assert take(b, "dues.receipt", 2026) == "2026-000001"
    with tenant_context(b):
        assert NumberSeries.objects.get().last_number == 1


@pytest.mark.django_db
def test_prefix_and_width_shape_the_number(side_a: Side) -> None:
    a = side_a.association
    assert take(a, "charity.certificate", 2026, prefix="JZ") == "JZ2026-000001"
    assert take(a, "charity.certificate", 2026, prefix="JZ", width=4) == "JZ2026-0002"


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_number_back(side_a: Side) -> None:
    a = side_a.association
    assert take(a, "dues.receipt", 2026) == "2026-000001"
    with pytest.raises(RuntimeError), tenant_context(a), transaction.atomic():
        assert number_next(a, "dues.receipt", year=2026) == "2026-000002"
        raise RuntimeError("the document was not saved")
    assert take(a, "dues.receipt", 2026) == "2026-000002"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses(side_a: Side) -> None:
    """A number taken in a transaction of its own would be lost when the caller's document is
    not saved: a gap. It refuses before touching the database."""
    with pytest.raises(transaction.TransactionManagementError):
        number_next(side_a.association, "dues.receipt", year=2026)


ROUNDS = 5


def clerk(association: Association, start: threading.Barrier, out: list[str]) -> None:
    try:
        start.wait(timeout=10)
        out.append(take(association, "dues.receipt", 2026))
    except OperationalError as exc:
        # The SQLite test database lives in memory with a shared cache, which answers a
        # concurrent writer "table is locked" at once (the WAL file in production queues it).
        out.append("locked" if "locked" in str(exc) else str(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_distinct_consecutive_numbers(side_a: Side) -> None:
    a = side_a.association
    taken: list[str] = []
    for _ in range(ROUNDS):  # the first round races on creating the series, later on its row
        start = threading.Barrier(2)
        outcomes: list[str] = []
        clerks = [threading.Thread(target=clerk, args=(a, start, outcomes)) for _ in range(2)]
        for thread in clerks:
            thread.start()
        for thread in clerks:
            thread.join(timeout=30)
        if connection.vendor == "postgresql":
            assert len(outcomes) == 2 and "locked" not in outcomes, outcomes
        taken += [number for number in outcomes if number != "locked"]
    assert len(taken) == len(set(taken)), taken
    assert sorted(taken) == [f"2026-{n:06d}" for n in range(1, len(taken) + 1)]
    with tenant_context(a):
        assert NumberSeries.objects.get(kind="dues.receipt").last_number == len(taken)
