"""Row-level security on PostgreSQL — the second tenancy wall.

After every migrate, each tenant-owned table gets (idempotently) RLS enabled and forced, and
its policies:

- ``tenant_isolation`` (every command): a row is visible and writable only when its
  association is the one set for the current transaction by ``tenant_context``. Its
  ``WITH CHECK`` admits that association only: no row is ever inserted or moved into another.
- ``person_read`` (``SELECT``, tables with ``rls_person_field``): the person set by
  ``person_context`` also reads their own rows in every association.
- ``person_update`` (``UPDATE``, tables with ``rls_person_updates``): the person may change
  their own rows in every association, but only the columns named there — a trigger refuses
  any other change (PostgreSQL policies see the new row, never the old one, so they cannot
  tell which columns changed), which keeps the row in its association too. The new row must
  still be theirs: PostgreSQL also holds an ``UPDATE … WHERE`` to the ``SELECT`` policies on
  the new row, so a row unlinked from its person could only be written in its association's
  tenant context anyway (as account deletion does).

With nothing set, the policies compare against NULL and no row is visible: the wall fails
closed. Deleting and inserting always need the association.

Every foreign key from one tenant table to another also becomes ``(association_id, x_id) →
(association_id, id)`` (backed by a unique key on ``(association_id, id)``), so the database
refuses a row that points into another association. Django cannot declare such keys; this
hook derives them from the models, so a new table gets them without anyone remembering.

Platform tables that hold rows of several associations or of a service provider — the
network's conversations, a provider's leads — declare their own policies instead
(``rls_policies``, a tuple of ``RlsPolicy`` written with ``{association}``, ``{person}`` and
``{provider}`` for the transaction's settings); this hook creates them the same way and drops
any other policy on those tables.

Superusers and roles with BYPASSRLS skip every policy, so production connects as a role that
has neither and does not own the tables (docs/deploy.md); ``APP_DB_ROLE`` is that role, granted
the privileges it needs here. Migrations run as the owner, which needs BYPASSRLS: with the
policies forced, an owner without it would run data migrations over no rows at all. Whatever
cannot be set up makes ``migrate`` fail with ``RowLevelSecurityError``.
"""

from typing import Any, NamedTuple

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper, names_digest
from django.db.models import ForeignKey

from shanghui.core.tenancy import TenantModel

POLICY_NAME = "tenant_isolation"
PERSON_READ_POLICY = "person_read"
PERSON_UPDATE_POLICY = "person_update"
PERSON_UPDATE_TRIGGER = "person_update_columns"
PERSON_UPDATE_FUNCTION = "shanghui_person_update_columns"
APP_DB_ROLE = "shanghui_app"
# Names of the composite keys this module owns (and drops again when a model loses them).
TENANT_KEY_PREFIX = "tenant_key_"
TENANT_FK_PREFIX = "tenant_fk_"

CURRENT_ASSOCIATION = "NULLIF(current_setting('app.association_id', true), '')::bigint"
CURRENT_PERSON = "NULLIF(current_setting('app.user_id', true), '')::bigint"
CURRENT_PROVIDER = "NULLIF(current_setting('app.provider_id', true), '')::bigint"


class RlsPolicy(NamedTuple):
    """One policy of a platform table's own (``Model.rls_policies``): ``using`` decides which
    rows a command sees, ``check`` which rows it may write (None: as ``using``). Conditions
    name the table's columns and ``{association}``, ``{person}``, ``{provider}``."""

    name: str
    command: str  # ALL, SELECT, INSERT, UPDATE or DELETE
    using: str | None
    check: str | None = None

    def sql(self, table: str) -> str:
        settings = {
            "association": CURRENT_ASSOCIATION,
            "person": CURRENT_PERSON,
            "provider": CURRENT_PROVIDER,
        }
        parts = [f"CREATE POLICY {self.name} ON {table} FOR {self.command}"]
        if self.using is not None:
            parts.append(f"USING ({self.using.format(**settings)})")
        check = self.check if self.check is not None else self.using
        if check is not None and self.command in {"ALL", "INSERT", "UPDATE"}:
            parts.append(f"WITH CHECK ({check.format(**settings)})")
        return " ".join(parts)


# Not SECURITY DEFINER: it only refuses, with the privileges of whoever updates. Reached
# through the person policy under row-level security (the trigger's WHEN: the row is not the
# current association's), only the columns named as the trigger's arguments may change.
PERSON_UPDATE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PERSON_UPDATE_FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF row_security_active(TG_RELID)
       AND to_jsonb(NEW) - TG_ARGV IS DISTINCT FROM to_jsonb(OLD) - TG_ARGV THEN
        RAISE EXCEPTION 'in a person context only % of % may change',
            array_to_string(TG_ARGV, ', '), TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
"""


class RowLevelSecurityError(RuntimeError):
    """The second wall could not be set up: ``migrate`` stops rather than leave it open."""


def tenant_models() -> list[type[TenantModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy
    ]


def guarded_models() -> list[type[Any]]:
    """Platform tables with policies of their own (``rls_policies``)."""
    return [
        model
        for model in apps.get_models()
        if getattr(model, "rls_policies", None) and not model._meta.proxy
    ]


def guarded_policy_sql(model: type[Any], existing: list[str]) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    table = quote(model._meta.db_table)
    sql = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
    ]
    sql += [f"DROP POLICY IF EXISTS {quote(name)} ON {table}" for name in existing]
    sql += [policy.sql(table) for policy in model.rls_policies]
    return ";".join(sql) + ";"


def _column(model: type[TenantModel], name: str) -> str:
    return str(model._meta.get_field(name).column)  # type: ignore[union-attr]


def policy_sql(model: type[TenantModel]) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    table = quote(model._meta.db_table)
    tenant = f"{_column(model, 'association')} = {CURRENT_ASSOCIATION}"
    sql = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table}",
        f"DROP POLICY IF EXISTS {PERSON_READ_POLICY} ON {table}",
        f"DROP POLICY IF EXISTS {PERSON_UPDATE_POLICY} ON {table}",
        f"DROP TRIGGER IF EXISTS {PERSON_UPDATE_TRIGGER} ON {table}",
        f"CREATE POLICY {POLICY_NAME} ON {table} USING ({tenant}) WITH CHECK ({tenant})",
    ]
    if model.rls_person_field:
        person_col = _column(model, model.rls_person_field)
        mine = f"{person_col} = {CURRENT_PERSON}"
        sql.append(f"CREATE POLICY {PERSON_READ_POLICY} ON {table} FOR SELECT USING ({mine})")
        if model.rls_person_updates:
            columns = sorted(_column(model, name) for name in model.rls_person_updates)
            arguments = ", ".join(f"'{column}'" for column in columns)
            sql += [
                f"CREATE POLICY {PERSON_UPDATE_POLICY} ON {table} FOR UPDATE "
                f"USING ({mine}) WITH CHECK ({mine})",
                f"CREATE TRIGGER {PERSON_UPDATE_TRIGGER} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"WHEN (OLD.{_column(model, 'association')} IS DISTINCT FROM "
                f"{CURRENT_ASSOCIATION}) EXECUTE FUNCTION {PERSON_UPDATE_FUNCTION}({arguments})",
            ]
    return ";".join(sql) + ";"


def tenant_foreign_keys() -> list[ForeignKey[Any, Any]]:
    """Every foreign key (with a database constraint) from a tenant table to another."""
    return [
        field
        for model in tenant_models()
        for field in model._meta.concrete_fields
        if isinstance(field, ForeignKey)
        and field.db_constraint  # type: ignore[attr-defined]
        and issubclass(field.related_model, TenantModel)
    ]


def _name(prefix: str, *parts: str) -> str:
    """A constraint name ≤ 63 bytes, unique by its digest, readable where it fits."""
    return f"{prefix}{names_digest(*parts, length=8)}_{'_'.join(parts)}"[:63]


def composite_keys() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """What the models ask for: unique keys ``{name: (table, columns)}`` on every referenced
    tenant table, and foreign keys ``{name: (table, definition)}``."""
    keys: dict[str, tuple[str, str]] = {}
    fks: dict[str, tuple[str, str]] = {}
    for field in tenant_foreign_keys():
        source, target = field.model, field.related_model
        table, column = source._meta.db_table, str(field.column)
        target_table, target_column = target._meta.db_table, str(field.target_field.column)
        source_association = _column(source, "association")  # type: ignore[arg-type]
        target_association = _column(target, "association")  # type: ignore[arg-type]
        key = f"{target_association}, {target_column}"
        keys[_name(TENANT_KEY_PREFIX, target_table, target_column)] = (target_table, key)
        fks[_name(TENANT_FK_PREFIX, table, column, target_table, target_column)] = (
            table,
            f"FOREIGN KEY ({source_association}, {column}) REFERENCES {target_table} ({key}) "
            "DEFERRABLE INITIALLY DEFERRED",
        )
    return keys, fks


def _apply_composite_keys(cursor: CursorWrapper) -> None:
    """Adds the missing composite keys and drops those no model asks for any more; drops
    Django's single-column key where the composite one took over (it implies it)."""
    keys, fks = composite_keys()
    cursor.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE connamespace = current_schema()::regnamespace "
        "AND (conname LIKE %s OR conname LIKE %s)",
        [TENANT_KEY_PREFIX.replace("_", r"\_") + "%", TENANT_FK_PREFIX.replace("_", r"\_") + "%"],
    )
    existing = {name: table for table, name in cursor.fetchall()}
    for name, table in existing.items():
        if name.startswith(TENANT_FK_PREFIX) and name not in fks:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, table in existing.items():
        if name.startswith(TENANT_KEY_PREFIX) and name not in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, (table, columns) in keys.items():
        if name not in existing:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ({columns})')
    for name, (table, definition) in fks.items():
        if name not in existing:
            try:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            except DatabaseError as exc:
                raise RowLevelSecurityError(
                    f"Rows of {table} point at another association's rows ({definition}): "
                    f"correct them, then run migrate again. {exc}"
                ) from exc
    composite = {(field.model._meta.db_table, field.column) for field in tenant_foreign_keys()}
    cursor.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.conname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 "
        "AND c.connamespace = current_schema()::regnamespace"
    )
    for table, column, single in cursor.fetchall():
        if (table, column) in composite:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{single}"')


def _role(cursor: CursorWrapper, name: str) -> tuple[bool, bool] | None:
    """(superuser, bypasses RLS) of a role, or None if there is no such role."""
    cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [name])
    row = cursor.fetchone()
    return (bool(row[0]), bool(row[1])) if row else None


def ensure_app_role(cursor: CursorWrapper, role: str = APP_DB_ROLE) -> None:
    """The application role exists (created here only where the migrating role may create
    roles: a superuser's one-time step in production, docs/deploy.md), and the migrating role
    is not it and sees every row (data migrations must reach every association)."""
    cursor.execute(
        "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole "
        "FROM pg_roles WHERE rolname = current_user"
    )
    me, superuser, bypass, may_create = cursor.fetchone()
    if me == role:
        raise RowLevelSecurityError(
            f"migrate runs as {role}, the application role; run it as the tables' owner."
        )
    if not (superuser or bypass):
        raise RowLevelSecurityError(
            f"The role {me} that runs migrate needs BYPASSRLS (row-level security is forced "
            "on the owner too, and data migrations must see every association's rows): "
            f"as a superuser, ALTER ROLE {me} BYPASSRLS; (docs/deploy.md)."
        )
    found = _role(cursor, role)
    if found is None:
        if not (superuser or may_create):
            raise RowLevelSecurityError(
                f"The application role {role} does not exist and {me} may not create roles: "
                f"as a superuser, CREATE ROLE {role} LOGIN PASSWORD '…' NOSUPERUSER "
                "NOBYPASSRLS; then run migrate again (docs/deploy.md)."
            )
        # A constant role name, no user input.
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS")
    elif any(found):
        raise RowLevelSecurityError(
            f"The application role {role} is a superuser or has BYPASSRLS: row-level security "
            f"would not apply to it. As a superuser: ALTER ROLE {role} NOSUPERUSER NOBYPASSRLS;"
        )


def _verify(cursor: CursorWrapper) -> None:
    """Every tenant table has its policy forced and is not owned by the application role."""
    tables = [model._meta.db_table for model in tenant_models()]
    cursor.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relname = ANY(%s) "
        "AND c.relnamespace = current_schema()::regnamespace AND c.relrowsecurity "
        "AND c.relforcerowsecurity AND pg_get_userbyid(c.relowner) <> %s "
        "AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)",
        [tables, APP_DB_ROLE, POLICY_NAME],
    )
    missing = sorted(set(tables) - {name for (name,) in cursor.fetchall()})
    if missing:
        raise RowLevelSecurityError(f"Row-level security is not in force on {', '.join(missing)}")
    for model in guarded_models():
        if set(_policies(cursor, model._meta.db_table)) != {p.name for p in model.rls_policies}:
            raise RowLevelSecurityError(f"The policies of {model._meta.db_table} are not in force")


def _policies(cursor: CursorWrapper, table: str, *, forced: bool = True) -> list[str]:
    """The names of a table's policies (only while its row-level security is forced)."""
    cursor.execute(
        "SELECT p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace "
        "AND (NOT %s OR (c.relrowsecurity AND c.relforcerowsecurity))",
        [table, forced],
    )
    return [name for (name,) in cursor.fetchall()]


def check_migrating_role(**kwargs: Any) -> None:
    """pre_migrate hook: refuse to migrate at all (no table left without its policies) when
    the application role is missing and cannot be created, or the migrating role cannot
    see every row."""
    connection = hooked_connection(kwargs)
    if connection is None:
        return
    with connection.cursor() as cursor:
        ensure_app_role(cursor)


def hooked_connection(kwargs: dict[str, Any]) -> BaseDatabaseWrapper | None:
    """The PostgreSQL connection a pre/post_migrate hook of ours acts on, or None. The signals
    fire once per app; acting on core's is enough. ``flush`` (the suite's transactional
    tests) sends post_migrate too, without a plan: the tables are as they were, and setting
    the policies up again each time cost 0.1 s a test on PostgreSQL and 1.7 s on Citus."""
    connection = connections[kwargs.get("using", DEFAULT_DB_ALIAS)]
    app_config = kwargs.get("app_config")
    if connection.vendor != "postgresql" or (app_config and app_config.label != "core"):
        return None
    if "plan" not in kwargs:
        return None
    return connection


def apply_row_level_security(**kwargs: Any) -> None:
    """post_migrate hook: (re)create the policies and the composite foreign keys on every
    tenant table and grant the application role table privileges but no ownership; raise
    ``RowLevelSecurityError`` if any of it cannot be done. post_migrate fires once per app
    after all migrations ran; acting on core's signal is enough."""
    connection = hooked_connection(kwargs)
    if connection is None:
        return
    with connection.cursor() as cursor:
        ensure_app_role(cursor)
        try:
            _apply(cursor)
        except DatabaseError as exc:
            raise RowLevelSecurityError(
                f"Row-level security could not be set up ({exc}); migrate must run as the "
                "owner of the tables (docs/deploy.md)."
            ) from exc
        _verify(cursor)


def _in_one_transaction(cursor: CursorWrapper, sql: str) -> None:
    """The statements of ``sql`` (separated by ";", none inside one) as one transaction: the
    table is never without a policy in between. One at a time, because Citus passes a
    distributed table's DDL on to its shards as a prepared statement, which takes one."""
    with transaction.atomic(using=cursor.db.alias):
        for statement in sql.split(";"):
            if statement.strip():
                cursor.execute(statement)


def _apply(cursor: CursorWrapper) -> None:
    _in_one_transaction(
        cursor,
        f"GRANT USAGE ON SCHEMA public TO {APP_DB_ROLE};"
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_DB_ROLE};"
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_DB_ROLE};",
    )
    cursor.execute(PERSON_UPDATE_FUNCTION_SQL)
    for model in tenant_models():
        _in_one_transaction(cursor, policy_sql(model))
    for model in guarded_models():
        existing = _policies(cursor, model._meta.db_table, forced=False)
        _in_one_transaction(cursor, guarded_policy_sql(model, existing))
    _apply_composite_keys(cursor)
