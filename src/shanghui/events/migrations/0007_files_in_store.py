"""An event's cover and its documents move into the content store (``core.StoredFile``,
``core.storage.adopt``): both are versioned — a replaced cover is kept as a version, a
deleted document goes to the trash."""

from typing import Any

import django.db.models.deletion
from django.db import migrations

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt


def adopt_covers(apps: Any, schema_editor: Any) -> None:
    files_adopt(apps, model="events.Event", old="cover_legacy", new="cover", keeping="versioned")


def adopt_documents(apps: Any, schema_editor: Any) -> None:
    files_adopt(
        apps, model="events.EventDocument", old="file_legacy", new="file", keeping="versioned"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_move_audience_rules_to_core"),
        ("core", "0013_stored_files"),
    ]

    operations = [
        migrations.RenameField(model_name="event", old_name="cover", new_name="cover_legacy"),
        migrations.AddField(
            model_name="event",
            name="cover",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="封面图片",
            ),
        ),
        migrations.RenameField(model_name="eventdocument", old_name="file", new_name="file_legacy"),
        migrations.AddField(
            model_name="eventdocument",
            name="file",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="文件",
            ),
        ),
        migrations.RunPython(adopt_covers, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(adopt_documents, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="event", name="cover_legacy"),
        migrations.RemoveField(model_name="eventdocument", name="file_legacy"),
    ]
