"""A new password ends every other session and every API token (issue 12, item 8): the
password reset, and changing the password on the page and through the API, where the session
or token making the change keeps working."""

import json

import pytest
from django.test import Client

from shanghui.accounts.models import ApiToken
from shanghui.accounts.tests.helpers import (
    api_me,
    api_token,
    browser,
    last_code,
    post_json,
    signed_in,
)
from shanghui.core.models import PlatformAuditEntry
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

NEW_PASSWORD = "Ganzhou-Qiao-2027"


@pytest.mark.django_db
def test_a_password_reset_revokes_tokens_and_ends_sessions(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    token = api_token(phone)
    other_browser = browser(phone)
    assert api_me(token) == 200
    response = post_json(Client(), "/api/v1/auth/password-reset/code", {"phone": phone})
    assert response.status_code == 202  # type: ignore[attr-defined]
    with as_app_role():
        response = post_json(
            Client(),
            "/api/v1/auth/password-reset/confirm",
            {"phone": phone, "code": last_code(), "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 200, response.content  # type: ignore[attr-defined]
        assert api_me(token) == 401
        assert not signed_in(other_browser)
        assert ApiToken.objects.get(user=side_a.admin).revoked_at is not None
        assert PlatformAuditEntry.objects.filter(
            action="api_token.revoke_all", actor=side_a.admin
        ).exists()


@pytest.mark.django_db
def test_changing_the_password_ends_other_sessions_and_keeps_this_one(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    this_browser = browser(phone)
    other_browser = browser(phone)
    token = api_token(phone)
    page = this_browser.get("/me/")
    assert 'href="/me/password/"' in page.content.decode()
    with as_app_role():
        response = this_browser.post(
            "/me/password/",
            {
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert signed_in(this_browser)
        assert not signed_in(other_browser)
        assert api_me(token) == 401
        assert PlatformAuditEntry.objects.filter(
            action="auth.password_change", actor=side_a.admin
        ).exists()
    assert browser(phone, NEW_PASSWORD)
    refused = Client().post("/login/", {"phone": phone, "password": PASSWORD})
    assert refused.status_code == 200


@pytest.mark.django_db
def test_a_wrong_current_password_changes_nothing(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    client = browser(phone)
    token = api_token(phone)
    response = client.post(
        "/me/password/",
        {
            "current_password": "not-it-at-all",
            "new_password": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200 and "当前密码不正确" in response.content.decode()
    response = post_json(
        Client(),
        "/api/v1/me/password",
        {"current_password": "not-it-at-all", "new_password": NEW_PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "current_password" in json.loads(response.content)["error"]["fields"]  # type: ignore[attr-defined]
    side_a.admin.refresh_from_db()
    assert side_a.admin.check_password(PASSWORD) and api_me(token) == 200 and signed_in(client)


@pytest.mark.django_db
def test_changing_the_password_through_the_api_keeps_the_calling_token(side_a: Side) -> None:
    phone = side_a.admin.phone or ""
    calling, other = api_token(phone), api_token(phone)
    a_browser = browser(phone)
    response = post_json(
        Client(),
        "/api/v1/me/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {calling}",
    )
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert api_me(calling) == 200
    assert api_me(other) == 401
    assert not signed_in(a_browser)
    # From a browser session (the pages' own API calls) the session stays signed in.
    a_browser_session = browser(phone, NEW_PASSWORD)
    response = post_json(
        a_browser_session,
        "/api/v1/me/password",
        {"current_password": NEW_PASSWORD, "new_password": "Jiujiang-Lu-2028"},
    )
    assert response.status_code == 200, response.content  # type: ignore[attr-defined]
    assert signed_in(a_browser_session)
    assert api_me(calling) == 401
