"""member_search_scan: a covering index for the directory search on PostgreSQL.

Why not pg_trgm: the application connects as a role under row-level security, and PostgreSQL
uses a condition as an index condition on such a table only when its operator is leakproof.
``LIKE`` (``textlike``) and every GIN operator (``%``, ``@>``, ``&&``, ``@@``) are not, so the
planner never uses a trigram index for ``shanghui_app`` (only for a superuser, which hides the
problem in a quick test) — and trigrams do not serve one- or two-character needles anyway.

A search therefore reads its association's slice of the table (the ``association_id``
condition is leakproof and uses an index). This index holds every column the member side of
the search reads — ``id``, ``status``, ``search_text`` — so the slice (~25,000 rows at most)
is read as an index-only scan of one compact index instead of row by row through the heap.

People get no such index: their row-level security policy also admits rows by ``user_id``,
and with that ``OR`` the planner underestimates an association's people ~50-fold at 1,000,000
members and picks the bitmap scan of ``person_phone`` anyway (measured; see
docs/performance.md).

It leads with ``association_id`` like every index of a tenant table. SQLite (a single small
installation, no row-level security) does not need it; this migration does nothing there.
"""

from typing import Any

from django.db import migrations


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that is skipped on other databases."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    dependencies = [("members", "0003_applications_and_imports")]

    operations = [
        PostgreSQLOnly(
            "CREATE INDEX IF NOT EXISTS member_search_scan ON members_member "
            "(association_id, id) INCLUDE (status, search_text)",
            "DROP INDEX IF EXISTS member_search_scan",
        ),
    ]
