"""The members app's documents move into the content store (``core.storage.adopt``): an
application's business licence (kept as versions when re-uploaded), and a member import's
source file and error report (expiring: they hold phone lists)."""

import django.db.models.deletion
from django.db import migrations

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt


def adopt_licences(apps, schema_editor):
    files_adopt(apps, model="members.MembershipApplication", old="licence_legacy", new="licence")


def adopt_import_files(apps, schema_editor):
    for name in ("source_file", "error_report"):
        files_adopt(
            apps,
            model="members.MemberImport",
            old=f"{name}_legacy",
            new=name,
            keeping="expiring",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_stored_files"),
        ("members", "0015_pictures_in_store"),
    ]

    operations = [
        migrations.RenameField(
            model_name="membershipapplication", old_name="licence", new_name="licence_legacy"
        ),
        migrations.AddField(
            model_name="membershipapplication",
            name="licence",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="营业执照",
            ),
        ),
        migrations.RenameField(
            model_name="memberimport", old_name="source_file", new_name="source_file_legacy"
        ),
        migrations.AddField(
            model_name="memberimport",
            name="source_file",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                keeping="expiring",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="导入文件",
            ),
        ),
        migrations.RenameField(
            model_name="memberimport", old_name="error_report", new_name="error_report_legacy"
        ),
        migrations.AddField(
            model_name="memberimport",
            name="error_report",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                keeping="expiring",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="错误报告",
            ),
        ),
        migrations.RunPython(adopt_licences, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(adopt_import_files, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="membershipapplication", name="licence_legacy"),
        migrations.RemoveField(model_name="memberimport", name="source_file_legacy"),
        migrations.RemoveField(model_name="memberimport", name="error_report_legacy"),
    ]
