"""The events' notices and audience rules moved into core's inbox and audience tables (events
migrations 0005 and 0006): forward keeps every row with its id; backward puts them back where
they were and empties core's copies, so that forward again works."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shanghui.core.models import AudienceRule, InboxMessage
from shanghui.core.tenancy import scopes_disabled
from shanghui.events.tests.factories import make_event
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0004_idempotency_request_fingerprint")]


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


def test_notices_and_rules_go_to_core_and_come_back(side_a: Side, back_to_latest: None) -> None:
    event = make_event(side_a.association, side_a.admin)
    old = _migrate(BEFORE)
    Notice = old.get_model("events", "Notice")
    Rule = old.get_model("events", "AudienceRule")
    Notice.objects.create(
        id=41, association_id=side_a.association.pk, user_id=side_a.member_user.pk,
        event_id=event.pk, subject="年会提醒", text="明天九点", read_at=None,
    )  # fmt: skip
    Rule.objects.create(
        id=7, association_id=side_a.association.pk, event_id=event.pk, kind="person",
        person_id=side_a.person.pk,
    )  # fmt: skip

    new = _migrate(_latest())
    message = new.get_model("core", "InboxMessage").objects.get(id=41)
    assert (message.target_type, message.target_id, message.subject) == (
        "events.event", event.pk, "年会提醒",
    )  # fmt: skip
    rule = new.get_model("core", "AudienceRule").objects.get(id=7)
    assert (rule.owner_type, rule.owner_id, rule.kind, rule.target_id) == (
        "events.event", event.pk, "person", side_a.person.pk,
    )  # fmt: skip

    old = _migrate(BEFORE)
    assert old.get_model("events", "Notice").objects.get(id=41).event_id == event.pk
    assert old.get_model("events", "AudienceRule").objects.get(id=7).person_id == side_a.person.pk
    # core stays migrated: its tables are the ones of today's models
    with scopes_disabled():
        assert not InboxMessage.objects.exists() and not AudienceRule.objects.exists()

    new = _migrate(_latest())  # forward again: no duplicate ids
    assert new.get_model("core", "InboxMessage").objects.filter(id=41).exists()
    assert new.get_model("core", "AudienceRule").objects.filter(id=7).exists()
