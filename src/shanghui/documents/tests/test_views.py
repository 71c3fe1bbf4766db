"""The library's pages: the secretariat's library (upload, versions, restore, trash, purge,
audience, zip, search), the member pages (audience, WeChat), and another association's ids."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, Folder
from shanghui.documents.tests.helpers import (
    folder_make,
    root_of,
    staff_of,
    upload,
    xlsx_bytes,
)
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.office import docx_bytes
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db

WECHAT = "Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.50 NetType/WIFI"


def office(side: Side, rest: str = "") -> str:
    return f"/a/{side.association.slug}/office/documents/{rest}"


def space(side: Side, rest: str = "") -> str:
    return f"/a/{side.association.slug}/documents/{rest}"


def _part(html: str, marker: str) -> str:
    """The page from ``marker`` to the end of its table (what a list shows, not a message)."""
    start = html.find(marker)
    return html[start : html.find("</table>", start)] if start >= 0 else ""


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_upload_several_overwrite_restore_delete_restore_download(side_a: Side) -> None:
    admin = client_for(side_a.admin)
    root = root_of(side_a)
    page = admin.get(office(side_a))
    assert page.status_code == 200
    assert "回收站中的文件也占用空间" in page.content.decode()
    first = SimpleUploadedFile("2026年理事会纪要.docx", docx_bytes("version one"))
    other = SimpleUploadedFile("合影.jpg", photo_like(side=64))
    response = admin.post(office(side_a, f"folders/{root.pk}/upload/"), {"files": [first, other]})
    assert response.status_code == 302
    with tenant_context(side_a.association):
        file = DriveFile.objects.get(name="2026年理事会纪要.docx")
        assert DriveFile.objects.filter(name="合影.jpg").exists()
    second = SimpleUploadedFile("2026年理事会纪要.docx", docx_bytes("version two, edited"))
    admin.post(office(side_a, f"folders/{root.pk}/upload/"), {"files": [second]})
    listing = admin.get(office(side_a)).content.decode()
    assert "2026年理事会纪要.docx" in listing and side_a.admin.name in listing

    page = admin.get(office(side_a, f"files/{file.pk}/")).content.decode()
    assert "第 2 版" in page and "恢复为此版本" in page
    admin.post(office(side_a, f"files/{file.pk}/versions/1/restore/"))
    file.refresh_from_db()
    assert file.version_count == 3
    admin.post(office(side_a, f"files/{file.pk}/delete/"))
    listing = _part(admin.get(office(side_a)).content.decode(), 'id="listing"')
    assert "合影.jpg" in listing and "2026年理事会纪要.docx" not in listing
    trash = admin.get(office(side_a, "trash/")).content.decode()
    assert "2026年理事会纪要.docx" in trash and "彻底删除" in trash
    admin.post(office(side_a, f"trash/files/{file.pk}/restore/"))
    download = admin.get(office(side_a, f"files/{file.pk}/versions/3/"))
    assert download.status_code == 200 and _body(download) == docx_bytes("version one")
    assert "filename*=utf-8''2026" in download["Content-Disposition"].lower()
    with tenant_context(side_a.association):
        actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"documents.file.upload", "documents.version.restore", "documents.file.download"} <= (
        actions
    )


def test_a_refused_file_leaves_the_others_uploaded(side_a: Side) -> None:
    admin = client_for(side_a.admin)
    root = root_of(side_a)
    response = admin.post(
        office(side_a, f"folders/{root.pk}/upload/"),
        {
            "files": [
                SimpleUploadedFile("setup.exe", b"MZ program"),
                SimpleUploadedFile("章程.pdf", b"%PDF-1.4 rules"),
            ]
        },
        follow=True,
    )
    text = response.content.decode()
    assert "setup.exe：不能上传程序或脚本文件" in text
    assert "已上传：章程.pdf" in text


def test_new_folder_from_template_rename_and_audience(side_a: Side) -> None:
    admin = client_for(side_a.admin)
    root = root_of(side_a)
    admin.post(office(side_a, f"folders/{root.pk}/new/"), {"name": "2026年", "template": "year"})
    with tenant_context(side_a.association):
        year = Folder.objects.get(name="2026年")
        assert Folder.objects.filter(parent=year, name="会议纪要").exists()
    page = admin.get(office(side_a, f"folders/{year.pk}/edit/"))
    assert page.status_code == 200 and "指定范围" in page.content.decode()
    response = admin.post(
        office(side_a, f"folders/{year.pk}/edit/"),
        {"name": "2026年度", "parent": root.pk, "audience": "members"},
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.name, year.audience) == ("2026年度", "members")
    # Rules without any rule chosen are refused, and nothing changes.
    response = admin.post(
        office(side_a, f"folders/{year.pk}/edit/"),
        {"name": "2026年度", "parent": root.pk, "audience": "rules"},
    )
    assert response.status_code == 200 and "请选择可见范围" in response.content.decode()
    year.refresh_from_db()
    assert year.audience == "members"


def test_member_sees_only_the_folders_meant_for_members(side_a: Side) -> None:
    shared = folder_make(side_a, "会员共享资料", Folder.Audience.MEMBERS)
    secret = folder_make(side_a, "秘书处内部")
    upload(side_a, shared, "入会须知.pdf", b"%PDF-1.4 welcome")
    hidden = upload(side_a, secret, "财务报表.xlsx", xlsx_bytes("money"))
    member = client_for(side_a.member_user)
    page = member.get(space(side_a)).content.decode()
    assert "会员共享资料" in page and "秘书处内部" not in page
    assert member.get(space(side_a, f"folders/{secret.pk}/")).status_code == 404
    assert member.get(space(side_a, f"files/{hidden.file_id}/")).status_code == 404
    assert member.get(space(side_a, f"files/{hidden.file_id}/download/")).status_code == 404
    # The back office is the secretariat's.
    assert member.get(office(side_a)).status_code == 403


def test_inside_wechat_pdfs_preview_and_other_files_say_open_in_browser(side_a: Side) -> None:
    shared = folder_make(side_a, "会员共享资料", Folder.Audience.MEMBERS)
    pdf = upload(side_a, shared, "入会须知.pdf", b"%PDF-1.4 welcome")
    doc = upload(side_a, shared, "申请表.docx", docx_bytes("form"))
    wechat = Client(HTTP_USER_AGENT=WECHAT)
    wechat.force_login(side_a.member_user)
    page = wechat.get(space(side_a, f"files/{doc.file_id}/")).content.decode()
    assert "请点击右上角「…」，选择「在浏览器打开」后下载" in page
    page = wechat.get(space(side_a, f"files/{pdf.file_id}/")).content.decode()
    assert "打开预览" in page and "在浏览器打开" not in page
    shown = wechat.get(space(side_a, f"files/{pdf.file_id}/download/?inline=1"))
    assert shown["Content-Disposition"].startswith("inline")
    assert _body(shown) == b"%PDF-1.4 welcome"


def test_staff_cannot_purge_and_admin_purges_after_delete(side_a: Side) -> None:
    root = root_of(side_a)
    version = upload(side_a, root, "旧通知.pdf", b"%PDF-1.4 old")
    staff = client_for(staff_of(side_a))
    staff.post(office(side_a, f"files/{version.file_id}/delete/"))
    trash = staff.get(office(side_a, "trash/")).content.decode()
    assert "旧通知.pdf" in trash and "只有管理员可以彻底删除" in trash
    assert staff.post(office(side_a, f"trash/files/{version.file_id}/purge/")).status_code == 403
    admin = client_for(side_a.admin)
    admin.post(office(side_a, f"trash/files/{version.file_id}/purge/"))
    with tenant_context(side_a.association):
        assert not DriveFile.objects.filter(pk=version.file_id).exists()


def test_zip_holds_only_what_the_person_sees(side_a: Side) -> None:
    root = root_of(side_a)
    upload(side_a, root, "章程.pdf", b"%PDF-1.4 rules")
    sub = folder_make(side_a, "会议纪要")
    upload(side_a, sub, "第一次会议.docx", docx_bytes("minutes"))
    response = client_for(side_a.admin).get(office(side_a, f"folders/{root.pk}/zip/"))
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    assert sorted(archive.namelist()) == ["会议纪要/第一次会议.docx", "章程.pdf"]
    assert archive.read("会议纪要/第一次会议.docx") == docx_bytes("minutes")


def test_search_by_pinyin_initials_and_traditional(side_a: Side) -> None:
    upload(side_a, root_of(side_a), "会员名录.xlsx", xlsx_bytes("list"))
    admin = client_for(side_a.admin)
    for query in ("会员", "huiyuan", "hyml", "會員"):
        page = admin.get(office(side_a, "search/"), {"q": query}).content.decode()
        assert "会员名录.xlsx" in page, query


def test_another_associations_ids_are_404(side_a: Side, side_b: Side) -> None:
    folder = folder_make(side_b, "乙市资料", Folder.Audience.MEMBERS)
    version = upload(side_b, folder, "乙市合同.pdf", b"%PDF-1.4 b")
    admin = client_for(side_a.admin)
    for url in (
        office(side_a, f"folders/{folder.pk}/"),
        office(side_a, f"files/{version.file_id}/"),
        office(side_a, f"files/{version.file_id}/versions/1/"),
        office(side_a, f"folders/{folder.pk}/zip/"),
        space(side_a, f"files/{version.file_id}/download/"),
    ):
        assert admin.get(url).status_code == 404, url
    response = admin.post(
        office(side_a, f"folders/{folder.pk}/upload/"),
        {"files": [SimpleUploadedFile("x.pdf", b"%PDF-1.4")]},
    )
    assert response.status_code == 404
    assert admin.post(office(side_a, f"trash/files/{version.file_id}/restore/")).status_code == 404
