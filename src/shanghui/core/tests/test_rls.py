"""The second wall is built by migrate, or migrate stops and says why."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from shanghui.core.rls import (
    RowLevelSecurityError,
    apply_row_level_security,
    ensure_app_role,
)

pg_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


@contextmanager
def migrating_as(*attributes: str) -> Iterator[CursorWrapper]:
    """A role of its own for the test's transaction (rolled back with it), the connection
    switched to it — as an operator's owner role with ``attributes``."""
    role = f"test_migrator_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN {' '.join(attributes)}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        yield cursor


@pg_only
@pytest.mark.django_db
def test_migrate_fails_loudly_when_it_cannot_build_the_wall(db: None) -> None:
    core = apps.get_app_config("core")
    with (
        migrating_as("BYPASSRLS"),
        pytest.raises(RowLevelSecurityError, match="owner"),
        transaction.atomic(),
    ):
        apply_row_level_security(app_config=core, using="default")


@pg_only
@pytest.mark.django_db
def test_migrate_names_the_missing_application_role(db: None) -> None:
    with (
        migrating_as("BYPASSRLS") as cursor,
        transaction.atomic(),
        pytest.raises(RowLevelSecurityError, match=r"does not exist.*CREATE ROLE"),
    ):
        ensure_app_role(cursor, role="test_no_such_app_role")


@pg_only
@pytest.mark.django_db
def test_migrate_refuses_an_owner_that_would_not_see_every_row(db: None) -> None:
    with (
        migrating_as() as cursor,
        transaction.atomic(),
        pytest.raises(RowLevelSecurityError, match="BYPASSRLS"),
    ):
        ensure_app_role(cursor)
