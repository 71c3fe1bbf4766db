"""Running test code as production runs it: on PostgreSQL as the application role, under
row-level security — the suite connects as a superuser, which skips every policy (account
deletion once passed that way and answered 500 in production)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from shanghui.core.rls import APP_DB_ROLE


@contextmanager
def as_app_role() -> Iterator[None]:
    """The block runs as ``shanghui_app`` on PostgreSQL (as it is on SQLite elsewhere). For
    tests in a transaction (``django_db``): ``SET LOCAL`` ends with it even if the block
    fails. Create the test's data before the block: without a tenant nothing is writable."""
    if connection.vendor != "postgresql":
        yield
        return
    assert connection.in_atomic_block, "as_app_role() needs the test's transaction"
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
