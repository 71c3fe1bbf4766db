"""The schema and the walls on a Citus cluster (``core.citus``; run by ``make test-citus``,
skipped elsewhere): tenant tables distributed by association in one co-location group,
reference and coordinator tables where docs/architecture.md says, the policies holding on
the shards themselves, and a join of tenant tables sent to one shard."""

import psycopg
import pytest
from django.db import connection

from shanghui.core.citus import REFERENCE_TABLES
from shanghui.core.rls import APP_DB_ROLE, tenant_models
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member, Representative
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.citus_only

# Written all the time or searched across associations: never replicated to the workers.
ON_THE_COORDINATOR = (
    "django_session",
    "django_tasks_database_dbtaskresult",
    "axes_accessattempt",
    "core_platformauditentry",
    "network_listingindex",
    "network_conversation",
    "providers_lead",
)


def _rows(sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


@pytest.mark.django_db
def test_every_tenant_table_is_distributed_by_association_in_one_colocation_group() -> None:
    placed = {
        table: (column, colocation)
        for table, column, colocation in _rows(
            "SELECT logicalrelid::text, column_to_column_name(logicalrelid, partkey), "
            "colocationid FROM pg_dist_partition WHERE partmethod = 'h'"
        )
    }
    tables = [model._meta.db_table for model in tenant_models()]
    assert {placed.get(t, (None, None))[0] for t in tables} == {"association_id"}
    assert len({placed[t][1] for t in tables}) == 1
    keys = dict(
        _rows(
            "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'p' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
    )
    # (association_id, id); the search tokens' keys lead with the association already.
    assert all(keys[t].startswith("PRIMARY KEY (association_id, ") for t in tables), keys


@pytest.mark.django_db
def test_reference_tables_are_copied_and_busy_platform_tables_stay_on_the_coordinator() -> None:
    kinds = dict(_rows("SELECT table_name::text, citus_table_type FROM citus_tables"))
    assert {kinds.get(t) for t in REFERENCE_TABLES} == {"reference"}
    for table in ON_THE_COORDINATOR:
        # Not a Citus table at all, or a "local" one (Citus manages tables that point at a
        # reference table): either way its rows live on the coordinator only.
        assert kinds.get(table) in (None, "local"), table


@pytest.mark.django_db(transaction=True)
def test_a_shard_on_its_worker_shows_its_rows_only_inside_their_association(
    side_a: Side, side_b: Side
) -> None:
    """Straight to the worker, bypassing the coordinator: the shard carries the policy, and
    the setting the coordinator passes on (SET LOCAL) is what opens it."""
    a = side_a.association
    shard, host, port = _rows(
        "SELECT shardid, nodename, nodeport FROM citus_shards WHERE table_name = "
        "'members_member'::regclass AND shardid = "
        "get_shard_id_for_distribution_column('members_member', %s)",
        [a.pk],
    )[0]
    shard_table = f"members_member_{int(str(shard))}"
    name = connection.settings_dict["NAME"]
    with psycopg.connect(
        host=str(host), port=int(str(port)), dbname=name, user=APP_DB_ROLE, sslmode="disable"
    ) as worker:
        nothing = worker.execute(f"SELECT count(*) FROM {shard_table}").fetchone()  # noqa: S608
        worker.execute(f"SET LOCAL app.association_id = '{int(a.pk)}'")
        names = worker.execute(f"SELECT name FROM {shard_table}").fetchall()  # noqa: S608
    assert nothing == (0,)
    assert [n for (n,) in names] == [side_a.member.name]


@pytest.mark.django_db
def test_a_join_of_tenant_tables_goes_to_the_associations_shard(side_a: Side) -> None:
    """``join_by_association``: with the association in the join, Citus sends the whole
    query to one shard (with the id alone it refuses: "requires repartitioning")."""
    with tenant_context(side_a.association):
        query = Representative.objects.select_related("member", "person").filter(
            member__status=Member.Status.ACTIVE
        )
        sql, params = query.query.sql_with_params()
        plan = "\n".join(str(row[0]) for row in _rows(f"EXPLAIN {sql}", list(params)))
        assert [r.person.name for r in query] == [side_a.person.name]
    assert "Task Count: 1" in plan
    assert '"members_member"."association_id" = ("members_representative"."association_id")' in sql


@pytest.mark.django_db
def test_an_aggregate_over_a_tenant_table_groups_by_what_it_selects(side_a: Side) -> None:
    """The office's recycle bin counts a committee's members: Django would group by ``id``
    alone, which is not the key of a distributed table (PostgreSQL refused the page)."""
    from django.db.models import Count

    from shanghui.org.models import Committee

    with tenant_context(side_a.association):
        Committee.objects.create(association=side_a.association, name="青年企业家委员会")
        counted = [(c.name, c.n) for c in Committee.objects.annotate(n=Count("memberships"))]
    assert counted == [("青年企业家委员会", 0)]
