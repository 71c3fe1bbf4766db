"""Members' logos and people's photos moved into the content store (``core.storage.adopt``):
a logo keeps its versions from now on, a person's photo is gone when replaced."""

import django.db.models.deletion
from django.db import migrations

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt


def adopt_pictures(apps, schema_editor):
    files_adopt(apps, model="members.Member", old="logo_legacy", new="logo")
    files_adopt(apps, model="members.Person", old="photo_legacy", new="photo", keeping="replaced")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_member_showcase"),
        ("core", "0013_stored_files"),
    ]

    operations = [
        migrations.RenameField(model_name="member", old_name="logo", new_name="logo_legacy"),
        migrations.RenameField(model_name="person", old_name="photo", new_name="photo_legacy"),
        migrations.AddField(
            model_name="member",
            name="logo",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="企业标志",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="photo",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                keeping="replaced",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="照片",
            ),
        ),
        migrations.RunPython(adopt_pictures, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="member", name="logo_legacy"),
        migrations.RemoveField(model_name="person", name="photo_legacy"),
    ]
