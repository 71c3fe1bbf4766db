"""Migration 0007 moves an event's cover and its documents from the old media storage into
the content store: the same bytes, held as the field's current file, with the name it had."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shanghui.core.storage.content import content_blocks
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Event, EventDocument
from shanghui.events.tests.factories import make_event
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0006_move_audience_rules_to_core")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest() -> Any:
    yield
    _migrate(_latest())  # whatever happened, the next test finds today's schema


def test_covers_and_documents_move_into_the_content_store(
    side_a: Side, back_to_latest: None
) -> None:
    event = make_event(side_a.association, side_a.admin)
    bare = make_event(side_a.association, side_a.admin, title="无封面的活动")
    old = _migrate(BEFORE)
    cover_name = default_storage.save("events/covers/2026/05/cover.png", ContentFile(b"png"))
    document_name = default_storage.save("events/documents/2026/05/议程.pdf", ContentFile(b"%PDF"))
    old.get_model("events", "Event").objects.filter(pk=event.pk).update(cover=cover_name)
    document_id = (
        old.get_model("events", "EventDocument")
        .objects.create(
            association_id=side_a.association.pk,
            event_id=event.pk,
            kind="material",
            name="议程.pdf",
            file=document_name,
        )
        .pk
    )
    missing_id = (
        old.get_model("events", "EventDocument")
        .objects.create(
            association_id=side_a.association.pk,
            event_id=event.pk,
            kind="material",
            name="丢失.pdf",
            file="events/documents/2026/05/gone.pdf",
        )
        .pk
    )

    _migrate(_latest())
    with tenant_context(side_a.association):
        moved = Event.objects.select_related("cover__content").get(pk=event.pk)
        assert moved.cover is not None
        assert moved.cover.holder == "events.event.cover"
        assert moved.cover.record_id == str(event.pk)
        assert b"".join(content_blocks(side_a.association, moved.cover.content)) == b"png"
        assert Event.objects.get(pk=bare.pk).cover_id is None
        document = EventDocument.objects.select_related("file__content").get(pk=document_id)
        assert document.file is not None
        assert document.file.name == document_name.rsplit("/", 1)[-1]
        assert b"".join(content_blocks(side_a.association, document.file.content)) == b"%PDF"
        # A file missing from the old storage leaves the field empty, not pointing at nothing.
        assert EventDocument.objects.get(pk=missing_id).file_id is None
    default_storage.delete(cover_name)
    default_storage.delete(document_name)
