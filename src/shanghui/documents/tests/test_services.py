"""The library's services: versions, trash, restore, purge, retention, visibility, search,
zips — against the real content store."""

import io
import threading
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.http import Http404
from django.test import Client
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.core.audience import AudienceChoice
from shanghui.core.models import AuditEntry, StoredContent
from shanghui.core.storage.content import content_release
from shanghui.core.tenancy import tenant_context
from shanghui.documents import selectors
from shanghui.documents.models import DriveFile, FileVersion, Folder
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.members.audience import PERSON
from shanghui.testing.factories import PersonFactory
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db


def _upload(side: Side, folder: Folder, name: str, data: bytes) -> FileVersion:
    return file_services.file_upload(
        association=side.association,
        actor=side.admin,
        folder=folder,
        name=name,
        source=io.BytesIO(data),
    )


def _read(side: Side, version: FileVersion) -> bytes:
    response = file_services.version_response(side.association, version.file, version)
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def _role(side: Side, user: object) -> Role:
    with tenant_context(side.association):
        return Role.objects.get(association=side.association, user=user)


def test_overwrite_restore_delete_and_restore_from_trash(side_a: Side) -> None:
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        first = _upload(side_a, root, "2026年会员大会纪要.txt", "第一稿纪要".encode())
        second = _upload(side_a, root, "2026年会员大会纪要.txt", "第二稿纪要，更长一些".encode())
        assert (first.number, second.number) == (1, 2)
        assert first.file_id == second.file_id
        file = DriveFile.objects.get(pk=first.file_id)
        assert file.current_id == second.pk and file.size == len("第二稿纪要，更长一些".encode())
        restored = file_services.version_restore(
            association=side_a.association, actor=side_a.admin, file=file, version=first
        )
        assert restored.number == 3 and restored.restored_from == 1
        assert restored.content_id == first.content_id  # the same bytes, stored once
        file_services.file_delete(association=side_a.association, actor=side_a.admin, file=file)
        view = selectors.folder_view(
            association=side_a.association, role=_role(side_a, side_a.admin), user=side_a.admin
        )
        with pytest.raises(Http404):
            selectors.access_file(association=side_a.association, view=view, file_id=file.pk)
        # Another file takes the name meanwhile; the restored one gets a free name.
        _upload(side_a, root, "2026年会员大会纪要.txt", "别人的文件".encode())
        file.refresh_from_db()
        file_services.file_restore(association=side_a.association, actor=side_a.admin, file=file)
        assert file.name == "2026年会员大会纪要 (2).txt"
        back = selectors.access_file(association=side_a.association, view=view, file_id=file.pk)
        assert _read(side_a, back.current) == "第一稿纪要".encode()
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "documents.file.upload",
        "documents.version.restore",
        "documents.file.delete",
        "documents.file.restore",
    } <= actions


def test_bad_uploads_are_refused_and_change_nothing(side_a: Side) -> None:
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        cases = {
            "../../etc/passwd": b"x",
            "a/b.pdf": b"%PDF",
            "报告\x07.pdf": b"%PDF",
            "空文件.pdf": b"",
            "安装程序.exe": b"MZ\x90\x00",
            "看起来是文档.pdf": b"MZ\x90\x00 a program",
            "脚本.bat": b"echo hi",
        }
        for name, data in cases.items():
            with pytest.raises(ValidationError) as refused:
                _upload(side_a, root, name, data)
            assert "file" in refused.value.message_dict, name
        side_a.association.storage_quota = 10
        with pytest.raises(ValidationError) as refused:
            _upload(side_a, root, "大文件.pdf", b"%PDF-1.4" + b"0" * 100)
        assert "资料库空间不足" in refused.value.message_dict["file"][0]
        assert not DriveFile.objects.exists()
        assert not StoredContent.objects.exists()


@pytest.mark.postgres_only(
    reason="SQLite's test database is in memory, one writer at a time: IMMEDIATE transactions "
    "serialize the two uploads there by construction"
)
@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_name_at_once_become_two_versions(side_a: Side) -> None:
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def upload(data: bytes) -> None:
        try:
            start.wait()
            with tenant_context(side_a.association):
                _upload(side_a, root, "会员名册.txt", data)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=upload, args=(f"第{i}版名册".encode() * 500,)) for i in (1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with tenant_context(side_a.association):
        file = DriveFile.objects.get()
        numbers = sorted(FileVersion.objects.filter(file=file).values_list("number", flat=True))
        assert numbers == [1, 2]
        assert file.version_count == 2


def test_folder_audiences(side_a: Side) -> None:
    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        office = folder_services.folder_create(
            association=association, actor=side_a.admin, parent=root, name="财务资料"
        )
        everyone = folder_services.folder_create(
            association=association,
            actor=side_a.admin,
            parent=root,
            name="会员学习资料",
            audience=Folder.Audience.MEMBERS,
        )
        inner_office = folder_services.folder_create(
            association=association,
            actor=side_a.admin,
            parent=everyone,
            name="内部",
            audience=Folder.Audience.STAFF,
        )
        council = folder_services.folder_create(
            association=association, actor=side_a.admin, parent=root, name="理事会文件"
        )
        other = PersonFactory(association=association, name="刘理事")
        folder_services.folder_update(
            association=association,
            actor=side_a.admin,
            folder=council,
            audience=Folder.Audience.RULES,
            audience_choices=[AudienceChoice(kind=PERSON, target_ids=[other.pk])],
        )
        member_role = _role(side_a, side_a.member_user)
        seen = selectors.folder_view(
            association=association, role=member_role, user=side_a.member_user
        ).visible
        assert everyone.pk in seen
        assert office.pk not in seen and inner_office.pk not in seen and council.pk not in seen
        folder_services.folder_update(
            association=association,
            actor=side_a.admin,
            folder=council,
            audience=Folder.Audience.RULES,
            audience_choices=[AudienceChoice(kind=PERSON, target_ids=[other.pk, side_a.person.pk])],
        )
        seen = selectors.folder_view(
            association=association, role=member_role, user=side_a.member_user
        ).visible
        assert council.pk in seen
        staff = selectors.folder_view(
            association=association, role=_role(side_a, side_a.admin), user=side_a.admin
        ).visible
        assert {office.pk, everyone.pk, inner_office.pk, council.pk} <= staff
        # A folder in the trash hides what is inside it.
        folder_services.folder_delete(association=association, actor=side_a.admin, folder=everyone)
        staff = selectors.folder_view(
            association=association, role=_role(side_a, side_a.admin), user=side_a.admin
        ).visible
        assert everyone.pk not in staff and inner_office.pk not in staff


def test_another_associations_ids_are_not_found(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_b.association):
        root_b = folder_services.root_folder(side_b.association)
        version_b = _upload(side_b, root_b, "乙方合同.pdf", b"%PDF-1.4 b")
    with tenant_context(side_a.association):
        view = selectors.folder_view(
            association=side_a.association, role=_role(side_a, side_a.admin), user=side_a.admin
        )
        with pytest.raises(Http404):
            selectors.access_file(
                association=side_a.association, view=view, file_id=version_b.file_id
            )
        with pytest.raises(Http404):
            selectors.access_folder(association=side_a.association, view=view, folder_id=root_b.pk)
        with pytest.raises(Http404):
            selectors.access_trashed_file(association=side_a.association, file_id=version_b.file_id)


def test_search_by_characters_pinyin_initials_and_traditional(side_a: Side) -> None:
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        _upload(side_a, root, "营业执照副本.pdf", b"%PDF-1.4 licence")
        _upload(side_a, root, "会费收据.pdf", b"%PDF-1.4 receipt")
        view = selectors.folder_view(
            association=side_a.association, role=_role(side_a, side_a.admin), user=side_a.admin
        )
        for query in ("执照", "yingye", "yyzz", "營業執照", "ＹＹＺＺ"):
            names = [
                f.name
                for f in selectors.search(association=side_a.association, view=view, query=query)
            ]
            assert names == ["营业执照副本.pdf"], query
        assert not selectors.search(association=side_a.association, view=view, query="_")


def test_trash_is_kept_30_days_then_expires_and_content_is_released(side_a: Side) -> None:
    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        version = _upload(side_a, root, "旧照片.jpg", b"\xff\xd8\xff old photo")
        file = version.file
        file_services.file_delete(association=association, actor=side_a.admin, file=file)
        key = StoredContent.objects.get().key
    path = Path(settings.CONTENT_ROOT) / key
    with tenant_context(association):
        assert (
            file_services.trash_expire(
                association=association, now=timezone.now() + timedelta(days=29)
            )
            == 0
        )
        # Quota pressure never removes anything.
        assert content_release(association) == 0 and path.exists()
        assert DriveFile.objects.filter(pk=file.pk).exists()
        assert (
            file_services.trash_expire(
                association=association, now=timezone.now() + timedelta(days=31)
            )
            == 1
        )
        assert not DriveFile.objects.filter(pk=file.pk).exists()
    content_release(association)
    assert path.exists()  # a day's grace
    assert content_release(association, now=timezone.now() + timedelta(days=2)) == 1
    assert not path.exists()


def test_purge_is_for_the_trash_only_and_keeps_shared_content(side_a: Side) -> None:
    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        folder = folder_services.folder_create(
            association=association, actor=side_a.admin, parent=root, name="2025年"
        )
        kept = _upload(side_a, root, "章程.pdf", b"%PDF-1.4 statutes")
        gone = _upload(side_a, folder, "章程副本.pdf", b"%PDF-1.4 statutes")
        with pytest.raises(ValidationError):
            folder_services.folder_purge(association=association, actor=side_a.admin, folder=folder)
        folder_services.folder_delete(association=association, actor=side_a.admin, folder=folder)
        assert (
            folder_services.folder_purge(association=association, actor=side_a.admin, folder=folder)
            == 1
        )
        assert not DriveFile.objects.filter(pk=gone.file_id).exists()
    later = timezone.now() + timedelta(days=2)
    content_release(association, now=later)
    content_release(association, now=later + timedelta(days=2))
    with tenant_context(association):
        assert _read(side_a, FileVersion.objects.get(pk=kept.pk)) == b"%PDF-1.4 statutes"


def test_zip_keeps_chinese_names_and_bytes(side_a: Side) -> None:
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        a = _upload(side_a, root, "理事会名单.txt", "龚志军".encode())
        b = _upload(side_a, root, "活动照片.jpg", b"\xff\xd8\xff photo")
        path = file_services.zip_write(
            side_a.association, [("资料/理事会名单.txt", a), ("资料/活动照片.jpg", b)]
        )
    try:
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist() == ["资料/理事会名单.txt", "资料/活动照片.jpg"]
            assert archive.read("资料/活动照片.jpg") == b"\xff\xd8\xff photo"
    finally:
        path.unlink()


def test_folder_templates_and_moves(side_a: Side) -> None:
    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        year = folder_services.folder_create_from_template(
            association=association, actor=side_a.admin, parent=root, name="2026年", template="year"
        )
        children = list(Folder.objects.filter(parent=year).values_list("name", flat=True))
        assert "会议纪要" in children and len(children) == 6
        minutes = Folder.objects.get(parent=year, name="会议纪要")
        with pytest.raises(ValidationError):
            folder_services.folder_update(
                association=association, actor=side_a.admin, folder=year, parent=minutes
            )
        with pytest.raises(ValidationError):
            folder_services.folder_create(
                association=association, actor=side_a.admin, parent=year, name="会议纪要"
            )


def test_a_corrupt_file_stops_its_download_and_tells_the_administrators(side_a: Side) -> None:
    from shanghui.core.models import InboxMessage
    from shanghui.core.storage.content import ContentCorrupt

    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        version = _upload(side_a, root, "营业执照.pdf", b"%PDF-1.4 licence scan")
    path = Path(settings.CONTENT_ROOT) / version.content.key
    path.write_bytes(b"%PDF-1.4 licence scaN")
    with pytest.raises(ContentCorrupt):
        _read(side_a, version)
    with tenant_context(side_a.association):
        message = InboxMessage.objects.get(user=side_a.admin)
        assert "营业执照.pdf" in message.text
        assert AuditEntry.objects.filter(action="documents.content.corrupt").exists()
        assert not InboxMessage.objects.filter(user=side_a.member_user).exists()


def test_the_daily_command_expires_old_trash_only(side_a: Side) -> None:
    from django.core.management import call_command

    association = side_a.association
    with tenant_context(association):
        root = folder_services.root_folder(association)
        old = _upload(side_a, root, "旧会议纪要.pdf", b"%PDF-1.4 old").file
        recent = _upload(side_a, root, "新会议纪要.pdf", b"%PDF-1.4 new").file
        for file in (old, recent):
            file_services.file_delete(association=association, actor=side_a.admin, file=file)
        DriveFile.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    out = io.StringIO()
    call_command("expire_documents_trash", stdout=out)
    assert "回收站清理 1 个文件" in out.getvalue()
    with tenant_context(association):
        assert list(DriveFile.objects.values_list("name", flat=True)) == ["新会议纪要.pdf"]


def test_the_demo_library_is_real() -> None:
    """The demo seed's library: template folders, real files, versions, the trash, an
    audience per folder — and every stored object reads back verified."""
    from io import StringIO

    from django.core.management import call_command

    from shanghui.associations.models import Association
    from shanghui.core.storage.content import content_verify

    call_command("seed_demo", members=30, stdout=StringIO())
    gdjx = Association.objects.get(slug="gdjx")
    with tenant_context(gdjx):
        minutes = DriveFile.objects.get(name="第五届第三次理事会会议纪要.pdf")
        assert minutes.version_count == 3
        assert DriveFile.objects.filter(deleted_at__isnull=False).count() == 1
        assert Folder.objects.get(name="理事会内部文件").audience == Folder.Audience.RULES
        contents = list(StoredContent.objects.all())
    assert len(contents) >= 7
    assert all(content_verify(gdjx, content) for content in contents)


def test_previews_are_made_in_the_background_and_shared_by_equal_versions(side_a: Side) -> None:
    from PIL import Image

    from shanghui.testing.worker import run_worker

    picture = io.BytesIO()
    Image.new("RGB", (2400, 1200), "red").save(picture, "PNG")
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        photo = _upload(side_a, root, "合影.png", picture.getvalue())
        pdf = _upload(side_a, root, "章程.pdf", b"%PDF-1.4 statutes")
        text = _upload(side_a, root, "说明.txt", "说明文字".encode())
        assert photo.preview_status == FileVersion.Preview.PENDING
        assert text.preview_status == FileVersion.Preview.NONE
    run_worker()
    with tenant_context(side_a.association):
        photo.refresh_from_db()
        pdf.refresh_from_db()
        assert photo.preview_status == FileVersion.Preview.READY
        assert photo.preview_id != photo.content_id  # re-encoded, smaller
        shown = Image.open(io.BytesIO(_read_content(side_a, photo.preview)))
        assert max(shown.size) <= 1600
        assert pdf.preview_status == FileVersion.Preview.READY and pdf.preview_id == pdf.content_id
        # The same bytes again (a restore) take the preview made already: no new task.
        restored = file_services.version_restore(
            association=side_a.association, actor=side_a.admin, file=photo.file, version=photo
        )
        assert restored.preview_status == FileVersion.Preview.READY
        assert restored.preview_id == photo.preview_id


def _read_content(side: Side, content: StoredContent) -> bytes:
    from shanghui.core.storage.content import content_blocks

    return b"".join(content_blocks(side.association, content))


def test_an_office_file_is_shown_as_its_pdf_preview_once_made(
    side_a: Side, admin_a: Client
) -> None:
    from django.urls import reverse

    from shanghui.testing.office import docx_bytes
    from shanghui.testing.programs import require_programs
    from shanghui.testing.worker import run_worker

    require_programs("soffice", package="libreoffice-writer-nogui")
    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        version = _upload(side_a, root, "会议纪要.docx", docx_bytes("第五届理事会会议纪要"))
    page = reverse(
        "documents:office_file",
        kwargs={"association_slug": side_a.association.slug, "file_id": version.file_id},
    )
    assert 'id="preview"' not in admin_a.get(page).content.decode()  # not made yet
    run_worker()
    assert 'id="preview"' in admin_a.get(page).content.decode()
    shown = admin_a.get(
        reverse(
            "documents:office_version_download",
            kwargs={
                "association_slug": side_a.association.slug,
                "file_id": version.file_id,
                "version_number": 1,
            },
        )
        + "?inline=1"
    )
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline")
    assert b"".join(shown.streaming_content).startswith(b"%PDF")


def test_index_documents_writes_the_search_tokens_again(side_a: Side) -> None:
    """What a restore runs (backups leave the derived tokens out)."""
    from django.core.management import call_command

    from shanghui.documents.models import FileSearchToken

    with tenant_context(side_a.association):
        root = folder_services.root_folder(side_a.association)
        _upload(side_a, root, "营业执照副本.pdf", b"%PDF-1.4 licence")
        FileSearchToken.objects.all().delete()
        view = selectors.folder_view(
            association=side_a.association, role=_role(side_a, side_a.admin), user=side_a.admin
        )
        assert not selectors.search(association=side_a.association, view=view, query="yyzz")
    call_command("index_documents", association=side_a.association.slug, stdout=io.StringIO())
    with tenant_context(side_a.association):
        found = selectors.search(association=side_a.association, view=view, query="yyzz")
        assert [f.name for f in found] == ["营业执照副本.pdf"]
