"""The second wall's writes, as the application role under row-level security: a person
context reads a person's rows everywhere but writes only their photo and phone visibility;
no row points into another association; and migrate stops when it cannot build the wall."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper

from shanghui.accounts.models import Invitation, Role
from shanghui.core.rls import (
    RowLevelSecurityError,
    apply_row_level_security,
    ensure_app_role,
    tenant_foreign_keys,
)
from shanghui.core.tenancy import person_context, scopes_disabled, tenant_context
from shanghui.members.models import Level, Member, Person, Representative
from shanghui.testing.database import KEY_REFUSED, as_app_role, check_keys_now
from shanghui.testing.fixtures import Side


@contextmanager
def refused() -> Iterator[None]:
    """The statement inside fails, and only it: the test's transaction goes on."""
    with pytest.raises(DatabaseError), transaction.atomic():
        yield


def _person(side: Side) -> Person:
    with tenant_context(side.association):
        return Person.objects.get(pk=side.person.pk)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_person_context_inserts_nothing_into_any_association(side_a: Side, side_b: Side) -> None:
    user = side_a.member_user
    with as_app_role(), person_context(user):
        for association in (side_b.association, side_a.association):
            with refused():  # e.g. an administrator role for oneself
                Role.objects.create(association=association, user=user, kind=Role.Kind.ADMIN)
            with refused():
                Person.objects.create(association=association, name="龚志军", user=user)
        # Deleting needs the association too: nothing goes.
        assert Person.objects.filter(user=user).delete()[0] == 0
    with tenant_context(side_b.association):
        assert not Role.objects.filter(user=user).exists()
    with tenant_context(side_a.association):
        assert Role.objects.get(user=user).kind == Role.Kind.MEMBER
        assert Person.objects.filter(user=user).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_person_context_changes_only_photo_and_phone_visibility(
    side_a: Side, side_b: Side
) -> None:
    user = side_a.member_user
    with as_app_role(), person_context(user):
        mine = Person.objects.filter(user=user)
        with refused():  # my record moved into another association
            mine.update(association=side_b.association)
        with refused():  # a column that is the association's, not mine
            mine.update(name="改名")
        with refused():
            mine.update(show_phone=True, phone="13900000000")
        # Roles and invitations are not writable from a person context at all.
        assert Role.objects.filter(user=user).update(kind=Role.Kind.ADMIN) == 0
        assert Invitation.objects.filter(user=user).update(role_kind=Role.Kind.ADMIN) == 0
        # What a person may change in their own records, everywhere at once.
        assert mine.update(show_phone=True) == 1
        assert mine.update(photo=None, photo_by_person=True) == 1
    person = _person(side_a)
    assert (person.association_id, person.name, person.phone) == (
        side_a.association.pk,
        side_a.person.name,
        side_a.person.phone,
    )
    assert person.show_phone and person.photo_by_person
    with tenant_context(side_a.association):
        assert Role.objects.get(user=user).kind == Role.Kind.MEMBER


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_association_writes_its_people_as_before(side_a: Side) -> None:
    """The person columns' trigger leaves the association's own writes alone."""
    with as_app_role(), tenant_context(side_a.association):
        assert Person.objects.filter(pk=side_a.person.pk).update(name="龚志军（新）") == 1
    assert _person(side_a).name == "龚志军（新）"


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_row_pointing_into_another_association_is_refused(side_a: Side, side_b: Side) -> None:
    """A representative in A of B's member enterprise (the application's wall forgotten)."""
    a = side_a.association
    with tenant_context(side_b.association):
        level_b = Level.objects.create(
            association=side_b.association, name="会员单位", rank=4, annual_fee=1000
        )
    with tenant_context(a):
        contact = Person.objects.create(association=a, name="曾敏")
    # Each write in a transaction of its own (KEY_REFUSED says why).
    with pytest.raises(KEY_REFUSED), as_app_role(), tenant_context(a), scopes_disabled():
        Representative.objects.create(
            association=a, member_id=side_b.member.pk, person=side_a.person
        )
        check_keys_now()
    with pytest.raises(KEY_REFUSED), as_app_role(), tenant_context(a), scopes_disabled():
        Member.objects.filter(pk=side_a.member.pk).update(level_id=level_b.pk)
        check_keys_now()
    with as_app_role(), tenant_context(a), scopes_disabled():
        Representative.objects.create(association=a, member=side_a.member, person=contact)
        check_keys_now()
    with scopes_disabled():
        assert not Representative.objects.filter(member_id=side_b.member.pk, association=a)
        assert Member.objects.get(pk=side_a.member.pk).level_id != level_b.pk
        assert Representative.objects.filter(person=contact).count() == 1


def test_tenant_foreign_keys_are_found_from_the_models() -> None:
    found = {f"{f.model.__name__}.{f.name}" for f in tenant_foreign_keys()}
    assert {"Representative.member", "Representative.person", "Payment.bill"} <= found
    assert "Representative.association" not in found  # the tenant itself is platform-wide
    # Keys without a database constraint are derived rows, deleted with their owner by Django.
    unchecked = {
        f"{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and not getattr(field, "db_constraint", True)
        and model.__module__.startswith("shanghui.")
    }
    assert unchecked == {
        "MemberSearchToken.member",
        "PersonSearchToken.person",
        "FileSearchToken.file",
    }


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_every_tenant_foreign_key_carries_the_association(db: None) -> None:
    """Each one is (association_id, x_id) → (association_id, id) in the database, and Django's
    single-column key is gone (the composite one implies it); new tables get theirs from
    migrate."""
    with connection.cursor() as cursor:
        for field in tenant_foreign_keys():
            table, target = field.model._meta.db_table, field.related_model._meta.db_table
            cursor.execute(
                "SELECT array_agg(a.attname ORDER BY k.n), "
                "array_agg(t.attname ORDER BY k.n), c.condeferrable "
                "FROM pg_constraint c, unnest(c.conkey, c.confkey) WITH ORDINALITY "
                "AS k(key, fkey, n) "
                "JOIN pg_attribute a ON a.attnum = k.key "
                "JOIN pg_attribute t ON t.attnum = k.fkey "
                "WHERE c.contype = 'f' AND c.conrelid = %s::regclass "
                "AND c.confrelid = %s::regclass AND a.attrelid = c.conrelid "
                "AND t.attrelid = c.confrelid GROUP BY c.oid, c.condeferrable",
                [table, target],
            )
            keys = [(tuple(src), tuple(dst), deferrable) for src, dst, deferrable in cursor]
            wanted = (("association_id", field.column), ("association_id", "id"), True)
            assert wanted in keys, f"{table}.{field.column}"
            assert not [k for k in keys if k[0] == (field.column,)], f"{table}.{field.column}"


@contextmanager
def migrating_as(*attributes: str) -> Iterator[CursorWrapper]:
    """A role of its own for the test's transaction (rolled back with it), the connection
    switched to it — as an operator's owner role with ``attributes``."""
    role = f"test_migrator_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN {' '.join(attributes)}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        yield cursor


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=False)  # the role lives in the test's transaction
def test_migrate_fails_loudly_when_it_cannot_build_the_wall(db: None) -> None:
    core = apps.get_app_config("core")
    with (
        migrating_as("BYPASSRLS"),
        pytest.raises(RowLevelSecurityError, match="owner"),
        transaction.atomic(),
    ):
        apply_row_level_security(app_config=core, using="default", plan=[])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=False)  # the role lives in the test's transaction
def test_migrate_names_the_missing_application_role(db: None) -> None:
    with (
        migrating_as("BYPASSRLS") as cursor,
        transaction.atomic(),
        pytest.raises(RowLevelSecurityError, match=r"does not exist.*CREATE ROLE"),
    ):
        ensure_app_role(cursor, role="test_no_such_app_role")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=False)  # the role lives in the test's transaction
def test_migrate_refuses_an_owner_that_would_not_see_every_row(db: None) -> None:
    with (
        migrating_as() as cursor,
        transaction.atomic(),
        pytest.raises(RowLevelSecurityError, match="BYPASSRLS"),
    ):
        ensure_app_role(cursor)
