"""Other modules' files (其他模块的文件) on the secretariat's desktop: a kept version made
current again and a trashed file purged, each behind one confirmation and redrawn in place
(htmx), then a file saved into the library. A screenshot goes to $SHOTS_DIR when it is set.

``core.Job.result_file`` is the one converted field on this branch, and it expires; here it
behaves as the modules' versioned fields will (see documents/tests/test_module_files.py)."""

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from shanghui.core.models import Job, StoredFile
from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import build_side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("SHOTS_DIR", "")) if os.environ.get("SHOTS_DIR") else None
HOLDER = "core.job.result_file"
VERSIONS = 'a.tabs__item[href$="show=versions"]'


def test_restore_purge_and_save_to_library(
    live_server: Any, desktop_page: Any, privacy_notice: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    field = Job._meta.get_field("result_file")
    monkeypatch.setattr(field, "keeping", "versioned")
    monkeypatch.setattr(field, "verbose_name", "活动封面")
    a = build_side("甲市", "jiashi")
    b = a.association
    files = [
        file_store(b, io.BytesIO(f"%PDF-1.4 {n}".encode()), holder=HOLDER, name=n, by=a.admin)
        for n in ("2025年会封面.pdf", "2026年会封面.pdf", "旧营业执照.pdf")
    ]
    with tenant_context(b):
        job = Job.objects.create(association=b, owner=a.admin, kind="x", label="年会")
        file_attach(job, "result_file", files[0])
        file_attach(job, "result_file", files[1])
        StoredFile.objects.filter(pk=files[2].pk).update(record_id="1", deleted_at=timezone.now())

    page = desktop_page
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_phone", a.admin.phone or "")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")

    page.goto(f"{live_server.url}/a/jiashi/office/documents/trash/")
    with page.expect_navigation():
        page.click('a.tabs__item:has-text("其他模块的文件")')
    assert "旧营业执照.pdf" in page.inner_text("#module-files")

    with page.expect_navigation():
        page.click(VERSIONS)
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "documents-module-files-desktop.png"), full_page=True)
    url = page.url
    page.click(f'tr[data-stored-file="{files[0].pk}"] >> text=恢复为当前')
    page.wait_for_selector("text=已将“2025年会封面.pdf”恢复为当前文件")
    assert page.url == url  # redrawn in place
    assert len(questions) == 1 and "恢复为活动封面的当前文件" in questions[0]
    with tenant_context(b):
        job.refresh_from_db()
        assert StoredFile.objects.get(pk=job.result_file_id).content_id == files[0].content_id
    # The version it replaced is on the redrawn list.
    page.wait_for_selector(f'tr[data-stored-file="{files[1].pk}"]')

    with page.expect_navigation():
        page.click('a.tabs__item[href$="show=trash"]')
    page.click(f'tr[data-stored-file="{files[2].pk}"] >> text=彻底删除')
    page.wait_for_selector("text=已彻底删除“旧营业执照.pdf”")
    assert len(questions) == 2 and "此操作无法恢复" in questions[1]
    with tenant_context(b):
        assert not StoredFile.objects.filter(pk=files[2].pk).exists()

    with page.expect_navigation():
        page.click(VERSIONS)
    with page.expect_navigation():
        page.click(f'tr[data-stored-file="{files[1].pk}"] >> text=存入资料库')
    with page.expect_navigation():
        page.click("#save-form button")
    assert "已存入资料库" in page.inner_text("main")
    with tenant_context(b):
        saved = DriveFile.objects.select_related("current").get(name="2026年会封面.pdf")
        assert saved.current is not None and saved.current.content_id == files[1].content_id
