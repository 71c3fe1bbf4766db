"""``core.cache_versions``: a cached read is computed again after a bump of one of its kinds,
in its association only; versions are written and read as the application role (row-level
security on PostgreSQL) and roll back with the writer's transaction."""

import pytest
from django.db import transaction

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
