"""The document library (资料库) as the secretariat uses it on a desktop: upload a file with a
Chinese name → overwrite it → restore the first version → delete it → restore it from the
trash → download it byte-identical to the first upload. Then a member reads the shared folder
on a phone, and a visitor opens a share link with its password. Screenshots of every page at
phone and desktop size go to $SHOTS_DIR when it is set."""

import io
import os
from pathlib import Path
from typing import Any

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, Folder
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.documents.services import shares as share_services
from shanghui.testing.fixtures import build_side
from shanghui.testing.office import docx_bytes
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAME = "2026年第三次理事会纪要.docx"
FIRST = docx_bytes("会议纪要（初稿）" * 40)
SECOND = docx_bytes("会议纪要（修改稿）" * 60)
# Over 8 MB: the page's script sends it resumably (tus), in chunks.
BIG_NAME = "2026年会员大会全程录音稿.pdf"
BIG = b"%PDF-1.4\n" + os.urandom(9 * 1024 * 1024)


def _upload(page: Any, data: bytes) -> None:
    page.set_input_files(
        "#id_files",
        files=[{"name": NAME, "mimeType": "application/octet-stream", "buffer": data}],
    )
    with page.expect_navigation():
        page.click("#upload-button")


def test_upload_overwrite_restore_delete_restore_download(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a = build_side("甲市", "jiashi")
    with tenant_context(a.association):
        root = folder_services.root_folder(a.association)
        shared = folder_services.folder_create(
            association=a.association,
            actor=a.admin,
            parent=root,
            name="会员共享资料",
            audience=Folder.Audience.MEMBERS,
        )
    office = f"{live_server.url}/a/jiashi/office/documents"
    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, a.admin.phone or "")

    desk.goto(f"{office}/folders/{shared.pk}/")
    _upload(desk, FIRST)
    assert f"已上传：{NAME}" in desk.inner_text("main")
    _upload(desk, SECOND)
    assert "（第 2 版）" in desk.inner_text("main")
    shot(desk, "documents-library-desktop")

    with desk.expect_navigation():
        desk.click(f"#listing a:has-text('{NAME}')")
    assert "第 2 版" in desk.inner_text("#versions")
    with desk.expect_navigation():
        desk.click("button[data-restore='1']")
    assert "已恢复为第 1 版" in desk.inner_text("main")
    assert "由第 1 版恢复" in desk.inner_text("#versions")
    with desk.expect_navigation():
        desk.click("#share-create")
    share_url = desk.input_value("#share-url")
    shot(desk, "documents-file-desktop")

    with desk.expect_navigation():
        desk.click("#file-delete")
    assert "移到回收站" in desk.inner_text("main")
    assert "这个文件夹是空的" in desk.inner_text("main")

    with desk.expect_navigation():
        desk.click("nav.tabs >> text=回收站")
    assert NAME in desk.inner_text("#trash")
    shot(desk, "documents-trash-desktop")
    with desk.expect_navigation():
        desk.click("#trash button:has-text('恢复')")
    assert f"已恢复“{NAME}”" in desk.inner_text("main")

    with tenant_context(a.association):
        file = DriveFile.objects.get(name=NAME)
    desk.goto(f"{office}/files/{file.pk}/")
    with desk.expect_download() as info:
        desk.click("#download")
    assert Path(info.value.path()).read_bytes() == FIRST
    assert info.value.suggested_filename == NAME

    # A large file goes through the resumable upload and lands as a file of the folder.
    desk.goto(f"{office}/folders/{shared.pk}/")
    chunks: list[str] = []
    desk.on(
        "request",
        lambda request: chunks.append(request.method) if "/uploads/" in request.url else None,
    )
    desk.set_input_files(
        "#id_files",
        files=[{"name": BIG_NAME, "mimeType": "application/pdf", "buffer": BIG}],
    )
    with desk.expect_navigation(timeout=60_000):
        desk.click("#upload-button")
    assert BIG_NAME in desk.inner_text("#listing")
    assert chunks.count("PATCH") >= 2, chunks  # 9 MB in chunks of at most 8 MB
    with tenant_context(a.association):
        big = DriveFile.objects.get(name=BIG_NAME)
    desk.goto(f"{office}/files/{big.pk}/")
    with desk.expect_download() as info:
        desk.click("#download")
    assert Path(info.value.path()).read_bytes() == BIG

    desk.goto(f"{office}/")
    desk.fill("#doc-q", "lishihui")
    with desk.expect_navigation():
        desk.press("#doc-q", "Enter")
    assert NAME in desk.inner_text("#results")
    shot(desk, "documents-search-desktop")
    desk.goto(f"{office}/folders/{shared.pk}/edit/")
    shot(desk, "documents-folder-edit-desktop")

    phone = phone_page
    sign_in(phone, live_server.url, a.member_user.phone or "")
    phone.goto(f"{live_server.url}/a/jiashi/documents/")
    assert "会员共享资料" in phone.inner_text("main")
    shot(phone, "documents-member-library-phone")
    with phone.expect_navigation():
        phone.click("text=会员共享资料")
    with phone.expect_navigation():
        phone.click(f"text={NAME}")
    assert "下载" in phone.inner_text("main")
    shot(phone, "documents-member-file-phone")
    phone.goto(share_url)
    assert NAME in phone.inner_text("main")
    shot(phone, "documents-share-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"], "the share page scrolls sideways on a phone"


def test_every_new_page_at_both_sizes(
    live_server: Any, browser: Any, desktop_page: Any, privacy_notice: None
) -> None:
    """Every new page on a 390×844 phone and a 1366×900 desktop (screenshots where
    SHOTS_DIR is set); no member page scrolls sideways on the phone. Inside WeChat, a Word
    file says how to download it and a share link asks its password."""
    a = build_side("甲市", "jiashi")
    with tenant_context(a.association):
        root = folder_services.root_folder(a.association)
        year = folder_services.folder_create_from_template(
            association=a.association, actor=a.admin, parent=root, name="2026年", template="year"
        )
        shared = folder_services.folder_create(
            association=a.association,
            actor=a.admin,
            parent=root,
            name="会员共享资料",
            audience=Folder.Audience.MEMBERS,
        )
        version = file_services.file_upload(
            association=a.association,
            actor=a.admin,
            folder=shared,
            name=NAME,
            source=io.BytesIO(FIRST),
        )
        _share, token = share_services.share_create(
            association=a.association, actor=a.admin, file=version.file, password="8866"
        )
    base = f"{live_server.url}/a/jiashi"
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    for page, size in ((phone, "phone"), (desktop_page, "desktop")):
        sign_in(page, live_server.url, a.admin.phone or "")
        for path, name in (
            ("/office/documents/", "library"),
            (f"/office/documents/folders/{year.pk}/edit/", "folder-edit"),
            (f"/office/documents/files/{version.file_id}/", "file"),
            ("/office/documents/trash/", "trash"),
            ("/office/documents/search/?q=hy", "search"),
            ("/documents/", "member-library"),
            (f"/documents/folders/{shared.pk}/", "member-folder"),
            (f"/documents/files/{version.file_id}/", "member-file"),
            (f"/documents/s/{token}/", "share"),
        ):
            page.goto(base + path)
            shot(page, f"documents-overview-{name}-{size}")
            if size == "phone" and not path.startswith("/office/"):
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{path} scrolls sideways on a phone"
    phone_context.close()
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        user_agent="Mozilla/5.0 (iPhone) AppleWebKit MicroMessenger/8.0.50 NetType/WIFI",
    )
    wechat = context.new_page()
    sign_in(wechat, live_server.url, a.member_user.phone or "")
    wechat.goto(f"{base}/documents/files/{version.file_id}/")
    assert "在浏览器打开" in wechat.inner_text("main")
    shot(wechat, "documents-overview-member-file-wechat-phone")
    wechat.goto(f"{base}/documents/s/{token}/")
    shot(wechat, "documents-overview-share-password-wechat-phone")
    context.close()
