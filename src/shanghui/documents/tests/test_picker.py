"""Files of the library attached to an event by picking them (core.contributions.LIBRARY):
on the event's set-up page and through the API, never one the person may not see."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from shanghui.core.models import StoredContent
from shanghui.core.storage.content import content_blocks
from shanghui.core.tenancy import tenant_context
from shanghui.documents.models import DriveFile, Folder
from shanghui.documents.services import files as file_services
from shanghui.documents.services import folders as folder_services
from shanghui.events.models import EventDocument
from shanghui.events.tests.factories import make_event
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

AGENDA = b"%PDF-1.4 agenda of the council meeting"


def _library_file(side: Side, name: str, data: bytes, *, folder_name: str = "") -> DriveFile:
    with tenant_context(side.association):
        folder: Folder = folder_services.root_folder(side.association)
        if folder_name:
            folder = folder_services.folder_create(
                association=side.association, actor=side.admin, parent=folder, name=folder_name
            )
        version = file_services.file_upload(
            association=side.association,
            actor=side.admin,
            folder=folder,
            name=name,
            source=io.BytesIO(data),
        )
        return version.file


def _bytes(side: Side, document: EventDocument) -> bytes:
    assert document.file is not None
    return b"".join(content_blocks(side.association, document.file.content))


def test_the_setup_page_offers_the_library_and_attaches_a_copy(
    side_a: Side, admin_a: Client
) -> None:
    event = make_event(side_a.association, side_a.admin, title="第五届第三次理事会")
    agenda = _library_file(side_a, "会议议程.pdf", AGENDA, folder_name="会议材料")
    _library_file(side_a, "名册.txt", "龚志军".encode())  # not a type events take: not offered
    url = reverse(
        "events:office_setup",
        kwargs={"association_slug": side_a.association.slug, "event_id": event.pk},
    )
    page = admin_a.get(url).content.decode()
    assert "会议材料 / 会议议程.pdf" in page and "名册.txt" not in page
    response = admin_a.post(
        url, {"form": "document", "library_file": str(agenda.pk), "kind": "material"}
    )
    assert response.status_code == 302
    with tenant_context(side_a.association):
        document = EventDocument.objects.get(event=event)
        assert document.name == "会议议程.pdf"
        assert _bytes(side_a, document) == AGENDA
    # Neither both ways at once, nor none.
    response = admin_a.post(url, {"form": "document", "kind": "material"})
    assert "请上传文件，或从资料库选择一个文件" in response.content.decode()


def test_the_api_attaches_by_id_and_refuses_other_associations_files(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    event = make_event(side_a.association, side_a.admin)
    mine = _library_file(side_a, "议程.pdf", AGENDA)
    theirs = _library_file(side_b, "乙方议程.pdf", b"%PDF-1.4 theirs")
    base = f"/api/v1/associations/{side_a.association.slug}/events/{event.pk}/documents"
    refused = admin_a.post(f"{base}?library_file_id={theirs.pk}")
    assert refused.status_code == 404
    created = admin_a.post(f"{base}?library_file_id={mine.pk}")
    assert created.status_code == 201, created.content
    with tenant_context(side_a.association):
        document = EventDocument.objects.get(event=event)
        assert _bytes(side_a, document) == AGENDA
        # The same bytes, not a second copy: the event's file is the library version's content.
        mine.refresh_from_db()
        assert document.file is not None and mine.current is not None
        assert document.file.content_id == mine.current.content_id
        assert StoredContent.objects.filter(association=side_a.association).count() == 1


def test_a_notice_attaches_a_library_file_on_its_page_and_through_the_api(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    from shanghui.publishing.models import AnnouncementAttachment
    from shanghui.publishing.tests.announcement_factories import draft

    notice = draft(side_a.association, side_a.admin, title="关于年检材料的通知")
    form = _library_file(side_a, "年检材料清单.pdf", AGENDA)
    theirs = _library_file(side_b, "乙方清单.pdf", b"%PDF-1.4 theirs")
    page_url = reverse(
        "publishing:office_announcement",
        kwargs={"association_slug": side_a.association.slug, "announcement_id": notice.pk},
    )
    assert "资料库 / 年检材料清单.pdf" in admin_a.get(page_url).content.decode()
    attach_url = reverse(
        "publishing:office_announcement_attach",
        kwargs={"association_slug": side_a.association.slug, "announcement_id": notice.pk},
    )
    admin_a.post(attach_url, {"library_file": str(form.pk)})
    api = f"/api/v1/associations/{side_a.association.slug}/announcements/{notice.pk}/attachments"
    assert admin_a.post(f"{api}?library_file_id={theirs.pk}").status_code == 404
    assert admin_a.post(f"{api}?library_file_id={form.pk}").status_code == 201
    with tenant_context(side_a.association):
        attached = list(AnnouncementAttachment.objects.filter(announcement=notice))
        assert [a.name for a in attached] == ["年检材料清单.pdf", "年检材料清单.pdf"]
        # Each holds the library's stored content itself (the same bytes, stored once).
        form.refresh_from_db()
        version = form.current
        assert version is not None
        assert all(a.file.content_id == version.content_id for a in attached)
