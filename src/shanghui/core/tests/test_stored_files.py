"""Files other modules' records hold (core.storage.files, core.storage.adopt): stored outside
the record's transaction, attached, expired and released — here with the field core owns,
a job's result (``keeping="expiring"``); the versioned fields are tested with their modules
and in test_stored_file_versions.py."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.utils import timezone

from shanghui.core.jobs import job_finish
from shanghui.core.models import Job, StoredContent, StoredFile
from shanghui.core.storage.adopt import file_adopt
from shanghui.core.storage.content import content_blocks, content_release
from shanghui.core.storage.files import file_attach, file_store, files_expire, holder_field
from shanghui.core.storage.maintenance import picture_cache_sweep
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import image_normalized, picture_put, picture_variant
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db

HOLDER = "core.job.result_file"
PHOTO = "members.person.photo"  # keeping="replaced"


def _job(side: Side) -> Job:
    with tenant_context(side.association):
        return Job.objects.create(
            association=side.association, owner=side.admin, kind="members.export", label="导出"
        )


def _files(side: Side) -> list[StoredFile]:
    with tenant_context(side.association):
        return list(StoredFile.objects.order_by("pk"))


def test_a_finished_job_holds_its_result_as_a_stored_file(side_a: Side) -> None:
    job = _job(side_a)
    job_finish(job, message="完成", filename="会员名册.xlsx", content=b"PK\x03\x04 rows")
    with tenant_context(side_a.association):
        job.refresh_from_db()
        stored = job.result_file
        assert stored is not None
        assert stored.name == "会员名册.xlsx"
        assert stored.holder == HOLDER and stored.record_id == str(job.pk)
        # An export holds phone lists: it expires after TASK_RETENTION_DAYS.
        assert stored.expires_at is not None and stored.expires_at > timezone.now()
        data = b"".join(content_blocks(side_a.association, stored.content))
    assert data == b"PK\x03\x04 rows"
    assert stored.content.key.startswith(f"a/{side_a.association.pk}/")


def test_a_replaced_expiring_file_is_gone_not_kept(side_a: Side) -> None:
    job = _job(side_a)
    first = file_store(side_a.association, io.BytesIO(b"one"), holder=HOLDER, name="1.xlsx")
    second = file_store(side_a.association, io.BytesIO(b"two"), holder=HOLDER, name="2.xlsx")
    with tenant_context(side_a.association):
        file_attach(job, "result_file", first)
        file_attach(job, "result_file", second)
        job.refresh_from_db()
        assert job.result_file_id == second.pk
    assert [f.pk for f in _files(side_a)] == [second.pk]


def test_a_file_is_attached_once_and_only_to_its_own_field(side_a: Side) -> None:
    job, other = _job(side_a), _job(side_a)
    stored = file_store(side_a.association, io.BytesIO(b"x"), holder=HOLDER, name="a.xlsx")
    with tenant_context(side_a.association):
        file_attach(job, "result_file", stored)
        with pytest.raises(ValueError):
            file_attach(other, "result_file", stored)
        other.refresh_from_db()
        assert other.result_file_id is None
    for unknown in ("core.job.label", "core.job.no_such_field", "core.job", "gone.model.f"):
        with pytest.raises(LookupError):
            holder_field(unknown)


def test_expiry_empties_the_field_and_release_removes_the_content(side_a: Side) -> None:
    job = _job(side_a)
    job_finish(job, message="完成", filename="名册.xlsx", content=b"phones")
    with tenant_context(side_a.association):
        job.refresh_from_db()
        content = job.result_file.content  # type: ignore[union-attr]
        # The record's key keeps the file from being removed behind it.
        with pytest.raises(ProtectedError):
            StoredFile.objects.filter(pk=job.result_file_id).delete()

    assert files_expire(side_a.association) == 0  # not yet due
    later = timezone.now() + timedelta(days=30)
    assert files_expire(side_a.association, now=later) == 1
    with tenant_context(side_a.association):
        job.refresh_from_db()
        assert job.result_file_id is None
    content_release(side_a.association, now=later)
    content_release(side_a.association, now=later + timedelta(days=2))
    with tenant_context(side_a.association):
        assert not StoredContent.objects.filter(pk=content.pk).exists()


def test_a_file_never_attached_is_removed_a_day_later(side_a: Side) -> None:
    file_store(side_a.association, io.BytesIO(b"left"), holder=HOLDER, name="left.xlsx")
    assert files_expire(side_a.association) == 0
    assert files_expire(side_a.association, now=timezone.now() + timedelta(days=2)) == 1
    assert _files(side_a) == []


def test_expiry_of_one_association_leaves_the_other_alone(side_a: Side, side_b: Side) -> None:
    for side in (side_a, side_b):
        job_finish(_job(side), message="完成", filename="x.xlsx", content=b"x")
    assert files_expire(side_a.association, now=timezone.now() + timedelta(days=30)) == 1
    assert len(_files(side_b)) == 1


def test_adoption_moves_a_legacy_file_into_the_association_namespace(side_a: Side) -> None:
    name = default_storage.save("jobs/2026/01/名册.xlsx", ContentFile(b"legacy bytes"))
    try:
        with tenant_context(side_a.association):
            stored_id = file_adopt(
                StoredContent,
                StoredFile,
                association_id=side_a.association.pk,
                name=name,
                holder=HOLDER,
                record_id="42",
            )
            again = file_adopt(
                StoredContent,
                StoredFile,
                association_id=side_a.association.pk,
                name=name,
                holder=HOLDER,
                record_id="43",
            )
            assert stored_id is not None and again is not None
            stored = StoredFile.objects.select_related("content").get(pk=stored_id)
            # The same bytes are one content, checksummed, under a/<id>/.
            assert StoredFile.objects.get(pk=again).content_id == stored.content_id
            assert StoredContent.objects.count() == 1
        assert stored.name.endswith(".xlsx") and stored.record_id == "42"
        assert stored.content.key.startswith(f"a/{side_a.association.pk}/")
        assert b"".join(content_blocks(side_a.association, stored.content)) == b"legacy bytes"
        # The old file stays where it was until the operator removes the old media.
        assert default_storage.exists(name)
    finally:
        default_storage.delete(name)


def test_adoption_of_a_missing_file_makes_nothing(side_a: Side) -> None:
    with tenant_context(side_a.association):
        assert (
            file_adopt(
                StoredContent,
                StoredFile,
                association_id=side_a.association.pk,
                name="jobs/2026/01/gone.xlsx",
                holder=HOLDER,
                record_id="1",
            )
            is None
        )
        assert not StoredFile.objects.exists()


def test_a_replaced_photos_thumbnail_leaves_the_cache_with_its_content(side_a: Side) -> None:
    """A person's own photo is gone when replaced — its smaller copies too, the night its
    content is released (``prune_uploads``, on every app server)."""
    person, association = side_a.person, side_a.association
    old, new = (
        picture_put(association, ContentFile(photo_like(seed), name="p.jpg"), holder=PHOTO)
        for seed in (1, 2)
    )
    with tenant_context(association):
        old = StoredFile.objects.select_related("content").get(pk=old.pk)
        thumb = picture_variant(association, old, "thumb")
        file_attach(person, "photo", old)
        file_attach(person, "photo", new)
        assert not StoredFile.objects.filter(pk=old.pk).exists()  # not kept as a version
    assert thumb.exists()
    assert picture_cache_sweep(association) == 0  # its content is not released yet
    later = timezone.now() + timedelta(days=2)
    content_release(association, now=later)
    content_release(association, now=later + timedelta(days=2))
    assert picture_cache_sweep(association) == 1
    assert not thumb.exists()
    with tenant_context(association):  # the current photo's thumbnail stays
        current = StoredFile.objects.select_related("content").get(pk=new.pk)
    assert picture_variant(association, current, "thumb").exists()


def test_a_picture_keeps_the_name_it_was_uploaded_under(side_a: Side) -> None:
    """Listed among versions and the trash under the person's name for it, with the
    extension of what it was re-encoded to."""
    upload = SimpleUploadedFile("C:\\照片\\龚志军 证件照.JPG", photo_like(3), "image/jpeg")
    picture = image_normalized(upload, field="photo")
    stored = picture_put(side_a.association, picture, holder=PHOTO)
    assert stored.name == "龚志军 证件照.jpg"
