"""move_notices_to_core_inbox: the events' in-app notices become the notification center's
inbox (``core.InboxMessage``), keeping their ids (the API's clients may hold them), their read
state and the event each is about (``target_type`` "events.event", ``target_id``).

One ``INSERT … SELECT``, on SQLite and PostgreSQL alike. The migrating role sees every
association's rows (``core.rls.ensure_app_role`` insists on BYPASSRLS), and the new table's
policy is created by the post-migrate hook like every tenant table's. On PostgreSQL the id
sequence is moved past the copied ids."""

from typing import Any

from django.core.management.color import no_style
from django.db import migrations


def copy_notices(apps: Any, schema_editor: Any) -> None:
    notice = apps.get_model("events", "Notice")
    inbox = apps.get_model("core", "InboxMessage")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(notice._meta.db_table), quote(inbox._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (id, association_id, user_id, target_type, target_id, "  # noqa: S608
            "subject, text, created_at, read_at) "
            "SELECT id, association_id, user_id, "
            "CASE WHEN event_id IS NULL THEN '' ELSE 'events.event' END, event_id, "
            f"subject, text, created_at, read_at FROM {source}"
        )
        for statement in connection.ops.sequence_reset_sql(no_style(), [inbox]):
            cursor.execute(statement)


def copy_notices_back(apps: Any, schema_editor: Any) -> None:
    """Backwards: the events' messages return to the recreated ``Notice`` table (its subject
    holds 40 characters) and leave the inbox, so that going forward again finds it empty."""
    notice = apps.get_model("events", "Notice")
    inbox = apps.get_model("core", "InboxMessage")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(inbox._meta.db_table), quote(notice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (id, association_id, user_id, event_id, "  # noqa: S608
            "subject, text, created_at, read_at) "
            "SELECT id, association_id, user_id, "
            "CASE WHEN target_type = 'events.event' THEN target_id END, "
            f"SUBSTR(subject, 1, 40), text, created_at, read_at FROM {source}"
        )
        cursor.execute(f"DELETE FROM {source}")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), [notice]):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_inbox_message"),
        ("events", "0004_idempotency_request_fingerprint"),
    ]

    operations = [
        migrations.RunPython(copy_notices, copy_notices_back),
        migrations.DeleteModel(name="Notice"),
    ]
