"""Resumable uploads (tus 1.0.0): created through the association's API, chunks sent to
/uploads/<id>/ outside the door, resumed after an interruption, finished into the library."""

import base64
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, FileVersion, UploadSession
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.uploads import upload_path, uploads_prune
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db

DATA = b"%PDF-1.4\n" + bytes(range(256)) * 400  # a PDF as far as its head tells


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _root(side: Side) -> int:
    with tenant_context(side.association):
        return folder_services.root_folder(side.association).pk


def _start(
    client: Client,
    side: Side,
    *,
    length: int,
    name: str = "年度审计报告.pdf",
    folder_id: int | None = None,
) -> object:
    return client.post(
        f"/api/v1/associations/{side.association.slug}/documents/uploads",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=_meta(filename=name, folder_id=str(folder_id or _root(side))),
    )


def _patch(client: Client, location: str, offset: int, chunk: bytes) -> object:
    return client.generic(
        "PATCH",
        location,
        data=chunk,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        HTTP_TUS_RESUMABLE="1.0.0",
    )


def test_a_large_file_arrives_in_chunks_and_resumes(side_a: Side, admin_a: Client) -> None:
    started = _start(admin_a, side_a, length=len(DATA))
    assert started.status_code == 201, started.content
    location = started["Location"]
    assert location.startswith("/uploads/")
    assert _patch(admin_a, location, 0, DATA[:40_000]).status_code == 204
    # The connection dropped in the middle of the next chunk: some bytes reached the file,
    # none were recorded.
    session = UploadSession.objects.get()
    with open(upload_path(session), "ab") as half:
        half.write(DATA[40_000:50_000][::-1])
    head = admin_a.head(location)
    assert head.status_code == 200 and head["Upload-Offset"] == "40000"
    assert _patch(admin_a, location, 30_000, DATA[30_000:]).status_code == 409
    done = _patch(admin_a, location, 40_000, DATA[40_000:])
    assert done.status_code == 204, done.content
    assert done["Upload-Offset"] == str(len(DATA))
    with tenant_context(side_a.association):
        version = FileVersion.objects.select_related("file", "content").get(
            pk=int(done["X-Version-Id"])
        )
        assert version.file.name == "年度审计报告.pdf"
        body = b"".join(
            file_services.version_response(
                side_a.association, version.file, version
            ).streaming_content
        )  # type: ignore[arg-type]
    assert body == DATA
    assert not UploadSession.objects.exists()
    assert not upload_path(session).exists()
    # The same name again is the file's second version.
    again = _start(admin_a, side_a, length=8)
    assert _patch(admin_a, again["Location"], 0, b"%PDF-1.4").status_code == 204
    with tenant_context(side_a.association):
        assert DriveFile.objects.get().version_count == 2


def test_only_the_uploader_continues_an_upload(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    location = _start(admin_a, side_a, length=10)["Location"]
    assert _patch(member_a, location, 0, b"0123456789").status_code == 404
    assert _patch(Client(), location, 0, b"0123456789").status_code == 401
    assert Client().head(location).status_code == 401
    assert UploadSession.objects.get().offset == 0


def test_bad_starts_are_refused_with_reasons(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client
) -> None:
    assert _start(member_a, side_a, length=10).status_code == 403
    assert _start(admin_a, side_a, length=10, folder_id=_root(side_b)).status_code == 404
    refused = _start(admin_a, side_a, length=10, name="setup.exe")
    assert refused.status_code in (400, 422) and "不能上传程序" in str(refused.json())
    assert _start(admin_a, side_a, length=0).status_code in (400, 422)
    with override_settings(DOCUMENTS_MAX_BYTES=100):
        assert "不能超过" in str(_start(admin_a, side_a, length=101).json())
    side_a.association.storage_quota = 50
    side_a.association.save(update_fields=["storage_quota"])
    assert "资料库空间不足" in str(_start(admin_a, side_a, length=60).json())
    assert not UploadSession.objects.exists()


def test_a_program_renamed_is_refused_when_its_bytes_arrive(side_a: Side, admin_a: Client) -> None:
    location = _start(admin_a, side_a, length=12, name="会议议程.pdf")["Location"]
    refused = _patch(admin_a, location, 0, b"MZ\x90\x00program!")
    assert refused.status_code == 422
    with tenant_context(side_a.association):
        assert not DriveFile.objects.exists()
    assert not UploadSession.objects.exists()


def test_options_and_deletion(side_a: Side, admin_a: Client) -> None:
    location = _start(admin_a, side_a, length=10)["Location"]
    options = admin_a.options(location)
    assert options["Tus-Version"] == "1.0.0" and "creation" in options["Tus-Extension"]
    path = upload_path(UploadSession.objects.get())
    assert admin_a.delete(location).status_code == 204
    assert not path.exists() and not UploadSession.objects.exists()


def test_expired_uploads_are_pruned(side_a: Side) -> None:
    client = client_for(side_a.admin)
    _start(client, side_a, length=10)
    session = UploadSession.objects.get()
    path = Path(upload_path(session))
    assert uploads_prune() == 0 and path.exists()
    assert uploads_prune(now=timezone.now() + timedelta(days=2)) == 1
    assert not path.exists()
