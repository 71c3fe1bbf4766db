"""Migration dues 0003 moves the receipt sequences into core's numbering: each association's
receipt numbers continue where they stood (no gap, no repeat), and going back restores them."""

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from shanghui.associations.models import Association
from shanghui.core.numbering import number_next
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side


def take(association: Association, year: int) -> str:
    with tenant_context(association), transaction.atomic():
        return number_next(association, "dues.receipt", year=year)


BEFORE = [("core", "0015_number_series"), ("dues", "0002_money_checks")]
AFTER = [("dues", "0003_receipts_numbered_by_core")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def back_to_latest() -> Any:
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_dues_receipt_numbering_continues_after_the_move(
    side_a: Side, side_b: Side, back_to_latest: None
) -> None:
    a, b = side_a.association, side_b.association
    old = _migrate(BEFORE).get_model("dues", "ReceiptSequence")
    old.objects.create(association_id=a.pk, year=2025, last_number=417)
    old.objects.create(association_id=a.pk, year=2026, last_number=123)
    old.objects.create(association_id=b.pk, year=2026, last_number=9)

    _migrate(AFTER)
    assert take(a, 2026) == "2026-000124"
    assert take(a, 2025) == "2025-000418"
    assert take(b, 2026) == "2026-000010"
    assert take(b, 2025) == "2025-000001"

    back = _migrate(BEFORE).get_model("dues", "ReceiptSequence")  # and back again
    rows = sorted(back.objects.values_list("association_id", "year", "last_number"))
    assert rows == sorted([(a.pk, 2025, 418), (a.pk, 2026, 124), (b.pk, 2026, 10), (b.pk, 2025, 1)])
