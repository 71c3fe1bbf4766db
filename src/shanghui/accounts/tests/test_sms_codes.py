"""The endpoints that send a code by SMS answer the same for every number and send within caps
per number, per client address and platform-wide (issue 12, item 6)."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from shanghui.core import notifications
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

API = "/api/v1/auth/password-reset/code"
PAGE = "/password/reset/"
UNKNOWN = "13600009999"
LOOSE = {
    **settings.RATE_LIMITS,
    "sms_code_resend": "100/60",
    "sms_code_phone": "100/3600",
    "sms_code_address": "100/3600",
    "sms_code_global": "100/3600",
}


def _api(phone: str, address: str = "198.51.100.1") -> tuple[int, dict[str, object]]:
    response = Client(REMOTE_ADDR=address).post(
        API, {"phone": phone}, content_type="application/json"
    )
    body = response.json()
    if response.status_code == 429:
        assert response["Retry-After"]
        body["error"].pop("message")  # says how many seconds are left
    return response.status_code, body


def _page(phone: str, address: str = "198.51.100.1") -> tuple[int, str, bool]:
    response = Client(REMOTE_ADDR=address).post(PAGE, {"phone": phone})
    refused = "验证码发送过于频繁" in response.content.decode()
    return response.status_code, response.get("Location", "").split("?")[0], refused


def test_the_api_answers_the_same_for_registered_and_unknown_numbers(side_a: Side) -> None:
    registered = side_a.member_user.phone or ""
    answers = [_api(registered), _api(registered)]
    assert answers == [_api(UNKNOWN), _api(UNKNOWN)]
    assert [status for status, _body in answers] == [202, 429]  # the second within a minute
    assert [m.to for m in notifications.outbox] == [registered]  # a code to the account only


def test_the_page_answers_the_same_for_registered_and_unknown_numbers(side_a: Side) -> None:
    registered = side_a.member_user.phone or ""
    answers = [_page(registered), _page(registered)]
    assert answers == [_page(UNKNOWN), _page(UNKNOWN)]
    assert answers == [(302, "/password/reset/confirm/", False), (429, "", True)]
    assert [m.to for m in notifications.outbox] == [registered]


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_phone": "2/3600"})
def test_a_number_gets_a_few_codes_whatever_the_addresses(side_a: Side) -> None:
    registered = side_a.member_user.phone or ""
    statuses = [_api(registered, f"198.51.100.{n}")[0] for n in range(3)]
    assert statuses == [202, 202, 429]
    assert len(notifications.outbox) == 2


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_address": "2/3600"})
def test_an_address_asks_for_a_few_codes_whatever_the_numbers(side_a: Side) -> None:
    numbers = [UNKNOWN, side_a.member_user.phone or "", "13600008888"]
    assert [_api(phone, "203.0.113.9")[0] for phone in numbers] == [202, 202, 429]
    assert _api("13600008888", "203.0.113.10")[0] == 202  # another address is not held up


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_global": "3/3600"})
def test_the_platform_sends_so_many_codes_an_hour(db: None) -> None:
    statuses = [_api(f"1360000000{n}", f"192.0.2.{n}")[0] for n in range(4)]
    assert statuses == [202, 202, 202, 429]


@override_settings(RATE_LIMITS={**LOOSE, "sms_code_address": "2/3600"})
def test_the_guest_code_is_capped_like_the_others(side_a: Side) -> None:
    from django.urls import reverse

    from shanghui.core.tenancy import tenant_context
    from shanghui.events.models import GuestCode
    from shanghui.events.services import events as event_services
    from shanghui.events.tests.factories import make_event

    a = side_a.association
    event = make_event(a, side_a.admin, audience="public", title="公开论坛")
    with tenant_context(a):
        event_services.calendar_settings_update(
            association=a, actor=side_a.admin, publish_calendar=True
        )
    url = reverse(
        "events:public_register", kwargs={"association_slug": a.slug, "event_id": event.pk}
    )
    guest = Client(REMOTE_ADDR="203.0.113.20")
    form = {"name": "游客", "company": "游客公司", "action": "send"}
    sent = [guest.post(url, {**form, "phone": f"1381111000{n}"}) for n in range(3)]
    assert [response.status_code for response in sent] == [200, 200, 429]
    assert "验证码发送过于频繁" in sent[-1].content.decode()  # on the form, as typed
    with tenant_context(a):
        assert GuestCode.objects.filter(association=a).count() == 2  # codes sent
