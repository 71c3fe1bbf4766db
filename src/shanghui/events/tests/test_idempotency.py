"""An ``Idempotency-Key`` names one request: a retry of that request gets the first answer,
another request sent with the same key is refused (422) and registers nobody (issue 13.11)."""

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.events.models import IdempotencyRecord, Registration
from shanghui.testing.fixtures import Side

from .factories import make_event
from .test_api import api, base, post

pytestmark = pytest.mark.django_db


def test_a_key_reused_for_another_person_is_refused_and_registers_nobody(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin)
    url = f"{base(side_a)}/{event.pk}/registrations"
    admin = api(side_a.admin)
    first_body = {"on_behalf": True, "name": "王先生", "phone": "13900001111"}
    first = post(admin, url, first_body, **{"Idempotency-Key": "desk-1"})
    assert first.status_code == 201, first.content

    # The clerk's script keeps the key of the last request for the next person.
    second = post(
        admin, url, {"on_behalf": True, "name": "李女士", "phone": "13900002222"},
        **{"Idempotency-Key": "desk-1"},
    )  # fmt: skip
    assert second.status_code == 422, second.content
    error = second.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "内容不同" in error["message"] and "王先生" not in second.content.decode()
    with tenant_context(a):
        assert list(Registration.objects.filter(event=event).values_list("name", flat=True)) == [
            "王先生"
        ]
        event.refresh_from_db()
        assert event.seats_taken == 1

    # The first request sent again — keys reordered, a default spelled out — is a retry.
    retry = post(
        admin, url, {"phone": "13900001111", "name": "王先生", "on_behalf": True, "companions": 0},
        **{"Idempotency-Key": "desk-1"},
    )  # fmt: skip
    assert (retry.status_code, retry.json()["id"]) == (201, first.json()["id"])
    # And the second person registers with a key of their own.
    fresh = post(
        admin, url, {"on_behalf": True, "name": "李女士", "phone": "13900002222"},
        **{"Idempotency-Key": "desk-2"},
    )  # fmt: skip
    assert fresh.status_code == 201 and fresh.json()["name"] == "李女士"


def test_a_key_reused_with_other_answers_is_refused(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin, max_companions=2)
    url = f"{base(side_a)}/{event.pk}/registrations"
    member = api(side_a.member_user)
    assert post(member, url, {}, **{"Idempotency-Key": "m-1"}).status_code == 201
    changed = post(member, url, {"companions": 2}, **{"Idempotency-Key": "m-1"})
    assert changed.status_code == 422 and "Idempotency-Key" in changed.json()["error"]["fields"]
    with tenant_context(side_a.association):
        registration = Registration.objects.get(event=event)
        assert registration.companions == 0
        record = IdempotencyRecord.objects.get(key="m-1")
        assert len(record.fingerprint) == 64


def test_a_retry_after_registration_closed_still_gets_the_first_answer(side_a: Side) -> None:
    """The key is compared only when the request fails or conflicts — and then it is."""
    from shanghui.events.models import Event

    event = make_event(side_a.association, side_a.admin)
    url = f"{base(side_a)}/{event.pk}/registrations"
    member = api(side_a.member_user)
    first = post(member, url, {}, **{"Idempotency-Key": "late"})
    assert first.status_code == 201
    with tenant_context(side_a.association):
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    retry = post(member, url, {}, **{"Idempotency-Key": "late"})
    assert (retry.status_code, retry.json()["id"]) == (201, first.json()["id"])
    other = post(member, url, {"companions": 1}, **{"Idempotency-Key": "late"})
    assert other.status_code == 422


def test_a_key_reused_for_another_event_is_refused_and_registers_nobody(side_a: Side) -> None:
    a = side_a.association
    first_event = make_event(a, side_a.admin)
    other_event = make_event(a, side_a.admin, title="另一场")
    member = api(side_a.member_user)
    first = post(
        member, f"{base(side_a)}/{first_event.pk}/registrations", {}, **{"Idempotency-Key": "e-1"}
    )
    assert first.status_code == 201
    again = post(
        member, f"{base(side_a)}/{other_event.pk}/registrations", {}, **{"Idempotency-Key": "e-1"}
    )
    assert again.status_code == 422, again.content
    assert "另一个活动" in again.json()["error"]["message"]
    with tenant_context(a):
        assert not Registration.objects.filter(event=other_event).exists()
        other_event.refresh_from_db()
        assert other_event.seats_taken == 0


@pytest.mark.postgres_only(
    reason="the in-memory SQLite test database answers a concurrent writer 'locked' (a 500)"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_at_once_with_one_key_registers_once(side_a: Side) -> None:
    """A client that retries before the first answer arrives: every copy gets the first
    answer (201 and the same registration), one seat is taken. The copies wait on the
    registration's unique index, find the first registration, then the key's record, and
    answer as the first did."""
    import threading

    from django.db import connection

    a = side_a.association
    event = make_event(a, side_a.admin)
    url = f"{base(side_a)}/{event.pk}/registrations"
    member = api(side_a.member_user)
    start = threading.Barrier(4)
    answers: list[tuple[int, object]] = []

    def send() -> None:
        try:
            start.wait(timeout=30)
            answer = post(member, url, {"companions": 0}, **{"Idempotency-Key": "tap"})
            answers.append((answer.status_code, answer.json().get("id")))
        except Exception as exc:
            answers.append((0, repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with tenant_context(a):
        registration = Registration.objects.get(event=event)
        event.refresh_from_db()
        assert IdempotencyRecord.objects.filter(key="tap").count() == 1
    assert answers == [(201, registration.pk)] * 4, answers
    assert event.seats_taken == 1
