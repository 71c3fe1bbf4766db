"""The association's logo and banner and an onboarding application's registration
certificate move into the content store (``core.storage.adopt``): each a ``StoredFileField``
(versioned) holding a ``core.StoredFile`` of the association — the applying one's, for a
certificate."""

import django.db.models.deletion
from django.db import migrations, models

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt


def adopt_files(apps, schema_editor):
    for name in ("logo", "banner"):
        files_adopt(
            apps,
            model="associations.Association",
            old=f"{name}_legacy",
            new=name,
            association="id",
        )
    files_adopt(
        apps,
        model="associations.OnboardingApplication",
        old="certificate_legacy",
        new="certificate",
    )


def stored_file_field(verbose_name):
    return shanghui.core.storage.fields.StoredFileField(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="core.storedfile",
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0003_storage_quota"),
        ("core", "0013_stored_files"),
    ]

    operations = [
        # Blank, so that the migration can be rolled back over existing rows (the column it
        # adds back is filled with "" — the files themselves stay where they were).
        migrations.AlterField(
            model_name="onboardingapplication",
            name="certificate",
            field=models.FileField(
                blank=True, upload_to="onboarding/%Y/%m/", verbose_name="社会团体法人登记证书"
            ),
        ),
        migrations.RenameField(model_name="association", old_name="logo", new_name="logo_legacy"),
        migrations.RenameField(
            model_name="association", old_name="banner", new_name="banner_legacy"
        ),
        migrations.RenameField(
            model_name="onboardingapplication",
            old_name="certificate",
            new_name="certificate_legacy",
        ),
        migrations.AddField(model_name="association", name="logo", field=stored_file_field("标志")),
        migrations.AddField(
            model_name="association", name="banner", field=stored_file_field("横幅图片")
        ),
        migrations.AddField(
            model_name="onboardingapplication",
            name="certificate",
            field=stored_file_field("社会团体法人登记证书"),
        ),
        migrations.RunPython(adopt_files, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="association", name="logo_legacy"),
        migrations.RemoveField(model_name="association", name="banner_legacy"),
        migrations.RemoveField(model_name="onboardingapplication", name="certificate_legacy"),
    ]
