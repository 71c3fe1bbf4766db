"""One numbering mechanism for an association's documents: a series per kind and year.

``number_next(association, "dues.receipt", year=2026)`` returns "2026-000123": the series
(``core.NumberSeries``) is fetched or created under a row lock, its ``last_number`` raised by a
conditional ``UPDATE … SET last_number = last_number + 1`` and read back. The number belongs to
the caller's transaction: called outside one, it refuses (``TransactionManagementError``),
because a number taken in its own transaction would be lost — a gap — when the caller's
document is then not saved. Inside the caller's transaction, a rollback gives the number back.

Two concurrent callers get distinct, consecutive numbers: on PostgreSQL the second waits on
the row lock (the first ever number of a series is guarded by the unique key: the losing insert
waits, then fails, and ``get_or_create`` reads the winner's row); on SQLite transactions are
``IMMEDIATE`` (settings), so writers are serialized whole.

A kind is a short dotted name, ``<app>.<document>``. ``prefix`` goes before the year for kinds
whose numbers should say what they are (``prefix="JZ"`` → "JZ2026-000001"); ``width`` is the
zero-padded width of the running number (wider numbers are not cut).
"""

from django.db import connection, transaction
from django.db.models import F

from shanghui.core.models import NumberSeries
from shanghui.core.types import Tenant


def number_next(
    association: Tenant, kind: str, *, year: int, width: int = 6, prefix: str = ""
) -> str:
    """The next number of ``kind`` in ``year`` for ``association``, formatted
    ``f"{prefix}{year}-{n:0{width}d}"``. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "number_next must run inside the transaction that saves the numbered document"
        )
    series, _created = NumberSeries.objects.select_for_update().get_or_create(
        association_id=association.pk, kind=kind, year=year
    )
    NumberSeries.objects.filter(pk=series.pk).update(last_number=F("last_number") + 1)
    series.refresh_from_db(fields=["last_number"])
    return f"{prefix}{year}-{series.last_number:0{width}d}"
