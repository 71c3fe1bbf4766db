"""Other modules' files (其他模块的文件): the secretariat sees what records of other modules
no longer hold — the trash and kept versions — downloads it, saves it into the library (the
same stored bytes), makes a kept version current again; administrators purge. Pages and API.

The list takes any row with ``replaced_at`` or ``deleted_at`` set whatever its field, so most
tests store files and mark them as a versioned field's retired files are (``stored``);
restoring runs on a real versioned field, a member's logo."""

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from shanghui.core.models import AuditEntry, Job, StoredContent, StoredFile
from shanghui.core.storage.content import content_usage
from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile
from shanghui.documents.services.files import library_name
from shanghui.documents.tests.helpers import folder_make, root_of, staff_of
from shanghui.testing.fixtures import Side, api_client_for, client_for

pytestmark = pytest.mark.django_db
HOLDER = "core.job.result_file"
LOGO = "members.member.logo"  # a versioned field
BANNER = "associations.association.banner"


def office(side: Side, rest: str = "") -> str:
    return f"/a/{side.association.slug}/office/documents/module-files/{rest}"


def api(side: Side, rest: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/documents/{rest}"


def _json(response: Any) -> Any:
    return json.loads(response.content)


def job_of(side: Side, label: str = "年度导出") -> Job:
    with tenant_context(side.association):
        return Job.objects.create(
            association=side.association, owner=side.admin, kind="x", label=label
        )


def stored(
    side: Side,
    name: str,
    data: bytes,
    *,
    state: str = "trash",
    record_id: str = "1",
    holder: str = HOLDER,
    ago: timedelta = timedelta(0),
) -> StoredFile:
    """A module file as a versioned field leaves it: kept (``state="version"``) or trashed."""
    row = file_store(side.association, io.BytesIO(data), holder=HOLDER, name=name, by=side.admin)
    when = timezone.now() - ago
    fields = {"replaced_at": when} if state == "version" else {"deleted_at": when}
    with tenant_context(side.association):
        StoredFile.objects.filter(pk=row.pk).update(record_id=record_id, holder=holder, **fields)
        return StoredFile.objects.select_related("content").get(pk=row.pk)


def test_page_lists_the_trash_and_the_kept_versions_with_what_they_belonged_to(
    side_a: Side,
) -> None:
    old = stored(side_a, "旧营业执照.pdf", b"%PDF-1.4 licence", ago=timedelta(days=2))
    kept = stored(side_a, "去年封面.pdf", b"%PDF-1.4 cover", state="version")
    unknown = stored(side_a, "未知字段.pdf", b"%PDF-1.4 x", holder="events.event.poster")
    # A job's export result (an expiring file) never shows, attached or not.
    job = job_of(side_a)
    result = file_store(
        side_a.association, io.BytesIO(b"phones"), holder=HOLDER, name="导出结果.xlsx"
    )
    with tenant_context(side_a.association):
        file_attach(job, "result_file", result)
        assert StoredFile.objects.get(pk=result.pk).expires_at is not None
    admin = client_for(side_a.admin)

    trash = admin.get(office(side_a))
    assert trash.status_code == 200
    page = trash.content.decode()
    assert "旧营业执照.pdf" in page and "未知字段.pdf" in page and "去年封面.pdf" not in page
    assert "导出结果.xlsx" not in page
    assert "result file" in page  # the field's verbose_name (Job's has none: Django's)
    assert "events.event.poster" in page  # a holder no field answers to: shown as it is
    removes = timezone.localtime(old.deleted_at + timedelta(days=30)).strftime("%Y-%m-%d")
    assert removes in page
    assert "彻底删除" in page and f'data-stored-file="{unknown.pk}"' in page
    assert "其他模块的文件" in admin.get("/a/jiashi/office/documents/trash/").content.decode()

    versions = admin.get(office(side_a, "?show=versions")).content.decode()
    assert "去年封面.pdf" in versions and "旧营业执照.pdf" not in versions
    assert f'data-stored-file="{kept.pk}"' in versions
    assert "/restore/" not in versions  # its record (job "1") does not exist


def test_staff_see_and_save_but_only_administrators_purge(side_a: Side) -> None:
    row = stored(side_a, "旧章程.pdf", b"%PDF-1.4 rules")
    staff = client_for(staff_of(side_a))
    page = staff.get(office(side_a)).content.decode()
    assert "旧章程.pdf" in page and "只有管理员可以彻底删除" in page and "btn--danger" not in page
    assert staff.post(office(side_a, f"{row.pk}/purge/")).status_code == 403
    member = client_for(side_a.member_user)
    assert member.get(office(side_a)).status_code == 403
    assert member.get(office(side_a, f"{row.pk}/download/")).status_code == 403
    with tenant_context(side_a.association):
        assert StoredFile.objects.filter(pk=row.pk).exists()


def test_download_is_the_stored_bytes_and_logged(side_a: Side) -> None:
    row = stored(side_a, "活动海报.pdf", b"%PDF-1.4 poster")
    response = client_for(side_a.admin).get(office(side_a, f"{row.pk}/download/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 poster"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    with tenant_context(side_a.association):
        entry = AuditEntry.objects.get(action="documents.module_file.download")
    assert entry.target_id == str(row.pk) and entry.summary == "活动海报.pdf"


def test_save_to_library_reuses_the_content_and_a_second_save_is_a_new_version(
    side_a: Side,
) -> None:
    row = stored(side_a, "旧营业执照.pdf", b"%PDF-1.4 licence")
    admin = client_for(side_a.admin)
    form = admin.get(office(side_a, f"{row.pk}/save/"))
    assert form.status_code == 200 and "旧营业执照.pdf" in form.content.decode()
    root = root_of(side_a)
    before = content_usage(side_a.association)
    with tenant_context(side_a.association):
        contents = StoredContent.objects.count()

    done = admin.post(office(side_a, f"{row.pk}/save/"), {"name": row.name, "folder": root.pk})
    assert done.status_code == 302
    with tenant_context(side_a.association):
        file = DriveFile.objects.select_related("current").get(folder=root, name="旧营业执照.pdf")
        assert file.current is not None and file.current.content_id == row.content_id
        assert StoredContent.objects.count() == contents
        entry = AuditEntry.objects.get(action="documents.module_file.save")
    assert done["Location"].endswith(f"/office/documents/files/{file.pk}/")
    assert content_usage(side_a.association) == before
    assert entry.data["stored_file"] == row.pk and entry.data["holder"] == HOLDER

    # Saved again under the same name: its next version, as an upload of that name.
    admin.post(office(side_a, f"{row.pk}/save/"), {"name": row.name, "folder": root.pk})
    with tenant_context(side_a.association):
        file.refresh_from_db()
        assert file.version_count == 2
        assert DriveFile.objects.filter(name="旧营业执照.pdf").count() == 1

    # Into a chosen folder, under another name.
    folder = folder_make(side_a, "证照")
    admin.post(office(side_a, f"{row.pk}/save/"), {"name": "执照2025.pdf", "folder": folder.pk})
    with tenant_context(side_a.association):
        assert DriveFile.objects.get(folder=folder).name == "执照2025.pdf"


def test_save_refuses_a_bad_name_and_another_associations_folder(
    side_a: Side, side_b: Side
) -> None:
    row = stored(side_a, "旧营业执照.pdf", b"%PDF-1.4 licence")
    admin = client_for(side_a.admin)
    bad = admin.post(
        office(side_a, f"{row.pk}/save/"), {"name": "a/b.pdf", "folder": root_of(side_a).pk}
    )
    assert bad.status_code == 200 and "名称不能包含" in bad.content.decode()
    foreign = admin.post(
        office(side_a, f"{row.pk}/save/"), {"name": "x.pdf", "folder": root_of(side_b).pk}
    )
    assert foreign.status_code == 200  # not a choice of this form
    with tenant_context(side_a.association):
        assert not DriveFile.objects.exists()


def test_library_name_shortens_a_long_name_keeping_its_extension() -> None:
    name = library_name("很" * 250 + ".pdf")
    assert len(name) == 200 and name.endswith("很.pdf")
    assert library_name(" 纪要.docx ") == "纪要.docx"


def test_purge_removes_the_row_and_never_a_current_file(side_a: Side) -> None:
    row = stored(side_a, "旧章程.pdf", b"%PDF-1.4 rules", state="version")
    admin = client_for(side_a.admin)
    done = admin.post(office(side_a, f"{row.pk}/purge/"), {"show": "versions", "page": "1"})
    assert done.status_code == 302 and done["Location"].endswith("?show=versions&page=1")
    with tenant_context(side_a.association):
        assert not StoredFile.objects.filter(pk=row.pk).exists()
        assert AuditEntry.objects.filter(action="documents.module_file.purge").exists()

    # A record's current file is never on the page; were one marked (a module's bug), the
    # purge still refuses it.
    job = job_of(side_a)
    current = file_store(side_a.association, io.BytesIO(b"x"), holder=HOLDER, name="当前.pdf")
    with tenant_context(side_a.association):
        file_attach(job, "result_file", current)
        StoredFile.objects.filter(pk=current.pk).update(expires_at=None, replaced_at=timezone.now())
    refused = admin.post(office(side_a, f"{current.pk}/purge/"), follow=True)
    assert "不能彻底删除" in refused.content.decode()
    with tenant_context(side_a.association):
        assert StoredFile.objects.filter(pk=current.pk).exists()


def test_htmx_buttons_redraw_the_list_with_the_message(side_a: Side) -> None:
    row = stored(side_a, "旧章程.pdf", b"%PDF-1.4 rules")
    other = stored(side_a, "留着.pdf", b"%PDF-1.4 keep")
    response = client_for(side_a.admin).post(
        office(side_a, f"{row.pk}/purge/"), {"show": "trash", "page": "1"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="messages"' in body and 'hx-swap-oob="true"' in body and "已彻底删除" in body
    assert f'data-stored-file="{other.pk}"' in body and f'data-stored-file="{row.pk}"' not in body
    assert 'hx-confirm="彻底删除“留着.pdf”？此操作无法恢复。"' in body
    assert 'data-confirm="彻底删除“留着.pdf”？此操作无法恢复。"' in body


def test_the_list_pages(side_a: Side) -> None:
    first = stored(side_a, "第1个.pdf", b"%PDF-1.4 one")
    with tenant_context(side_a.association):
        StoredFile.objects.bulk_create(
            StoredFile(
                association=side_a.association,
                content_id=first.content_id,
                holder=HOLDER,
                record_id="1",
                name=f"批量{i}.pdf",
                deleted_at=timezone.now(),
            )
            for i in range(55)
        )
    admin = client_for(side_a.admin)
    one = admin.get(office(side_a, "?show=trash")).content.decode()
    two = admin.get(office(side_a, "?show=trash&page=2")).content.decode()
    assert one.count("data-stored-file=") == 50 and two.count("data-stored-file=") == 6
    assert "共 56 条" in one and "show=trash&amp;page=2" in one


def logo_versions(side: Side) -> tuple[StoredFile, StoredFile]:
    """A member's logo replaced once: a real versioned field's kept version and current file."""
    first, second = (
        file_store(side.association, io.BytesIO(data), holder=LOGO, name=name, by=side.admin)
        for data, name in ((b"\x89PNG A", "A.png"), (b"\x89PNG B", "B.png"))
    )
    with tenant_context(side.association):
        file_attach(side.member, "logo", first)
        file_attach(side.member, "logo", second)
    return first, second


def test_restore_makes_a_kept_version_current_again(side_a: Side) -> None:
    member = side_a.member
    first, second = logo_versions(side_a)
    admin = client_for(side_a.admin)
    versions = admin.get(office(side_a, "?show=versions")).content.decode()
    assert "A.png" in versions and "企业标志" in versions and "恢复为当前" in versions
    assert "甲市秘书长" in versions  # who replaced it: who stored the next version (unknown: —)

    admin.post(office(side_a, f"{first.pk}/restore/"), {"show": "versions"})
    with tenant_context(side_a.association):
        member.refresh_from_db()
        current = StoredFile.objects.get(pk=member.logo_id)
        assert current.content_id == first.content_id and current.pk != first.pk
        assert StoredFile.objects.get(pk=second.pk).replaced_at is not None
        entry = AuditEntry.objects.get(action="documents.module_file.restore")
    assert entry.target_id == str(member.pk) and entry.data["restored_as"] == current.pk
    # The kept version and the one it replaced are both on the list now.
    versions = admin.get(office(side_a, "?show=versions")).content.decode()
    assert f'data-stored-file="{first.pk}"' in versions
    assert f'data-stored-file="{second.pk}"' in versions
    # The current file cannot be purged (nor is it reachable here).
    assert admin.post(office(side_a, f"{current.pk}/purge/")).status_code == 404


def test_restore_is_refused_for_the_trash_a_deleted_record_or_an_unversioned_field(
    side_a: Side,
) -> None:
    job = job_of(side_a)
    trashed = stored(side_a, "删掉的.pdf", b"%PDF-1.4 t", record_id=str(job.pk))
    kept = stored(side_a, "旧的.pdf", b"%PDF-1.4 v", state="version", record_id=str(job.pk))
    gone = stored(side_a, "孤儿.pdf", b"%PDF-1.4 o", state="version", record_id="999")
    admin = client_for(side_a.admin)
    for row in (trashed, kept, gone):  # Job.result_file expires: never restored over
        answer = admin.post(office(side_a, f"{row.pk}/restore/"), follow=True)
        assert "不保留历史版本" in answer.content.decode()
    with tenant_context(side_a.association):
        job.refresh_from_db()
    assert job.result_file_id is None


def test_restore_refusals_for_a_versioned_field(side_a: Side) -> None:
    member = str(side_a.member.pk)
    trashed = stored(side_a, "删掉的.png", b"\x89PNG t", record_id=member, holder=LOGO)
    gone = stored(side_a, "孤儿.png", b"\x89PNG o", state="version", record_id="999", holder=LOGO)
    admin = client_for(side_a.admin)
    answer = admin.post(office(side_a, f"{trashed.pk}/restore/"), follow=True)
    assert "只能把历史版本恢复为当前文件" in answer.content.decode()
    answer = admin.post(office(side_a, f"{gone.pk}/restore/"), follow=True)
    assert "所属的记录已删除" in answer.content.decode()


def test_another_associations_files_are_404(side_a: Side, side_b: Side) -> None:
    theirs = stored(side_b, "乙市执照.pdf", b"%PDF-1.4 b")
    admin = client_for(side_a.admin)
    assert "乙市执照" not in admin.get(office(side_a)).content.decode()
    for rest in ("download/", "save/"):
        assert admin.get(office(side_a, f"{theirs.pk}/{rest}")).status_code == 404
    for rest in ("save/", "restore/", "purge/"):
        assert admin.post(office(side_a, f"{theirs.pk}/{rest}")).status_code == 404
    client = api_client_for(side_a.admin)
    assert client.get(api(side_a, f"module-files/{theirs.pk}/download")).status_code == 404
    for rest in ("restore", "purge"):
        assert client.post(api(side_a, f"module-files/{theirs.pk}/{rest}")).status_code == 404
    with tenant_context(side_b.association):
        assert StoredFile.objects.filter(pk=theirs.pk).exists()


def test_api_lists_downloads_saves_and_purges(side_a: Side) -> None:
    trashed = stored(side_a, "旧营业执照.pdf", b"%PDF-1.4 licence", ago=timedelta(days=1))
    kept = stored(side_a, "去年封面.pdf", b"%PDF-1.4 cover", state="version")
    client = api_client_for(side_a.admin)

    trash = _json(client.get(api(side_a, "module-files")))
    assert trash["count"] == 1
    item = trash["items"][0]
    assert item["id"] == trashed.pk and item["state"] == "trash" and item["holder"] == HOLDER
    assert item["field_label"] == "result file" and item["removes_at"] is not None
    assert item["size"] == len(b"%PDF-1.4 licence") and item["content_type"] == "application/pdf"
    versions = _json(client.get(api(side_a, "module-files?show=versions&page_size=1")))
    assert [i["id"] for i in versions["items"]] == [kept.pk] and versions["next_cursor"] is None
    assert client.get(api(side_a, "module-files?show=everything")).status_code == 422
    later = stored(side_a, "新删除的.pdf", b"%PDF-1.4 later")
    first = _json(client.get(api(side_a, "module-files?page_size=1")))
    assert [i["id"] for i in first["items"]] == [later.pk] and first["count"] == 2
    rest = _json(client.get(api(side_a, f"module-files?page_size=1&cursor={first['next_cursor']}")))
    assert [i["id"] for i in rest["items"]] == [trashed.pk] and rest["next_cursor"] is None

    download = client.get(api(side_a, f"module-files/{trashed.pk}/download"))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 licence"  # type: ignore[attr-defined]

    saved = client.post(
        api(side_a, f"module-files/{trashed.pk}/save"), {}, content_type="application/json"
    )
    assert saved.status_code == 201 and _json(saved)["number"] == 1
    folder = folder_make(side_a, "证照")
    into = client.post(
        api(side_a, f"module-files/{kept.pk}/save"),
        {"folder_id": folder.pk, "name": "封面.pdf"},
        content_type="application/json",
    )
    assert into.status_code == 201
    with tenant_context(side_a.association):
        assert DriveFile.objects.get(pk=_json(into)["file_id"]).folder_id == folder.pk
        assert DriveFile.objects.get(pk=_json(saved)["file_id"]).folder_id == root_of(side_a).pk

    refused = client.post(api(side_a, f"module-files/{kept.pk}/restore"))
    assert refused.status_code == 400  # Job.result_file keeps no versions

    staff = api_client_for(staff_of(side_a))
    assert staff.get(api(side_a, "module-files")).status_code == 200
    assert staff.post(api(side_a, f"module-files/{kept.pk}/purge")).status_code == 403
    assert client.post(api(side_a, f"module-files/{kept.pk}/purge")).status_code == 204
    assert client.post(api(side_a, f"module-files/{kept.pk}/purge")).status_code == 404
    member = api_client_for(side_a.member_user)
    assert member.get(api(side_a, "module-files")).status_code == 403


def test_api_restore(side_a: Side) -> None:
    first, _second = logo_versions(side_a)
    client = api_client_for(side_a.admin)
    answer = client.post(api(side_a, f"module-files/{first.pk}/restore"))
    assert answer.status_code == 201
    body = _json(answer)
    assert body["state"] == "current" and body["record_exists"] and body["name"] == "A.png"
    with tenant_context(side_a.association):
        side_a.member.refresh_from_db()
    assert side_a.member.logo_id == body["id"]


def test_an_earlier_banner_of_the_association_itself_can_be_made_current(side_a: Side) -> None:
    """The association's own files (its banner, its logo) belong to the association row,
    which has no association column: it is still a record that exists."""
    a = side_a.association
    first, second = (
        file_store(a, io.BytesIO(data), holder=BANNER, name=name, by=side_a.admin)
        for data, name in ((b"\x89PNG 1", "横幅1.png"), (b"\x89PNG 2", "横幅2.png"))
    )
    with tenant_context(a):
        file_attach(a, "banner", first)
        file_attach(a, "banner", second)
    admin = client_for(side_a.admin)
    versions = admin.get(office(side_a, "?show=versions")).content.decode()
    assert "横幅1.png" in versions and "（记录已删除）" not in versions and "恢复为当前" in versions
    admin.post(office(side_a, f"{first.pk}/restore/"), {"show": "versions"})
    a.refresh_from_db()
    with tenant_context(a):
        current = StoredFile.objects.get(pk=a.banner_id)
    assert current.content_id == first.content_id and current.pk != first.pk
