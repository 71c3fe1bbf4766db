"""move_audience_rules_to_core: the events' audience rules become ``core.AudienceRule``s
(``core.audience``), owned by their event (``owner_type`` "events.event", ``owner_id``),
with the kind as it was and the one target the old row pointed at (the level, committee,
post or person; none for the council). Ids are kept.

One ``INSERT … SELECT``, on SQLite and PostgreSQL alike. The migrating role sees every
association's rows (``core.rls.ensure_app_role`` insists on BYPASSRLS), and the new table's
policy is created by the post-migrate hook like every tenant table's. On PostgreSQL the id
sequence is moved past the copied ids."""

from typing import Any

from django.core.management.color import no_style
from django.db import migrations


def copy_rules(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("events", "AudienceRule")
    new = apps.get_model("core", "AudienceRule")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(old._meta.db_table), quote(new._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (id, association_id, owner_type, owner_id, kind, target_id) "  # noqa: S608
            "SELECT id, association_id, 'events.event', event_id, kind, "
            "CASE kind WHEN 'level' THEN level_id WHEN 'committee' THEN committee_id "
            "WHEN 'post' THEN post_id WHEN 'person' THEN person_id END "
            f"FROM {source}"
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [new]):
            cursor.execute(statement)


def copy_rules_back(apps: Any, schema_editor: Any) -> None:
    """Backwards: the events' rules return to the recreated table, each target into the
    column its kind uses, and leave ``core.AudienceRule``."""
    old = apps.get_model("events", "AudienceRule")
    new = apps.get_model("core", "AudienceRule")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(new._meta.db_table), quote(old._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (id, association_id, event_id, kind, "  # noqa: S608
            "level_id, committee_id, post_id, person_id) "
            "SELECT id, association_id, owner_id, kind, "
            "CASE kind WHEN 'level' THEN target_id END, "
            "CASE kind WHEN 'committee' THEN target_id END, "
            "CASE kind WHEN 'post' THEN target_id END, "
            "CASE kind WHEN 'person' THEN target_id END "
            f"FROM {source} WHERE owner_type = 'events.event'"
        )
        cursor.execute(f"DELETE FROM {source} WHERE owner_type = 'events.event'")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), [old]):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audience_rule"),
        ("events", "0005_move_notices_to_core_inbox"),
    ]

    operations = [
        migrations.RunPython(copy_rules, copy_rules_back),
        migrations.DeleteModel(name="AudienceRule"),
    ]
