"""A versioned field's files (core.storage.files, ``keeping="versioned"``), with a member's
logo as the record's field: every replaced file is kept, a removed one or one whose record
goes is in the trash, and only the retention job — never the quota — removes them."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from shanghui.core.models import StoredContent, StoredFile
from shanghui.core.storage.content import content_blocks, content_release, content_usage
from shanghui.core.storage.files import (
    file_attach,
    file_restore,
    file_store,
    file_versions,
    files_discard,
    files_expire,
)
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

HOLDER = "members.member.logo"


def _store(side: Side, data: bytes, name: str) -> StoredFile:
    return file_store(side.association, io.BytesIO(data), holder=HOLDER, name=name, by=side.admin)


def _read(side: Side, stored: StoredFile) -> bytes:
    return b"".join(content_blocks(side.association, stored.content))


def test_replacing_keeps_every_version_and_a_restore_adds_one(side_a: Side) -> None:
    member = side_a.member
    first, second = _store(side_a, b"first", "标志.png"), _store(side_a, b"second", "标志2.png")
    with tenant_context(side_a.association):
        file_attach(member, "logo", first)
        file_attach(member, "logo", second)
        versions = file_versions(member, "logo")
        assert [v.pk for v in versions] == [second.pk, first.pk]
        assert versions[1].replaced_at is not None and versions[0].replaced_at is None

        restored = file_restore(member, "logo", versions[1], by=side_a.admin)
        member.refresh_from_db()
        assert member.logo_id == restored.pk and restored.pk not in {first.pk, second.pk}
        # The same content, no new bytes; and history only grew.
        assert restored.content_id == first.content_id
        assert [v.pk for v in file_versions(member, "logo")] == [
            restored.pk,
            second.pk,
            first.pk,
        ]
    assert _read(side_a, restored) == b"first"


def test_a_removed_file_is_in_the_trash_until_the_retention_job(side_a: Side) -> None:
    member = side_a.member
    stored = _store(side_a, b"logo bytes", "标志.png")
    with tenant_context(side_a.association):
        file_attach(member, "logo", stored)
        file_attach(member, "logo", None)
        member.refresh_from_db()
        assert member.logo_id is None
        stored.refresh_from_db()
        assert stored.deleted_at is not None
    # The trash counts in the quota until purged, and is still readable.
    assert content_usage(side_a.association) == len(b"logo bytes")
    assert _read(side_a, stored) == b"logo bytes"

    # Not before DOCUMENTS_TRASH_DAYS (at least 30).
    assert files_expire(side_a.association, now=timezone.now() + timedelta(days=29)) == 0
    later = timezone.now() + timedelta(days=settings.DOCUMENTS_TRASH_DAYS, hours=1)
    assert files_expire(side_a.association, now=later) == 1
    content_release(side_a.association, now=later)
    content_release(side_a.association, now=later + timedelta(days=2))
    with tenant_context(side_a.association):
        assert not StoredContent.objects.exists()


def test_a_deleted_record_puts_its_files_and_versions_in_the_trash(side_a: Side) -> None:
    member = side_a.member
    with tenant_context(side_a.association):
        member_id = member.pk
    first, second = _store(side_a, b"a", "a.png"), _store(side_a, b"b", "b.png")
    with tenant_context(side_a.association):
        file_attach(member, "logo", first)
        file_attach(member, "logo", second)
        files_discard(member)
        assert not StoredFile.objects.filter(deleted_at__isnull=True).exists()
        assert StoredFile.objects.filter(record_id=str(member_id)).count() == 2
    # Content whose files are in the trash is not released.
    content_release(side_a.association, now=timezone.now() + timedelta(days=5))
    with tenant_context(side_a.association):
        assert StoredContent.objects.count() == 2


def test_another_associations_file_cannot_be_attached(side_a: Side, side_b: Side) -> None:
    stored = _store(side_b, b"theirs", "x.png")
    with tenant_context(side_a.association):
        # Not visible in this association's scope at all.
        assert not StoredFile.objects.filter(pk=stored.pk).exists()
        with pytest.raises(ValueError):
            file_attach(side_a.member, "logo", stored)
        side_a.member.refresh_from_db()
        assert side_a.member.logo_id is None
