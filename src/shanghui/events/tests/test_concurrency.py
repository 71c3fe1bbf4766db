"""Real threads against the real database (SQLite and PostgreSQL): many people registering
for the last seats at once never overbook, and one person registering from several tabs at
once gets one registration. On the in-memory SQLite test database a concurrent writer is
told "table is locked" at once instead of queueing behind the busy timeout as the WAL file
database does in production; the threads retry, as a client would."""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import OperationalError, connection

from shanghui.accounts.models import User
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Event, Registration
from shanghui.events.services import registration as registration_services
from shanghui.events.services import setup as setup_services
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user

PEOPLE = 24
SEATS = 8


def _retrying(action: Callable[[], str]) -> str:
    for _attempt in range(400):
        try:
            return action()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    return "gave up"


def _race(side: Side, event: Event, users: list[User]) -> list[str]:
    a = side.association
    start = threading.Barrier(len(users))
    outcomes: list[str] = []

    def register(user: User) -> str:
        with tenant_context(a):
            registrant = registration_services.registrant_for_user(association=a, user=user)
            return registration_services.registration_create(
                association=a, actor=user, event=event, registrant=registrant
            ).registration.status

    def person(user: User) -> None:
        try:
            start.wait(timeout=30)
            outcomes.append(_retrying(lambda: register(user)))
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_racing_registrations_never_overbook(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=SEATS)
    users = [make_member_user(a, f"抢位{i:02d}") for i in range(PEOPLE)]
    outcomes = _race(side_a, event, users)
    assert sorted(outcomes) == ["confirmed"] * SEATS + ["waitlisted"] * (PEOPLE - SEATS), outcomes
    with tenant_context(a):
        event.refresh_from_db()
        confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    assert (event.seats_taken, confirmed) == (SEATS, SEATS)


@pytest.mark.django_db(transaction=True)
def test_one_person_registering_from_several_tabs_gets_one_registration(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=SEATS)
    user = make_member_user(a, "多开")
    outcomes = _race(side_a, event, [user] * 6)
    assert outcomes == ["confirmed"] * 6, outcomes
    with tenant_context(a):
        event.refresh_from_db()
        assert Registration.objects.filter(event=event).count() == 1
    assert event.seats_taken == 1


@pytest.mark.django_db(transaction=True)
def test_racing_cancellations_promote_each_waiting_person_once(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=4)
    users = [make_member_user(a, f"退订{i}") for i in range(8)]
    with tenant_context(a):
        regs = [
            registration_services.registration_create(
                association=a, actor=u, event=event,
                registrant=registration_services.registrant_for_user(association=a, user=u),
            ).registration
            for u in users
        ]  # fmt: skip
    start = threading.Barrier(4)

    def cancel(registration: Registration) -> None:
        try:
            start.wait(timeout=30)

            def run() -> str:
                with tenant_context(a):
                    registration_services.registration_cancel(
                        association=a, actor=None, registration=registration
                    )
                return "ok"

            _retrying(run)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in regs[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with tenant_context(a):
        event.refresh_from_db()
        statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["cancelled"] * 4 + ["confirmed"] * 4
    assert event.seats_taken == 4


@pytest.mark.django_db(transaction=True)
def test_a_retried_api_request_with_the_same_key_returns_the_first_answer(
    side_a: Side, privacy_notice: None
) -> None:
    from django.test import Client

    from shanghui.accounts.services.tokens import api_token_create
    from shanghui.events.models import IdempotencyRecord

    a = side_a.association
    event = make_event(a, side_a.admin, capacity=SEATS)
    user = make_member_user(a, "重试")
    token = api_token_create(user=user, name="t")[1]
    url = f"/api/v1/associations/{a.slug}/events/{event.pk}/registrations"
    start = threading.Barrier(5)
    answers: list[tuple[int, int]] = []

    def retry() -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            start.wait(timeout=30)

            def send() -> str:
                response = client.post(
                    url, "{}", content_type="application/json",
                    headers={"Idempotency-Key": "same-key"},
                )  # fmt: skip
                answers.append((response.status_code, response.json()["id"]))
                return "ok"

            _retrying(send)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 5 and len(set(answers)) == 1, answers
    assert answers[0][0] == 201
    with tenant_context(a):
        assert Registration.objects.filter(event=event).count() == 1
        assert IdempotencyRecord.objects.filter(key="same-key").count() == 1


@pytest.mark.django_db(transaction=True)
def test_registrations_and_cancellations_racing_on_a_ticket_type_stay_consistent(
    side_a: Side,
) -> None:
    """Seats of the event and of its ticket type move together; registrations (which lock
    the event, then the type) and cancellations with promotions (the same order) do not
    deadlock."""
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=10)
    with tenant_context(a):
        vip = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="嘉宾票", capacity=4
        )
    first = [make_member_user(a, f"先{i}") for i in range(4)]
    later = [make_member_user(a, f"后{i}") for i in range(6)]
    with tenant_context(a):
        held = [
            registration_services.registration_create(
                association=a, actor=u, event=event, ticket_type=vip,
                registrant=registration_services.registrant_for_user(association=a, user=u),
            ).registration
            for u in first
        ]  # fmt: skip
    start = threading.Barrier(len(held) + len(later))
    errors: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)

            def once() -> str:
                with tenant_context(a):
                    action()
                return "ok"

            _retrying(once)
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    def cancel(registration: Registration) -> Callable[[], object]:
        return lambda: registration_services.registration_cancel(
            association=a, actor=None, registration=registration
        )

    def join(user: User) -> Callable[[], object]:
        return lambda: registration_services.registration_create(
            association=a, actor=user, event=event, ticket_type=vip,
            registrant=registration_services.registrant_for_user(association=a, user=user),
        )  # fmt: skip

    threads = [threading.Thread(target=run, args=(cancel(r),)) for r in held] + [
        threading.Thread(target=run, args=(join(u),)) for u in later
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with tenant_context(a):
        event.refresh_from_db()
        vip.refresh_from_db()
        confirmed = Registration.objects.filter(event=event, status="confirmed").count()
        waiting = Registration.objects.filter(event=event, status="waitlisted").count()
    assert event.seats_taken == vip.seats_taken == confirmed == 4
    assert waiting == 2
