import pytest
from django.db import connection, transaction
from django.db.models import CheckConstraint
from django_scopes import ScopeError

from shanghui.core.rls import APP_DB_ROLE, POLICY_NAME, tenant_models
from shanghui.core.tenancy import TenantModel, scopes_disabled, tenant_context
from shanghui.members.models import Member
from shanghui.testing.fixtures import Side


@pytest.mark.django_db
def test_tenant_models_refuse_queries_outside_a_scope(side_a: Side) -> None:
    with pytest.raises(ScopeError):
        list(Member.objects.all())


@pytest.mark.django_db
def test_scope_filters_to_its_association(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_a.association):
        names = set(Member.objects.values_list("name", flat=True))
    assert names == {side_a.member.name}


def test_every_tenant_table_has_a_leading_association_key() -> None:
    for model in tenant_models():
        field = model._meta.get_field("association")
        assert not field.null, model
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint):
                continue  # a rule about one row's own values: nothing to look up or shard by
            fields = getattr(constraint, "fields", ())
            assert fields and fields[0] == "association", f"{model.__name__}.{constraint.name}"
        for index in model._meta.indexes:
            if index.fields and index.fields[0].lstrip("-") != "association":
                # Only person lookups across associations (RLS person column) may lead elsewhere.
                assert index.fields[0] == model.rls_person_field, f"{model.__name__}.{index.name}"
        for field in model._meta.fields:
            if field.unique and not field.primary_key:
                pytest.fail(f"{model.__name__}.{field.name} is unique without its association")
    assert len(tenant_models()) >= 8


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_every_tenant_table_has_the_rls_policy() -> None:
    with connection.cursor() as cursor:
        for model in tenant_models():
            cursor.execute(
                "SELECT c.relrowsecurity, c.relforcerowsecurity, "
                "(SELECT count(*) FROM pg_policies p "
                "WHERE p.tablename = c.relname AND p.policyname = %s) "
                "FROM pg_class c WHERE c.relname = %s",
                [POLICY_NAME, model._meta.db_table],
            )
            assert cursor.fetchone() == (True, True, 1), model._meta.db_table


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_query_that_forgets_the_tenant_filter_sees_only_its_association(
    side_a: Side, side_b: Side
) -> None:
    """The second wall: even with the application's scoping switched off, the database role
    the application runs as sees only the association set for the transaction."""
    with tenant_context(side_a.association), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        with scopes_disabled():
            names = set(Member.objects.values_list("name", flat=True))
            assert Member.objects.filter(pk=side_b.member.pk).count() == 0
        cursor.execute("RESET ROLE")
    assert names == {side_a.member.name}


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_without_a_tenant_nothing_is_visible_and_nothing_can_be_written(side_a: Side) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        with scopes_disabled():
            assert Member.objects.count() == 0
        cursor.execute("RESET ROLE")


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_write_into_another_association_is_refused(side_a: Side, side_b: Side) -> None:
    from django.db import DatabaseError

    with (
        pytest.raises(DatabaseError),
        tenant_context(side_a.association),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        with scopes_disabled():
            Member.objects.filter(pk=side_a.member.pk).update(association=side_b.association)


def test_tenant_model_is_abstract() -> None:
    assert TenantModel._meta.abstract


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_nested_tenant_context_returns_to_the_outer_association(
    side_a: Side, side_b: Side
) -> None:
    with tenant_context(side_a.association), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        with scopes_disabled():
            with tenant_context(side_b.association):
                assert set(Member.objects.values_list("name", flat=True)) == {side_b.member.name}
            assert set(Member.objects.values_list("name", flat=True)) == {side_a.member.name}
        cursor.execute("RESET ROLE")


def test_openapi_schema_names_are_unique() -> None:
    """ninja names components after the schema class: two classes of the same name silently
    replace each other in the OpenAPI document."""
    import collections

    from ninja import Schema

    def subclasses(cls: type) -> list[type]:
        return [cls, *[s for sub in cls.__subclasses__() for s in subclasses(sub)]]

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("shanghui.")]
    counts = collections.Counter(c.__name__ for c in ours)
    assert [name for name, n in counts.items() if n > 1] == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_scope_costs_one_setting_and_reentering_it_costs_nothing(
    side_a: Side, side_b: Side
) -> None:
    """A request's scope (outside any transaction, as the door opens it) is BEGIN, one
    ``SET LOCAL`` and COMMIT; a service entering the same association again issues nothing; a
    nested other association comes back to the outer one; and nothing lingers after COMMIT."""
    from django.test.utils import CaptureQueriesContext

    def association_id() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.association_id', true)")
            return str(cursor.fetchone()[0] or "")

    a, b = side_a.association, side_b.association
    with CaptureQueriesContext(connection) as queries, tenant_context(a), tenant_context(a):
        inner = association_id()
    settings = [
        q["sql"] for q in queries if "SET LOCAL" in q["sql"] or "current_setting" in q["sql"]
    ]
    assert inner == str(a.pk)
    assert len(settings) == 2 and "SET LOCAL" in settings[0]  # the one set, and the test's read
    assert len(queries) == 4  # BEGIN, SET LOCAL, the read, COMMIT
    with tenant_context(a):
        with tenant_context(b):
            nested = association_id()
        back = association_id()
    assert (nested, back) == (str(b.pk), str(a.pk))
    assert association_id() == ""
