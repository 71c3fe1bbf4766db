"""The public event page says what registering gets when no seat is left (issue 13 item 24):
a place on the waitlist before the start (加入候补), nothing once it has begun (名额已满) —
never 我要报名."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shanghui.core.tenancy import tenant_context
from shanghui.events import selectors
from shanghui.events.models import Event, Registration
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.testing.fixtures import Side

from .factories import make_event

pytestmark = pytest.mark.django_db


def url(name: str, side: Side, **kwargs: Any) -> str:
    return reverse(f"events:{name}", kwargs={"association_slug": side.association.slug, **kwargs})


def public_event(side: Side, **fields: Any) -> Event:
    a = side.association
    event = make_event(a, side.admin, audience="public", title="赣商论坛", capacity=1, **fields)
    with tenant_context(a):
        event_services.calendar_settings_update(
            association=a, actor=side.admin, publish_calendar=True
        )
    return event


def fill(side: Side, event: Event) -> None:
    with tenant_context(side.association):
        registration_services.registration_create(
            association=side.association,
            actor=side.admin,
            event=event,
            registrant=registration_services.Registrant(
                name="先到者", phone="13800001111", company=""
            ),
            by_staff=True,
        )
        event.refresh_from_db()
    assert event.seats_left == 0


def test_an_event_with_seats_offers_registration(side_a: Side) -> None:
    event = public_event(side_a)
    page = Client().get(url("public_event", side_a, event_id=event.pk)).content.decode()
    assert "我要报名" in page and "加入候补" not in page
    assert "剩余 1 / 共 1" in page


def test_a_full_event_offers_the_waitlist_not_registration(side_a: Side) -> None:
    event = public_event(side_a)
    fill(side_a, event)
    page = Client().get(url("public_event", side_a, event_id=event.pk)).content.decode()
    assert "我要报名" not in page
    assert "加入候补" in page and "已满（共 1）" in page
    register_url = url("public_register", side_a, event_id=event.pk)
    assert f'href="{register_url}"' in page
    form = Client().get(register_url).content.decode()
    assert "提交后进入候补名单" in form
    assert re.search(r"<button[^>]*value=\"register\"[^>]*>加入候补</button>", form)
    # What the page promises is what the service does.
    with tenant_context(side_a.association):
        registered = registration_services.registration_create(
            association=side_a.association,
            actor=None,
            event=event,
            registrant=registration_services.Registrant(
                name="后到者", phone="13800002222", company=""
            ),
        )
    assert registered.registration.status == Registration.Status.WAITLISTED


def test_a_full_event_that_has_begun_offers_nothing(side_a: Side) -> None:
    now = timezone.now()
    event = public_event(side_a)
    fill(side_a, event)
    with tenant_context(side_a.association):
        # Begun an hour ago, ends in three: nobody can move up from the waitlist any more.
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=3)
        )
        event.refresh_from_db()
    assert selectors.seats_state(event) == selectors.SEATS_FULL
    page = Client().get(url("public_event", side_a, event_id=event.pk)).content.decode()
    assert "已满（共 1）" in page
    assert "我要报名" not in page and "加入候补" not in page
    assert url("public_register", side_a, event_id=event.pk) not in page
    register = Client().get(url("public_register", side_a, event_id=event.pk))
    assert register.status_code in {302, 404}  # back to the event page, or no such form


def test_seats_state_follows_capacity_and_the_start() -> None:
    start = timezone.now() + timedelta(days=1)
    event = Event(capacity=None, seats_taken=5, starts_at=start)
    assert selectors.seats_state(event) == selectors.SEATS_AVAILABLE
    event.capacity = 6
    assert selectors.seats_state(event) == selectors.SEATS_AVAILABLE
    event.capacity = 5
    assert selectors.seats_state(event) == selectors.SEATS_WAITLIST
    assert selectors.seats_state(event, now=start) == selectors.SEATS_FULL


def test_the_guest_form_asks_for_a_phone_with_the_phone_keypad(side_a: Side) -> None:
    event = public_event(side_a)
    form = Client().get(url("public_register", side_a, event_id=event.pk)).content.decode()
    assert 'type="tel" name="phone"' in form
    assert 'inputmode="tel"' in form and 'autocomplete="tel"' in form
    assert 'autocomplete="one-time-code"' in form
