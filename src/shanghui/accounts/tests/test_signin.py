"""Signing in behind nginx (issue 12, item 3): the lockout counts per phone and client
address, read from X-Forwarded-For only when told to trust it; a locked phone signs in from
that address with an SMS code instead of being shut out; an address failing across phones is
locked."""

import json

import pytest
from django.conf import settings
from django.test import Client, override_settings

from shanghui.accounts.models import OneTimeCode
from shanghui.accounts.tests.helpers import last_code, post_json, signed_in
from shanghui.core import notifications
from shanghui.core.models import PlatformAuditEntry
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

NGINX = "127.0.0.1"  # every request reaches the app from nginx
ATTACKER = "203.0.113.66"
REAL_USER = "198.51.100.7"


def behind_nginx(address: str, header: str = "") -> Client:
    """A browser at ``address`` whose requests nginx forwards with
    ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`` (``header`` is what the
    client itself sent in X-Forwarded-For)."""
    forwarded = f"{header}, {address}" if header else address
    return Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)


def fail(client: Client, phone: str, times: int = 5) -> object:
    response = None
    for _ in range(times):
        response = client.post("/login/", {"phone": phone, "password": "wrong-password"})
    return response


@pytest.mark.django_db
@override_settings(USE_X_FORWARDED_FOR=True)
def test_failures_from_one_address_do_not_lock_the_real_user_at_another(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    # The attacker even claims the real user's address: only the hop nginx wrote counts.
    attacker = behind_nginx(ATTACKER, header=REAL_USER)
    fail(attacker, phone)
    attacker.post("/login/", {"phone": phone, "password": PASSWORD})
    assert not signed_in(attacker)
    real_user = behind_nginx(REAL_USER)
    response = real_user.post("/login/", {"phone": phone, "password": PASSWORD})
    assert response.status_code == 302 and signed_in(real_user)
    api = post_json(
        behind_nginx(REAL_USER), "/api/v1/auth/token", {"phone": phone, "password": PASSWORD}
    )
    assert api.status_code == 201  # type: ignore[attr-defined]
    entry = PlatformAuditEntry.objects.filter(action="auth.sign_in").latest("pk")
    assert entry.ip == REAL_USER


@pytest.mark.django_db
def test_a_forwarded_header_is_ignored_unless_trusted(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    for n in range(5):  # a new made-up address every time does not escape the lock
        Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(
            "/login/", {"phone": phone, "password": "wrong-password"}
        )
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200")
    client.post("/login/", {"phone": phone, "password": PASSWORD})
    assert not signed_in(client)
    entry = PlatformAuditEntry.objects.filter(action="auth.sign_in").first()
    assert entry is None


@pytest.mark.django_db
@override_settings(USE_X_FORWARDED_FOR=True)
def test_a_forwarded_value_that_is_no_address_falls_back_to_the_connection(side_a: Side) -> None:
    client = Client(REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="1.2.3.4, not-an-address")
    response = client.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD})
    assert response.status_code == 302
    assert PlatformAuditEntry.objects.get(action="auth.sign_in").ip == "192.0.2.44"


@pytest.mark.django_db
def test_a_phone_locked_at_an_address_signs_in_there_with_an_sms_code(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    client = Client(REMOTE_ADDR=ATTACKER)
    fifth = fail(client, phone)
    assert fifth.status_code == 403  # type: ignore[attr-defined]
    assert "短信验证码登录" in fifth.content.decode()  # type: ignore[attr-defined]
    page = client.post("/login/", {"phone": phone, "password": PASSWORD})
    assert page.status_code == 403 and not signed_in(client)
    assert f'value="{phone}"' in page.content.decode()  # the code step, phone filled in

    sent = len(notifications.outbox)
    response = client.post("/login/code/", {"phone": phone})
    assert response.status_code == 302 and len(notifications.outbox) == sent + 1
    wrong = "000000" if last_code() != "000000" else "111111"
    response = client.post("/login/code/confirm/", {"phone": phone, "code": wrong})
    assert response.status_code == 200 and not signed_in(client)
    response = client.post("/login/code/confirm/", {"phone": phone, "code": last_code()})
    assert response.status_code == 302 and signed_in(client)
    assert PlatformAuditEntry.objects.filter(action="auth.sign_in", summary="sms_code").exists()
    # Proving the phone lifted the lock: the password works again from that address.
    again = Client(REMOTE_ADDR=ATTACKER)
    assert again.post("/login/", {"phone": phone, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_the_api_asks_a_locked_phone_for_an_sms_code(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        post_json(client, "/api/v1/auth/token", {"phone": phone, "password": "wrong-password"})
    response = post_json(client, "/api/v1/auth/token", {"phone": phone, "password": PASSWORD})
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert json.loads(response.content)["error"]["code"] == "sign_in_code_required"  # type: ignore[attr-defined]
    response = post_json(client, "/api/v1/auth/sign-in-code", {"phone": phone})
    assert response.status_code == 202  # type: ignore[attr-defined]
    response = post_json(
        client, "/api/v1/auth/token/sms", {"phone": phone, "code": last_code(), "name": "iPhone"}
    )
    assert response.status_code == 201  # type: ignore[attr-defined]
    token = json.loads(response.content)["token"]  # type: ignore[attr-defined]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert json.loads(me.content)["id"] == side_a.admin.pk
    # A used code does not work twice.
    response = post_json(client, "/api/v1/auth/token/sms", {"phone": phone, "code": last_code()})
    assert response.status_code == 400  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_sign_in_code_request_says_the_same_for_every_number(side_a: Side) -> None:
    sent = len(notifications.outbox)
    unknown = Client().post("/login/code/", {"phone": "13600009999"})
    assert len(notifications.outbox) == sent
    known = Client().post("/login/code/", {"phone": side_a.admin.phone})
    assert len(notifications.outbox) == sent + 1
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"].split("?")[0] == known["Location"].split("?")[0]
    response = post_json(Client(), "/api/v1/auth/sign-in-code", {"phone": "13600009998"})
    assert response.status_code == 202  # type: ignore[attr-defined]


@pytest.mark.django_db
@override_settings(
    RATE_LIMITS={**settings.RATE_LIMITS, "sms_code_resend": "9/60", "sms_code_phone": "2/3600"}
)
def test_sign_in_codes_are_capped_per_number(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    for n in range(2):
        assert (
            Client(REMOTE_ADDR=f"192.0.2.{n}").post("/login/code/", {"phone": phone}).status_code
            == 302
        )
    sent = len(notifications.outbox)
    response = Client(REMOTE_ADDR="192.0.2.9").post("/login/code/", {"phone": phone})
    assert response.status_code == 429 and "Retry-After" in response
    response = post_json(
        Client(REMOTE_ADDR="192.0.2.10"), "/api/v1/auth/sign-in-code", {"phone": phone}
    )
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert len(notifications.outbox) == sent


@pytest.mark.django_db
@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "sign_in_failures_address": "3/3600"})
def test_an_address_failing_across_phones_is_locked(side_a: Side, side_b: Side) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for phone in ("13600000001", side_b.admin.phone, side_b.member_user.phone):
        response = client.post("/login/", {"phone": phone, "password": "wrong-password"})
        assert response.status_code == 200 and "手机号或密码错误" in response.content.decode()
    page = client.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD})
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert not signed_in(client)
    api = post_json(
        client, "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": PASSWORD}
    )
    assert api.status_code == 429 and int(api["Retry-After"]) > 0  # type: ignore[index,attr-defined]
    # The code door is shut for that address too; other addresses are not affected.
    code = client.post("/login/code/confirm/", {"phone": side_a.admin.phone, "code": "123456"})
    assert code.status_code == 429
    other = Client(REMOTE_ADDR=REAL_USER)
    assert (
        other.post("/login/", {"phone": side_a.admin.phone, "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "sign_in_failures_address": "2/3600"})
def test_wrong_sign_in_codes_count_against_the_address(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post("/login/code/", {"phone": phone})
    wrong = "000000" if last_code() != "000000" else "111111"
    for _ in range(2):
        response = client.post("/login/code/confirm/", {"phone": phone, "code": wrong})
        assert response.status_code == 200
    response = client.post("/login/code/confirm/", {"phone": phone, "code": last_code()})
    assert response.status_code == 429 and not signed_in(client)


@pytest.mark.django_db
@override_settings(
    RATE_LIMITS={**settings.RATE_LIMITS, "sms_code_resend": "9/60", "sms_code_phone": "9/3600"}
)
def test_a_sign_in_code_the_gateway_refused_is_not_shown_as_sent(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    notifications.MemorySmsSender.failing = {phone}  # the gateway refuses this number
    page = Client().post("/login/code/", {"phone": phone})
    assert page.status_code == 503
    text = page.content.decode()
    assert "验证码短信未能发送" in text and "验证码已发送" not in text
    assert not OneTimeCode.objects.filter(phone=phone).exists()  # no code waits for entry
    response = post_json(Client(), "/api/v1/auth/sign-in-code", {"phone": phone})
    assert response.status_code == 503  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == "sms_not_sent"  # type: ignore[attr-defined]
    reset = Client().post("/password/reset/", {"phone": phone})
    assert reset.status_code == 503 and "验证码短信未能发送" in reset.content.decode()
    notifications.MemorySmsSender.failing = set()
    assert Client().post("/login/code/", {"phone": phone}).status_code == 302
