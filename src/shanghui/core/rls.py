"""Row-level security on PostgreSQL — the second tenancy wall.

After every migrate, each tenant-owned table gets (idempotently) RLS enabled and forced, and
one policy: a row is visible only when its association is the one set for the current
transaction by ``tenant_context`` — or, on tables with a person column, when it belongs to the
person set by ``person_context``. With nothing set the policy compares against NULL and no row
is visible: the wall fails closed.

Superusers and roles with BYPASSRLS skip every policy, so production connects as a role that
has neither and does not own the tables (docs/deploy.md); ``APP_DB_ROLE`` is that role, granted
the privileges it needs here.
"""

from typing import Any

from django.apps import apps
from django.db import connection

from shanghui.core.tenancy import TenantModel

POLICY_NAME = "tenant_isolation"
APP_DB_ROLE = "shanghui_app"


def tenant_models() -> list[type[TenantModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy
    ]


def policy_sql(model: type[TenantModel]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    association_col = model._meta.get_field("association").column
    condition = (
        f"{association_col} = NULLIF(current_setting('app.association_id', true), '')::bigint"
    )
    if model.rls_person_field:
        person_col = model._meta.get_field(model.rls_person_field).column  # type: ignore[union-attr]
        condition += f" OR {person_col} = NULLIF(current_setting('app.user_id', true), '')::bigint"
    return (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;"
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY;"
        f"DROP POLICY IF EXISTS {POLICY_NAME} ON {table};"
        f"CREATE POLICY {POLICY_NAME} ON {table} USING ({condition}) WITH CHECK ({condition});"
    )


def apply_row_level_security(**kwargs: Any) -> None:
    """post_migrate hook: (re)create the policy on every tenant table and make sure the
    application role exists with table privileges but no ownership. post_migrate fires once
    per app after all migrations ran; acting on core's signal is enough."""
    app_config = kwargs.get("app_config")
    if connection.vendor != "postgresql" or (app_config and app_config.label != "core"):
        return
    with connection.cursor() as cursor:
        # A constant role name, no user input.
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM pg_roles WHERE rolname = '{APP_DB_ROLE}') THEN "
            f"CREATE ROLE {APP_DB_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$;"
        )
        cursor.execute(
            f"GRANT USAGE ON SCHEMA public TO {APP_DB_ROLE};"
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_DB_ROLE};"
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_DB_ROLE};"
        )
        for model in tenant_models():
            cursor.execute(policy_sql(model))
