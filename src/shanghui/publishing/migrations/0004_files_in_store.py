"""Article pictures and announcement attachments move into the content store
(``core.StoredFile``, issue 17): each field becomes a ``StoredFileField`` and the files it
named are adopted by ``core.storage.adopt.files_adopt`` (the old files are left in place),
an attachment's file keeping the name it was uploaded with.
A picture's version (``?v=`` in its address) is now made from its stored file's id, so the
addresses the articles already embed — their bodies, revisions, and the portal's covers —
are given the new version: the old one would still be served, but only cached briefly."""

import hashlib
import re

import django.db.models.deletion
from django.db import migrations

import shanghui.core.storage.fields
from shanghui.core.storage.adopt import files_adopt
from shanghui.core.storage.names import display_name


def adopt_files(apps, schema_editor):
    files_adopt(apps, model="publishing.ArticleImage", old="file_legacy", new="file")
    files_adopt(apps, model="publishing.AnnouncementAttachment", old="file_legacy", new="file")
    # An attachment is downloaded under its stored file's name: the name it was uploaded
    # with, as the attachment kept it — not the storage's key (spaces and brackets dropped).
    AnnouncementAttachment = apps.get_model("publishing", "AnnouncementAttachment")
    StoredFile = apps.get_model("core", "StoredFile")
    rows = AnnouncementAttachment._base_manager.filter(file__isnull=False)
    for file_id, name in rows.values_list("file_id", "name").iterator():
        StoredFile._base_manager.filter(pk=file_id).update(name=display_name(name))


# An article picture's address as publishing.pictures.image_url gives it, up to its version.
PICTURE_ADDRESS = re.compile(
    r"(/a/(?P<slug>[A-Za-z0-9_-]+)/news/images/(?P<id>\d+)/picture/"
    r"\?(?:[^\"'\s<>]*?(?:&amp;|&))?v=)[0-9a-f]*"
)


def _version(file_id):
    """core.uploads.picture_version of a stored file's id, as it was written."""
    if not file_id:
        return ""
    return hashlib.blake2s(f"f{file_id}".encode(), digest_size=5).hexdigest()


def refresh_versions(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    ArticleImage = apps.get_model("publishing", "ArticleImage")
    Article = apps.get_model("publishing", "Article")
    ArticleRevision = apps.get_model("publishing", "ArticleRevision")
    PortalNewsItem = apps.get_model("publishing", "PortalNewsItem")
    slugs = dict(Association.objects.values_list("pk", "slug"))
    files = {
        (association_id, image_id): file_id
        for image_id, association_id, file_id in ArticleImage.objects.values_list(
            "pk", "association_id", "file_id"
        )
    }

    def refreshed(association_id, text):
        def one(match):
            if match["slug"] != slugs.get(association_id):
                return match[0]
            return match[1] + _version(files.get((association_id, int(match["id"]))))

        return PICTURE_ADDRESS.sub(one, text)

    for Model, field in (
        (Article, "body"),
        (ArticleRevision, "body"),
        (PortalNewsItem, "cover_url"),
    ):
        rows = Model.objects.filter(**{f"{field}__contains": "/picture/?"})
        for pk, association_id, text in rows.values_list("pk", "association_id", field).iterator():
            new = refreshed(association_id, text)
            if new != text:
                Model.objects.filter(pk=pk).update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_stored_files"),
        ("publishing", "0003_picture_uses"),
    ]

    operations = [
        migrations.RenameField(model_name="articleimage", old_name="file", new_name="file_legacy"),
        migrations.AddField(
            model_name="articleimage",
            name="file",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="图片",
            ),
        ),
        migrations.RenameField(
            model_name="announcementattachment", old_name="file", new_name="file_legacy"
        ),
        migrations.AddField(
            model_name="announcementattachment",
            name="file",
            field=shanghui.core.storage.fields.StoredFileField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.storedfile",
                verbose_name="附件",
            ),
        ),
        migrations.RunPython(adopt_files, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(refresh_versions, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField(model_name="articleimage", name="file_legacy"),
        migrations.RemoveField(model_name="announcementattachment", name="file_legacy"),
    ]
