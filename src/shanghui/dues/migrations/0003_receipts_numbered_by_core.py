"""receipts_numbered_by_core: receipt numbers (收据编号) come from ``core.numbering`` now. Every
``dues.ReceiptSequence`` row becomes the association's ``core.NumberSeries`` of kind
"dues.receipt" for that year with the same ``last_number``, so numbering continues without a
gap or a repeat; then the old table goes.

One ``INSERT … SELECT``, on SQLite and PostgreSQL alike. The migrating role sees every
association's rows (``core.rls.ensure_app_role`` insists on BYPASSRLS); the new table's policy
is created by the post-migrate hook like every tenant table's."""

from typing import Any

from django.db import migrations

KIND = "dues.receipt"


def copy_sequences(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("dues", "ReceiptSequence")
    new = apps.get_model("core", "NumberSeries")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(old._meta.db_table), quote(new._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (association_id, kind, year, last_number) "  # noqa: S608
            f"SELECT association_id, %s, year, last_number FROM {source}",
            [KIND],
        )


def copy_sequences_back(apps: Any, schema_editor: Any) -> None:
    """Backwards: the receipt series return to the recreated table and leave core's."""
    old = apps.get_model("dues", "ReceiptSequence")
    new = apps.get_model("core", "NumberSeries")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    source, target = quote(new._meta.db_table), quote(old._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (association_id, year, last_number) "  # noqa: S608
            f"SELECT association_id, year, last_number FROM {source} WHERE kind = %s",
            [KIND],
        )
        cursor.execute(f"DELETE FROM {source} WHERE kind = %s", [KIND])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0015_number_series"),
        ("dues", "0002_money_checks"),
    ]

    operations = [
        migrations.RunPython(copy_sequences, copy_sequences_back),
        migrations.DeleteModel(
            name="ReceiptSequence",
        ),
    ]
