"""``core.cache_versions``: a cached read is computed again after a bump of one of its kinds,
in its association only; versions are written and read as the application role (row-level
security on PostgreSQL) and roll back with the writer's transaction."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from shanghui.core.cache_versions import bump, cached, versions
from shanghui.core.tenancy import tenant_context
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


@pytest.mark.django_db
def test_a_bump_recomputes_only_what_depends_on_it(side_a: Side, side_b: Side) -> None:
    a, b = side_a.association, side_b.association
    compute = Counter()
    with as_app_role():
        with tenant_context(a):
            assert cached(a.pk, ("x", "y"), "test.read", compute) == 1
            assert cached(a.pk, ("x", "y"), "test.read", compute) == 1
            bump(a.pk, "z")  # a kind the read does not name
            assert cached(a.pk, ("x", "y"), "test.read", compute) == 1
        with tenant_context(b):
            bump(b.pk, "x")  # another association's
        with tenant_context(a):
            assert cached(a.pk, ("x", "y"), "test.read", compute) == 1
            bump(a.pk, "y")
            assert cached(a.pk, ("x", "y"), "test.read", compute) == 2
            assert compute.calls == 2


@pytest.mark.django_db
def test_a_rolled_back_write_keeps_the_version(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        before = versions(a.pk, ["members"])
        assert versions(a.pk, ["members"]) == before  # the first read gave it one, for good

        class Failed(Exception):
            pass

        with pytest.raises(Failed), transaction.atomic():
            bump(a.pk, "members")
            assert versions(a.pk, ["members"]) != before
            raise Failed
        assert versions(a.pk, ["members"]) == before


@pytest.mark.django_db
def test_a_request_reads_the_versions_once_and_sees_its_own_bumps(side_a: Side) -> None:
    a = side_a.association
    compute = Counter()
    with tenant_context(a):
        versions(a.pk, ["x", "y"])  # the rows exist
        # As the test client does: a request's signals without closing the test's connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        request_started.send(sender=None)
        try:
            with CaptureQueriesContext(connection) as counted:
                assert cached(a.pk, ("x",), "test.one", compute) == 1
                assert cached(a.pk, ("y",), "test.two", compute) == 2
            assert len(counted) == 1  # one read of every kind of the association
            bump(a.pk, "x")  # the request's own write counts at once
            assert cached(a.pk, ("x",), "test.one", compute) == 3
        finally:
            request_finished.send(sender=None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        bump(a.pk, "y")  # outside a request every read asks the database
        assert cached(a.pk, ("y",), "test.two", compute) == 4
