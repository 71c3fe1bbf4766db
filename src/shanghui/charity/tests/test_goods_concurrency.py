"""Two clerks hand out the last schoolbags at the same moment: exactly one distribution is
recorded, the other refused, and the stock never goes below zero (the campaign row is
locked before the stock is read)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from shanghui.associations.models import Association
from shanghui.charity.models import Campaign, Distribution, Partner
from shanghui.charity.selectors.goods import item_stock
from shanghui.charity.services.goods import DistributionInput, distribution_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .honors_helpers import give_goods, make_campaign, make_school

ROUNDS = 3
# As in dues/tests/test_concurrency.py: PostgreSQL queues the second clerk behind the row
# lock; the in-memory SQLite test database answers "locked" at once instead.
EXPECTED = (
    [["booked", "refused"]]
    if connection.vendor == "postgresql"
    else [["booked", "refused"], ["booked", "locked"]]
)


def clerk(
    association: Association,
    side: Side,
    campaign: Campaign,
    school: Partner,
    start: threading.Barrier,
    out: list[str],
) -> None:
    try:
        start.wait(timeout=10)
        with tenant_context(association):
            distribution_record(
                association=association,
                actor=side.admin,
                campaign=campaign,
                data=DistributionInput(
                    recipient=school, item="书包", quantity="60", distributed_on="2026-03-01"
                ),
            )
        out.append("booked")
    except ValidationError as exc:
        out.append("refused" if "超过库存" in str(exc) else str(exc))
    except OperationalError as exc:
        out.append("locked" if "locked" in str(exc) else str(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_racing_distributions_never_hand_out_more_than_the_stock(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    school = make_school(side_a)
    for round_ in range(ROUNDS):
        campaign = make_campaign(side_a, f"书包行动{round_}")
        give_goods(side_a, campaign, quantity="100")
        start = threading.Barrier(2)
        out: list[str] = []
        threads = [
            threading.Thread(target=clerk, args=(a, side_a, campaign, school, start, out))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(out) in EXPECTED, out
        with tenant_context(a):
            assert Distribution.objects.filter(campaign=campaign).count() == 1
            assert item_stock(a, campaign, "书包") == 40
