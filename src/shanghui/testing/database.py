"""Running test code as production runs it: on PostgreSQL as the application role, under
row-level security — the suite connects as a superuser, which skips every policy (account
deletion once passed that way and answered 500 in production)."""

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from django.db import IntegrityError, InternalError, connection, transaction

from shanghui.core.rls import APP_DB_ROLE


@contextmanager
def as_app_role() -> Iterator[None]:
    """The block runs as ``shanghui_app`` on PostgreSQL (as it is on SQLite elsewhere). For
    tests in a transaction (``django_db``): ``SET LOCAL`` ends with it even if the block
    fails. Create the test's data before the block: without a tenant nothing is writable."""
    if connection.vendor != "postgresql":
        yield
        return
    # A test with committed data (on Citus, shanghui.testing.citus) has no transaction of
    # its own: the block gets one, so that SET LOCAL ends with it.
    with transaction.atomic() if not connection.in_atomic_block else nullcontext():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


# How a write that a foreign key refuses fails: on PostgreSQL an IntegrityError at
# ``check_keys_now()``; on Citus, where the shards are not told SET CONSTRAINTS, the
# transaction's commit fails ("could not commit transaction for shard …"), an InternalError.
# Expect it around the whole transaction: ``with pytest.raises(KEY_REFUSED),
# tenant_context(a): write(); check_keys_now()``.
KEY_REFUSED = (IntegrityError, InternalError)


def check_keys_now() -> None:
    """The deferred foreign keys checked now rather than at commit (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
