"""Files other modules' records hold (``core.StoredFile``), and the first of them moved into
the content store: a job's result (``core.storage.adopt``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt


def adopt_job_results(apps, schema_editor):
    files_adopt(
        apps, model="core.Job", old="result_file_legacy", new="result_file", keeping="expiring"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_storage_quota"),
        ("core", "0012_outbox_claimed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("holder", models.CharField(max_length=100)),
                ("record_id", models.CharField(blank=True, max_length=40)),
                ("name", models.CharField(max_length=255)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("replaced_at", models.DateTimeField(blank=True, null=True)),
                ("deleted_at", models.DateTimeField(blank=True, null=True)),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                (
                    "association",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="associations.association",
                    ),
                ),
                (
                    "content",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="core.storedcontent",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["association", "holder", "record_id"], name="storedfile_record"
                    ),
                    models.Index(
                        condition=models.Q(("deleted_at__isnull", False)),
                        fields=["association", "deleted_at"],
                        name="storedfile_trash",
                    ),
                    models.Index(
                        condition=models.Q(("expires_at__isnull", False)),
                        fields=["association", "expires_at"],
                        name="storedfile_expiry",
                    ),
                ],
            },
        ),
        migrations.RenameField(
            model_name="job", old_name="result_file", new_name="result_file_legacy"
        ),
        migrations.AddField(
            model_name="job",
            name="result_file",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                keeping="expiring",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
            ),
        ),
        migrations.RunPython(adopt_job_results, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="job", name="result_file_legacy"),
    ]
