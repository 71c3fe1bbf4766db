"""Article pictures and announcement attachments held in the content store (``StoredFile``):
an attachment removed — or its draft deleted — leaves its file in the trash; a file picked
from the document library shares the library's stored content; an article picture is served
verified, cached for a year under its current version; another association's picture or
attachment is a 404 whatever id is guessed."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from shanghui.core.models import StoredFile
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import PICTURE_CACHE_SECONDS, picture_version
from shanghui.publishing.models import Announcement, AnnouncementAttachment, Article
from shanghui.publishing.services import announcements as services
from shanghui.publishing.tests.announcement_factories import draft
from shanghui.publishing.tests.factories import article_make, cover_set, picture_make
from shanghui.testing.fixtures import Side, api_client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 the agenda"


def _attach(
    side: Side, announcement: Announcement, name: str = "议程.pdf"
) -> AnnouncementAttachment:
    with tenant_context(side.association):
        return services.attachment_add(
            association=side.association,
            actor=side.admin,
            announcement=announcement,
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        )


def _url(name: str, side: Side, **kwargs: object) -> str:
    return reverse(
        f"publishing:{name}", kwargs={"association_slug": side.association.slug, **kwargs}
    )


def _file(side: Side, file_id: int) -> StoredFile:
    with tenant_context(side.association):
        return StoredFile.objects.select_related("content").get(pk=file_id)


def test_an_attachment_is_held_in_the_content_store_and_removed_to_the_trash(
    side_a: Side, admin_a: Client
) -> None:
    announcement = draft(side_a.association, side_a.admin, reply_fields=[])
    attachment = _attach(side_a, announcement)
    assert attachment.file_id is not None and attachment.size == len(PDF)
    held = _file(side_a, attachment.file_id)
    assert held.holder == "publishing.announcementattachment.file"
    assert held.record_id == str(attachment.pk) and held.name == "议程.pdf"
    with tenant_context(side_a.association):
        assert [f.pk for f in file_versions(attachment, "file")] == [held.pk]
    download = admin_a.get(
        _url("office_announcement_attachment", side_a, announcement_id=announcement.pk,
             attachment_id=attachment.pk)
    )  # fmt: skip
    assert b"".join(download.streaming_content) == PDF
    admin_a.post(
        _url("office_announcement_detach", side_a, announcement_id=announcement.pk,
             attachment_id=attachment.pk)
    )  # fmt: skip
    with tenant_context(side_a.association):
        assert not AnnouncementAttachment.objects.filter(pk=attachment.pk).exists()
    trashed = _file(side_a, held.pk)  # kept, in the trash (until DOCUMENTS_TRASH_DAYS)
    assert trashed.deleted_at is not None and trashed.content_id == held.content_id


def test_deleting_a_draft_puts_its_attachments_files_in_the_trash(side_a: Side) -> None:
    announcement = draft(side_a.association, side_a.admin, reply_fields=[])
    first, second = _attach(side_a, announcement), _attach(side_a, announcement, "名单.pdf")
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/announcements/{announcement.pk}"
    assert api.delete(f"{base}/attachments/{second.pk}").status_code == 204
    assert api.delete(base).status_code == 204
    with tenant_context(side_a.association):
        assert not Announcement.objects.filter(pk=announcement.pk).exists()
    for attachment in (first, second):
        assert attachment.file_id is not None
        assert _file(side_a, attachment.file_id).deleted_at is not None


def test_a_library_file_attached_shares_the_librarys_stored_content(
    side_a: Side, admin_a: Client
) -> None:
    import io

    from shanghui.documents.services import files as file_services
    from shanghui.documents.services import folders as folder_services

    with tenant_context(side_a.association):
        version = file_services.file_upload(
            association=side_a.association,
            actor=side_a.admin,
            folder=folder_services.root_folder(side_a.association),
            name="年检材料清单.pdf",
            source=io.BytesIO(PDF + b" list"),
        )
    announcement = draft(side_a.association, side_a.admin, reply_fields=[])
    base = f"/api/v1/associations/{side_a.association.slug}/announcements/{announcement.pk}"
    created = admin_a.post(f"{base}/attachments?library_file_id={version.file.pk}")
    assert created.status_code == 201, created.content
    with tenant_context(side_a.association):
        attachment = AnnouncementAttachment.objects.get(pk=created.json()["id"])
    assert attachment.file_id is not None
    held = _file(side_a, attachment.file_id)
    # The same stored content as the library's version: nothing stored twice, no quota used.
    assert held.content_id == version.content_id and held.name == "年检材料清单.pdf"


def test_an_article_picture_is_served_verified_and_cached_for_a_year_by_version(
    side_a: Side,
) -> None:
    a = side_a.association
    image = picture_make(a, side_a.admin)
    article = article_make(a, side_a.admin, title="公开", audience=Article.Audience.PUBLIC)
    cover_set(a, side_a.admin, article, image)
    assert image.file_id is not None
    path = f"/a/{a.slug}/news/images/{image.pk}/picture/"
    version = picture_version(image.file_id)
    fresh = Client().get(f"{path}?size=full&v={version}")
    assert fresh.status_code == 200 and fresh["Content-Type"] == "image/jpeg"
    assert fresh["Cache-Control"] == f"public, max-age={PICTURE_CACHE_SECONDS}, immutable"
    held = _file(side_a, image.file_id)
    with tenant_context(a):
        from shanghui.core.storage.content import content_blocks

        assert fresh.content == b"".join(content_blocks(a, held.content))
    stale = Client().get(f"{path}?size=full&v=0123456789")
    assert stale.status_code == 200 and stale["Cache-Control"] == "public, max-age=300"
    # The page embeds the current version.
    page = Client().get(f"/a/{a.slug}/news/{article.pk}/").content.decode()
    assert f"{path}?v={version}" in page or f"{path}?size=screen&amp;v={version}" in page
    # Bytes that no longer match their checksum are never served.
    stored = Path(settings.CONTENT_ROOT) / held.content.key
    stored.write_bytes(b"\xff\xd8\xff" + stored.read_bytes()[3:][::-1])
    assert Client().get(f"{path}?size=full&v={version}").status_code == 404


def test_another_associations_picture_and_attachment_are_404(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    b = side_b.association
    theirs = picture_make(b, side_b.admin)
    public = article_make(b, side_b.admin, title="乙方公开", audience=Article.Audience.PUBLIC)
    cover_set(b, side_b.admin, public, theirs)
    assert Client().get(f"/a/{b.slug}/news/images/{theirs.pk}/picture/").status_code == 200
    # Under A's slug, B's picture id names nothing — for anyone, A's administrator included.
    a_path = f"/a/{side_a.association.slug}/news/images/{theirs.pk}/picture/?size=full"
    assert Client().get(a_path).status_code == 404
    assert admin_a.get(a_path).status_code == 404
    # B's attachment id on A's draft, on the page and through the API.
    mine = draft(side_a.association, side_a.admin, reply_fields=[])
    their_attachment = _attach(side_b, draft(b, side_b.admin, reply_fields=[]))
    page = _url("office_announcement_attachment", side_a, announcement_id=mine.pk,
                attachment_id=their_attachment.pk)  # fmt: skip
    assert admin_a.get(page).status_code == 404
    api = f"/api/v1/associations/{side_a.association.slug}/announcements/{mine.pk}"
    assert admin_a.get(f"{api}/attachments/{their_attachment.pk}").status_code == 404
    assert admin_a.delete(f"{api}/attachments/{their_attachment.pk}").status_code == 404
    assert their_attachment.file_id is not None
    assert _file(side_b, their_attachment.file_id).deleted_at is None


def test_a_full_storage_quota_refuses_an_attachment_and_a_picture_on_their_forms(
    side_a: Side, admin_a: Client, settings: Any
) -> None:
    from shanghui.testing.pictures import photo_like

    settings.STORAGE_QUOTA_DEFAULT = 10  # bytes: nothing new fits
    a = side_a.association
    announcement = draft(a, side_a.admin, reply_fields=[])
    pdf = SimpleUploadedFile("安排.pdf", PDF, content_type="application/pdf")
    page = admin_a.post(
        _url("office_announcement_attach", side_a, announcement_id=announcement.pk),
        {"file": pdf},
        follow=True,
    ).content.decode()
    assert "资料库空间不足" in page
    article = article_make(a, side_a.admin, title="配图", publish=False)
    picture = SimpleUploadedFile("p.jpg", photo_like(side=200), "image/jpeg")
    page = admin_a.post(
        f"/a/{a.slug}/office/news/{article.pk}/images/",
        {"image": picture, "use": "body"},
        follow=True,
    ).content.decode()
    assert "资料库空间不足" in page
    with tenant_context(a):
        assert not AnnouncementAttachment.objects.filter(announcement=announcement).exists()
        assert not StoredFile.objects.filter(association=a).exists()
        article.refresh_from_db()
    assert "<img" not in article.body
