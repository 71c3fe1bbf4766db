"""Two clerks record the same term's payment at the same moment: exactly one gift is booked
in the ledger, the other clerk is told it was paid (the conditional update claims the term
in the transaction that books the gift)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from shanghui.associations.models import Association
from shanghui.charity.models import Disbursement, Donation
from shanghui.charity.services import sponsorship as services
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .sponsorship_helpers import sponsorship, student

ROUNDS = 3
# As in the dues test: PostgreSQL queues the second clerk behind the first one's row lock and
# refuses it; the in-memory SQLite test database may answer "table is locked" instead.
EXPECTED = (
    [["booked", "refused"]]
    if connection.vendor == "postgresql"
    else [["booked", "refused"], ["booked", "locked"]]
)


def clerk(
    association: Association,
    side: Side,
    term: Disbursement,
    start: threading.Barrier,
    out: list[str],
) -> None:
    try:
        start.wait(timeout=10)
        with tenant_context(association):
            services.disbursement_pay(
                association=association,
                actor=side.admin,
                disbursement=term,
                paid_on=date(2024, 9, 3),
            )
        out.append("booked")
    except ValidationError as exc:
        out.append("refused" if "已登记发放" in str(exc) else str(exc))
    except OperationalError as exc:
        out.append("locked" if "locked" in str(exc) else str(exc))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_racing_clerks_pay_a_term_once(side_a: Side, privacy_notice: None) -> None:
    a = side_a.association
    pair = sponsorship(a, student(a), side_a.member, until=date(2026, 7, 1))
    with tenant_context(a):
        terms = services.disbursements_generate(association=a, actor=None, sponsorship=pair)
    for term in terms[:ROUNDS]:
        start = threading.Barrier(2)
        outcomes: list[str] = []
        clerks = [
            threading.Thread(target=clerk, args=(a, side_a, term, start, outcomes))
            for _ in range(2)
        ]
        for thread in clerks:
            thread.start()
        for thread in clerks:
            thread.join(timeout=30)
        assert sorted(outcomes) in EXPECTED, outcomes
    with tenant_context(a):
        assert Donation.objects.count() == ROUNDS
        linked = Disbursement.objects.filter(donation__isnull=False).count()
    assert linked == ROUNDS
