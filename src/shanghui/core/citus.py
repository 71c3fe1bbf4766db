"""The schema on Citus — PostgreSQL sharded by association (docs/architecture.md, "Scale-out
plan"). Nothing here runs unless the database has the ``citus`` extension.

After every migrate (``core.rls`` calls ``distribute`` once the policies are in force):

- every tenant table (``core.rls.tenant_models``) is distributed by ``association_id`` and
  co-located with the others, so that an association's rows of every table live on one shard
  and the queries of one request run there. Its primary key becomes ``(association_id, id)``
  (ids stay globally unique: one sequence per table, on the coordinator); the composite
  foreign keys ``core.rls`` derives already name ``association_id``;
- ``REFERENCE_TABLES`` — platform tables that tenant tables point at and that every shard
  reads (the association looked up by slug on each request, users, offers …) — are copied to
  every node;
- every other platform table stays on the coordinator: the hot ones written all the time
  (sessions, the task queue, lockout records, the platform audit log) and the network's
  cross-association indexes and conversations, which are searched across associations.

Citus refuses some foreign keys: from a reference table to a distributed one, and from a
coordinator table to a distributed one. ``distribute`` re-creates every foreign key it had
to drop and reports the few it cannot (``KEYS_CITUS_REFUSES`` says why each is safe without).
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import ForeignKey
from django.db.models.sql.where import WhereNode

from shanghui.core.rls import hooked_connection, tenant_models
from shanghui.core.tenancy import TenantModel

REFERENCE_TABLES = (
    "associations_association",
    "accounts_user",
    "accounts_privacynotice",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "providers_provider",
    "providers_offer",
)

# Foreign keys Citus cannot keep, and why their rows stay right without the database's check.
KEYS_CITUS_REFUSES = {
    # A reference table cannot point into a distributed one. An association's logo and banner
    # are files of that association, attached by its own service in its tenant context.
    ("associations_association", "logo_id"): "reference → distributed",
    ("associations_association", "banner_id"): "reference → distributed",
    # The coordinator's onboarding applications cannot point into a distributed table either;
    # the certificate is stored for the applying association by the onboarding service.
    ("associations_onboardingapplication", "certificate_id"): "coordinator → distributed",
}


@dataclass(frozen=True)
class KeyConstraint:
    table: str
    name: str
    definition: str
    column: str


def citus_installed(cursor: CursorWrapper) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
    return cursor.fetchone() is not None


def _kinds(cursor: CursorWrapper) -> dict[str, str]:
    cursor.execute("SELECT table_name::text, citus_table_type FROM citus_tables")
    return dict(cursor.fetchall())


def _foreign_keys(cursor: CursorWrapper, tables: set[str]) -> list[KeyConstraint]:
    """Every foreign key from or to one of ``tables``."""
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), a.attname "
        "FROM pg_constraint c JOIN pg_attribute a "
        "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[array_upper(c.conkey, 1)] "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
        "AND (c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = ANY(%s))",
        [sorted(tables), sorted(tables)],
    )
    return [KeyConstraint(*row) for row in cursor.fetchall()]


def _primary_key_with_association(cursor: CursorWrapper, table: str) -> None:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'p'",
        [table],
    )
    row = cursor.fetchone()
    if row and "association_id" not in row[1]:
        cursor.execute(
            f'ALTER TABLE "{table}" DROP CONSTRAINT "{row[0]}", '
            "ADD PRIMARY KEY (association_id, id)"
        )


def distribute(cursor: CursorWrapper) -> list[str]:
    """Distribute what is not distributed yet (idempotent: a migrate that added tables
    distributes those). Answers the foreign keys left out, as "table.column: why"."""
    kinds = _kinds(cursor)
    tenant = [model._meta.db_table for model in tenant_models()]
    references = [t for t in REFERENCE_TABLES if kinds.get(t) != "reference"]
    tenants = [t for t in tenant if kinds.get(t) != "distributed"]
    if not references and not tenants:
        return []
    # Triggers on distributed tables (core.rls's person-update guard) are ours and touch only
    # their own row: safe on a shard. (The cluster sets it too: docs/deploy.md.)
    cursor.execute("SET citus.enable_unsafe_triggers = on")
    keys = _foreign_keys(cursor, set(references) | set(tenants))
    for key in keys:
        cursor.execute(f'ALTER TABLE "{key.table}" DROP CONSTRAINT "{key.name}"')
    for table in references:
        cursor.execute("SELECT create_reference_table(%s)", [table])
    colocated = next((t for t in tenant if kinds.get(t) == "distributed"), None)
    for table in tenants:
        _primary_key_with_association(cursor, table)
        if colocated is None:
            cursor.execute("SELECT create_distributed_table(%s, 'association_id')", [table])
            colocated = table
        else:
            cursor.execute(
                "SELECT create_distributed_table(%s, 'association_id', colocate_with => %s)",
                [table, colocated],
            )
    left_out = []
    for key in keys:
        why = KEYS_CITUS_REFUSES.get((key.table, key.column))
        if why is not None:
            left_out.append(f"{key.table}.{key.column}: {why}")
            continue
        cursor.execute(f'ALTER TABLE "{key.table}" ADD CONSTRAINT "{key.name}" {key.definition}')
    return left_out


def distribute_on_citus(**kwargs: Any) -> None:
    """post_migrate hook, after ``core.rls``'s (the tables carry their policies when they are
    distributed, and Citus copies them to every shard)."""
    connection = hooked_connection(kwargs)
    if connection is None:
        return
    with connection.cursor() as cursor:
        if not citus_installed(cursor):
            return
        for key in distribute(cursor):
            logging.getLogger(__name__).info("Citus: no foreign key %s", key)


def remember_citus(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created hook: whether this database is a Citus one, asked on a connection
    wrapper's first connection (``join_by_association`` needs to know when it writes a
    query's joins), not on each reconnect (every DB_CONN_MAX_AGE seconds per thread)."""
    if getattr(connection, "shanghui_citus", None) is not None:
        return  # asked on the wrapper's first connection: a reconnect reaches the same server
    citus = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            citus = citus_installed(cursor)
    connection.shanghui_citus = citus  # type: ignore[attr-defined]
    if citus:
        # Django groups an aggregate by the primary key alone (PostgreSQL infers the other
        # columns from it); a tenant table's key is (association_id, id) on Citus, which
        # Django does not know, and PostgreSQL refuses "association_id must appear in the
        # GROUP BY clause" (the office's recycle bin). Grouping by every selected column is
        # what other databases get.
        connection.features.allows_group_by_selected_pks = False


def _association_join(field: ForeignKey[Any, Any]) -> Any:
    source: Any = field.model._meta.get_field("association")
    target: Any = field.related_model._meta.get_field("association")
    exact = target.get_lookup("exact")

    def get_extra_restriction(alias: str | None, related_alias: str | None) -> WhereNode | None:
        # ``alias`` is the referenced table's, ``related_alias`` the referring one's (a reverse
        # join swaps them back: ForeignObjectRel.get_extra_restriction). Without both (an
        # exclude() pushed into a subquery) the join stays as Django writes it; such a
        # subquery is filtered by association already.
        connection = connections[DEFAULT_DB_ALIAS]
        if not (alias and related_alias and getattr(connection, "shanghui_citus", False)):
            return None
        return WhereNode([exact(target.get_col(alias), source.get_col(related_alias))])

    return get_extra_restriction


def join_by_association() -> None:
    """On Citus, every join between two tenant tables also says that both rows belong to one
    association: ``… JOIN members_person ON (person_id = members_person.id AND
    members_person.association_id = org_committeemembership.association_id)``. Citus then
    sees that the joined rows lie on one shard (the tables are co-located by
    ``association_id``) and sends the whole query there; with the id alone it refuses ("the
    query contains a join that requires repartitioning"). On PostgreSQL and SQLite the joins
    stay as Django writes them: the composite foreign keys (``core.rls``) make the condition
    true anyway, and a second join condition would only mislead the planner's estimates.

    Django asks a foreign key for such a condition (``get_extra_restriction``, what generic
    relations use); every foreign key from a tenant table to another gets one here, when the
    models are ready."""
    for model in tenant_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, ForeignKey) and issubclass(field.related_model, TenantModel):
                field.get_extra_restriction = _association_join(field)  # type: ignore[method-assign]
