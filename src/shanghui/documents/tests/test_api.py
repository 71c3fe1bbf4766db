"""The library's API: folders, upload, versions, trash, purge, shares, usage — and the
errors: another association's ids (404), a folder a member may not see (404), a staff member
purging (403), a program refused (400, in Chinese)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shanghui.documents.models import Folder
from shanghui.documents.tests.helpers import (
    folder_make,
    root_of,
    staff_of,
    upload,
    xlsx_bytes,
)
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.office import docx_bytes

pytestmark = pytest.mark.django_db
ONE, TWO = docx_bytes("agenda, first"), docx_bytes("agenda, second and longer")


def api(side: Side, rest: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/documents/{rest}"


def _json(response: object) -> dict:  # type: ignore[type-arg]
    return json.loads(response.content)  # type: ignore[attr-defined]


def test_folders_upload_versions_trash_and_restore(side_a: Side) -> None:
    client = api_client_for(side_a.admin)
    root = _json(client.get(api(side_a, "folders/root")))
    assert root["path"][0]["id"] == root["id"]
    made = client.post(
        api(side_a, "folders"),
        {"parent_id": root["id"], "name": "第五届第三次理事会", "template": "meeting"},
        content_type="application/json",
    )
    assert made.status_code == 201
    meeting = _json(made)
    children = _json(client.get(api(side_a, f"folders/{meeting['id']}/folders")))
    assert "签到表" in [c["name"] for c in children["items"]]

    url = api(side_a, f"folders/{meeting['id']}/files")
    first = client.post(url, {"file": SimpleUploadedFile("会议议程.docx", ONE)})
    assert first.status_code == 201 and _json(first)["number"] == 1
    second = _json(client.post(url, {"file": SimpleUploadedFile("会议议程.docx", TWO)}))
    assert second["number"] == 2
    file_id = second["file_id"]
    versions = _json(client.get(api(side_a, f"files/{file_id}/versions")))
    assert [v["number"] for v in versions["items"]] == [2, 1]
    restored = client.post(api(side_a, f"files/{file_id}/versions/1/restore"))
    assert _json(restored)["restored_from"] == 1
    download = client.get(api(side_a, f"files/{file_id}/versions/3/download"))
    assert b"".join(download.streaming_content) == ONE  # type: ignore[attr-defined]

    renamed = client.put(
        api(side_a, f"files/{file_id}"),
        {"name": "议程（定稿）.docx", "folder_id": root["id"]},
        content_type="application/json",
    )
    assert _json(renamed)["name"] == "议程（定稿）.docx"
    assert _json(renamed)["folder_id"] == root["id"]
    found = _json(client.get(api(side_a, "files"), {"q": "yicheng"}))
    assert [f["id"] for f in found["items"]] == [file_id]

    assert client.delete(api(side_a, f"files/{file_id}")).status_code == 204
    assert client.get(api(side_a, f"files/{file_id}")).status_code == 404
    trash = _json(client.get(api(side_a, "trash")))
    assert [f["id"] for f in trash["files"]] == [file_id]
    assert client.post(api(side_a, f"files/{file_id}/restore")).status_code == 200
    assert client.get(api(side_a, f"files/{file_id}")).status_code == 200

    usage = _json(client.get(api(side_a, "usage")))
    assert usage["used"] >= len(ONE) + len(TWO) and usage["quota"] > 0


def test_audience_rules_and_a_member_without_access(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    folder = folder_make(side_a, "理事会资料")
    upload(side_a, folder, "理事名单.xlsx", xlsx_bytes("list"))
    member = api_client_for(side_a.member_user)
    assert member.get(api(side_a, f"folders/{folder.pk}")).status_code == 404
    assert member.get(api(side_a, f"folders/{folder.pk}/files")).status_code == 404
    refused = admin.put(
        api(side_a, f"folders/{folder.pk}"),
        {"audience": "rules"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert _json(refused)["error"]["fields"]["audience"] == ["请选择可见范围"]
    changed = admin.put(
        api(side_a, f"folders/{folder.pk}"),
        {"audience": "rules", "audience_rules": {"person_ids": [side_a.person.pk]}},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert _json(changed)["audience_rules"]["person_ids"] == [side_a.person.pk]
    files = _json(member.get(api(side_a, f"folders/{folder.pk}/files")))
    assert [f["name"] for f in files["items"]] == ["理事名单.xlsx"]
    # A member reads, but does not manage.
    assert member.delete(api(side_a, f"folders/{folder.pk}")).status_code == 403


def test_staff_may_not_purge_admin_may(side_a: Side) -> None:
    folder = folder_make(side_a, "旧资料", Folder.Audience.MEMBERS)
    upload(side_a, folder, "旧通知.pdf", b"%PDF-1.4")
    staff = api_client_for(staff_of(side_a))
    assert staff.delete(api(side_a, f"folders/{folder.pk}")).status_code == 204
    denied = staff.post(api(side_a, f"folders/{folder.pk}/purge"))
    assert denied.status_code == 403 and _json(denied)["error"]["code"] == "forbidden"
    purged = api_client_for(side_a.admin).post(api(side_a, f"folders/{folder.pk}/purge"))
    assert _json(purged) == {"files": 1}


def test_a_program_is_refused_in_chinese(side_a: Side) -> None:
    root = root_of(side_a)
    response = api_client_for(side_a.admin).post(
        api(side_a, f"folders/{root.pk}/files"), {"file": SimpleUploadedFile("a.bat", b"echo")}
    )
    assert response.status_code == 400
    assert _json(response)["error"]["fields"]["file"] == [
        "不能上传程序或脚本文件（如 .exe、.bat、.apk），请上传文档、图片或压缩包"
    ]


def test_share_links_through_the_api(side_a: Side) -> None:
    version = upload(side_a, root_of(side_a), "章程.pdf", b"%PDF-1.4 rules")
    client = api_client_for(side_a.admin)
    made = client.post(
        api(side_a, f"files/{version.file_id}/shares"),
        {"days": 30, "password": "1234"},
        content_type="application/json",
    )
    assert made.status_code == 201
    body = _json(made)
    assert body["has_password"] and body["url"].endswith(f"/documents/s/{body['share_token']}/")
    listed = _json(client.get(api(side_a, f"files/{version.file_id}/shares")))
    assert "share_token" not in listed[0] and listed[0]["state"] == "open"
    revoked = client.post(api(side_a, f"files/{version.file_id}/shares/{body['id']}/revoke"))
    assert _json(revoked)["state"] == "revoked"
    too_long = client.post(
        api(side_a, f"files/{version.file_id}/shares"),
        {"days": 31},
        content_type="application/json",
    )
    assert too_long.status_code == 400 and "1–30" in _json(too_long)["error"]["message"]


def test_another_associations_ids_are_404(side_a: Side, side_b: Side) -> None:
    folder = folder_make(side_b, "乙市资料", Folder.Audience.MEMBERS)
    version = upload(side_b, folder, "乙市合同.pdf", b"%PDF-1.4 b")
    client = api_client_for(side_a.admin)
    for method, rest in [
        ("get", f"folders/{folder.pk}"),
        ("get", f"folders/{folder.pk}/files"),
        ("delete", f"folders/{folder.pk}"),
        ("get", f"files/{version.file_id}"),
        ("get", f"files/{version.file_id}/versions/1/download"),
        ("post", f"files/{version.file_id}/restore"),
        ("post", f"files/{version.file_id}/shares"),
    ]:
        response = getattr(client, method)(api(side_a, rest), content_type="application/json")
        assert response.status_code == 404, rest
        assert "乙市" not in response.content.decode()
