"""An event's cover and documents are held in the content store (``core.storage.files``): a
replaced cover is kept as a version, a deleted document's file goes to the trash, and neither
is ever served to another association, whatever id is tried."""

import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from shanghui.core.models import StoredFile
from shanghui.core.storage.content import content_blocks
from shanghui.core.storage.files import file_versions
from shanghui.core.tenancy import tenant_context
from shanghui.events.forms import EventForm
from shanghui.events.models import Event, EventDocument
from shanghui.events.services import events as event_services
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.pictures import photo_like

from .factories import cover_set, make_event

pytestmark = pytest.mark.django_db

AGENDA = b"%PDF-1.4 agenda of the annual meeting"


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _url(name: str, side: Side, **kwargs: object) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def _edit_with_cover(admin: Client, side: Side, event: Event, picture: bytes) -> None:
    form: dict[str, Any] = {
        k: ("" if v is None else v) for k, v in EventForm.initial_for(event).items()
    }
    form["starts_at"] = form["starts_at"].strftime("%Y-%m-%dT%H:%M")
    form["ends_at"] = form["ends_at"].strftime("%Y-%m-%dT%H:%M")
    form["cover"] = SimpleUploadedFile("封面.png", picture, "image/png")
    response = admin.post(_url("office_edit", side, event_id=event.pk), form)
    assert response.status_code == 302, response.content.decode()[:2000]


def _document(side: Side, event: Event, data: bytes = AGENDA) -> EventDocument:
    with tenant_context(side.association):
        return event_services.document_add(
            association=side.association,
            actor=side.admin,
            event=event,
            upload=SimpleUploadedFile("年会议程.pdf", data),
        )


def _shown_colour(response: Any) -> object:
    with Image.open(io.BytesIO(response.content)) as picture:
        return picture.convert("RGB").getpixel((0, 0))


def test_replacing_a_cover_keeps_the_old_one_as_a_version(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    event = make_event(side_a.association, side_a.admin)
    _edit_with_cover(admin_a, side_a, event, _png("red"))
    _edit_with_cover(admin_a, side_a, event, _png("blue"))
    with tenant_context(side_a.association):
        event.refresh_from_db()
        newest, older = file_versions(event, "cover")
        assert event.cover_id == newest.pk and newest.replaced_at is None
        assert older.replaced_at is not None and older.deleted_at is None
        assert older.holder == newest.holder == "events.event.cover"
        assert older.record_id == newest.record_id == str(event.pk)
    # The member sees the new one.
    assert _shown_colour(member_a.get(_url("cover", side_a, event_id=event.pk))) == (0, 0, 255)


def test_a_new_event_with_a_cover_through_the_office_page(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    """The cover chosen with the new event is stored and attached with it; the page links it
    with its version, which lets the browser keep it."""
    with tenant_context(side_a.association):
        event = event_services.event_create(
            association=side_a.association,
            actor=side_a.admin,
            data=event_services.EventInput(
                title="新春联谊会",
                starts_at="2027-01-20T18:00",
                ends_at="2027-01-20T21:00",
                audience=Event.Audience.MEMBERS,
            ),
            cover=SimpleUploadedFile("cover.png", _png("red")),
        )
        event_services.event_publish(
            association=side_a.association, actor=side_a.admin, event=event
        )
        assert event.cover_id is not None
    page = member_a.get(_url("event", side_a, event_id=event.pk)).content.decode()
    assert re.search(r"/cover/\?size=screen&amp;v=[0-9a-f]{10}\"", page)


def test_a_picture_that_is_not_one_stores_nothing(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    with tenant_context(side_a.association):
        before = StoredFile.objects.count()
    with tenant_context(side_a.association), pytest.raises(ValidationError) as refused:
        event_services.event_update(
            association=side_a.association,
            actor=side_a.admin,
            event=event,
            data=event_services.EventInput(
                title=event.title, starts_at=event.starts_at, ends_at=event.ends_at
            ),
            cover=SimpleUploadedFile("cover.png", b"not a picture at all"),
        )
    assert "cover" in refused.value.message_dict
    with tenant_context(side_a.association):
        assert StoredFile.objects.count() == before


def test_deleting_a_document_puts_its_file_in_the_trash(
    side_a: Side, admin_a: Client, member_a: Client
) -> None:
    event = make_event(side_a.association, side_a.admin)
    document = _document(side_a, event)
    assert document.file is not None
    file_id = document.file.pk
    download = member_a.get(_url("document", side_a, event_id=event.pk, document_id=document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == AGENDA  # type: ignore[attr-defined]
    assert quote("年会议程.pdf") in download["Content-Disposition"]

    setup = admin_a.get(_url("office_setup", side_a, event_id=event.pk)).content.decode()
    delete = _url("office_document_delete", side_a, event_id=event.pk, document_id=document.pk)
    assert delete in setup
    assert admin_a.post(delete).status_code == 302
    with tenant_context(side_a.association):
        assert not EventDocument.objects.filter(pk=document.pk).exists()
        trashed = StoredFile.objects.select_related("content").get(pk=file_id)
        assert trashed.deleted_at is not None
        # In the trash, not gone: its bytes are still there to restore.
        assert b"".join(content_blocks(side_a.association, trashed.content)) == AGENDA
    gone = member_a.get(_url("document", side_a, event_id=event.pk, document_id=document.pk))
    assert gone.status_code == 404


def test_the_api_deletes_a_document_into_the_trash(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    document = _document(side_a, event)
    assert document.file is not None
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/events/{event.pk}/documents"
    assert [d["id"] for d in api.get(base).json()] == [document.pk]
    assert api.delete(f"{base}/{document.pk}").status_code == 204
    assert api.delete(f"{base}/{document.pk}").status_code == 404
    with tenant_context(side_a.association):
        assert StoredFile.objects.get(pk=document.file.pk).deleted_at is not None


def test_a_document_added_through_the_api_is_stored(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    api = api_client_for(side_a.admin)
    base = f"/api/v1/associations/{side_a.association.slug}/events/{event.pk}/documents"
    created = api.post(f"{base}?kind=minutes", {"file": SimpleUploadedFile("议程.pdf", AGENDA)})
    assert created.status_code == 201, created.content
    with tenant_context(side_a.association):
        document = EventDocument.objects.select_related("file__content").get(event=event)
        assert document.kind == "minutes" and document.file is not None
        assert document.file.holder == "events.eventdocument.file"
        assert b"".join(content_blocks(side_a.association, document.file.content)) == AGENDA


def test_another_associations_cover_and_documents_are_not_found_by_their_ids(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client, member_b: Client
) -> None:
    """B's event, cover and document ids tried on A's pages (and A's on B's) are a 404 — the
    same answer as an id that does not exist."""
    theirs = make_event(side_b.association, side_b.admin)
    cover_set(theirs, side_b.admin, photo_like(5, side=200, height=100))
    their_document = _document(side_b, theirs, b"%PDF-1.4 yishi secret")
    mine = make_event(side_a.association, side_a.admin)
    cover_set(mine, side_a.admin, photo_like(6, side=200, height=100))
    my_document = _document(side_a, mine)

    b_on_a = {"association_slug": side_a.association.slug}
    for client in (admin_a, member_a):
        for path in (
            reverse("events:cover", kwargs={**b_on_a, "event_id": theirs.pk}),
            reverse("events:public_cover", kwargs={**b_on_a, "event_id": theirs.pk}),
            reverse(
                "events:document",
                kwargs={**b_on_a, "event_id": theirs.pk, "document_id": their_document.pk},
            ),
            # A's own event with B's document id.
            reverse(
                "events:document",
                kwargs={**b_on_a, "event_id": mine.pk, "document_id": their_document.pk},
            ),
        ):
            assert client.get(f"{path}?size=screen").status_code == 404, path
    assert (
        admin_a.post(
            _url("office_document_delete", side_a, event_id=mine.pk, document_id=their_document.pk)
        ).status_code
        == 404
    )
    api = api_client_for(side_a.admin)
    a_base = f"/api/v1/associations/{side_a.association.slug}/events/{mine.pk}/documents"
    assert api.delete(f"{a_base}/{their_document.pk}").status_code == 404
    # B's member tries A's ids on B's own pages, and on A's.
    for path in (
        _url("cover", side_b, event_id=mine.pk),
        _url("document", side_b, event_id=mine.pk, document_id=my_document.pk),
        _url("document", side_b, event_id=theirs.pk, document_id=my_document.pk),
        _url("cover", side_a, event_id=mine.pk),
    ):
        assert member_b.get(path).status_code == 404, path
    # Nothing was deleted on the way, and each side still sees its own.
    with tenant_context(side_b.association):
        assert EventDocument.objects.filter(pk=their_document.pk).exists()
        assert not StoredFile.objects.filter(deleted_at__isnull=False).exists()
    assert member_b.get(_url("cover", side_b, event_id=theirs.pk)).status_code == 200
    assert member_a.get(_url("cover", side_a, event_id=mine.pk)).status_code == 200


def test_the_public_event_page_still_shows_the_cover(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin, audience=Event.Audience.PUBLIC)
    cover_set(event, side_a.admin, photo_like(4, side=1600, height=900))
    with tenant_context(side_a.association):
        event_services.calendar_settings_update(
            association=side_a.association, actor=side_a.admin, publish_calendar=True
        )
    visitor = Client()
    page = visitor.get(_url("public_event", side_a, event_id=event.pk))
    assert page.status_code == 200
    [src] = re.findall(r'<img src="([^"]*/cover/[^"]*)"', page.content.decode())
    src = src.replace("&amp;", "&")
    assert "size=screen" in src and "v=" in src
    shown = visitor.get(src)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert shown["Cache-Control"] == "private, max-age=31536000, immutable"
    with Image.open(io.BytesIO(shown.content)) as picture:
        assert picture.size == (750, 422)
    # Not on the public calendar: no cover for visitors either.
    with tenant_context(side_a.association):
        event_services.calendar_settings_update(
            association=side_a.association, actor=side_a.admin, publish_calendar=False
        )
    assert visitor.get(src).status_code == 404


def test_a_document_over_the_quota_is_refused_on_the_form(
    side_a: Side, admin_a: Client, settings: Any
) -> None:
    settings.STORAGE_QUOTA_DEFAULT = 10  # bytes: the agenda does not fit
    event = make_event(side_a.association, side_a.admin)
    response = admin_a.post(
        _url("office_setup", side_a, event_id=event.pk),
        {"form": "document", "kind": "material", "file": SimpleUploadedFile("议程.pdf", AGENDA)},
    )
    assert response.status_code == 200
    assert "资料库空间不足" in response.content.decode()
    with tenant_context(side_a.association):
        assert not EventDocument.objects.filter(event=event).exists()
        assert not StoredFile.objects.exists()
