"""Weak passwords are refused at every door that sets one (issue 12, item 20): at least 10
characters, not like the person's phone, name or email, never containing the phone's last 8
digits."""

import json

import pytest
from django.test import Client

from shanghui.accounts.models import User
from shanghui.accounts.services.account import user_get_or_create
from shanghui.accounts.services.invitations import invitation_send
from shanghui.accounts.services.signin import password_reset_request
from shanghui.accounts.tests.helpers import api_token, browser, last_code, post_json
from shanghui.core.tenancy import tenant_context
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side


def phone_passwords(phone: str) -> list[str]:
    return [f"{phone}a", f"Pw-{phone[-8:]}!", "Short-26"]


def invitee(side: Side) -> tuple[User, str]:
    user, _created = user_get_or_create(phone="13912345678", name="新朋友")
    with tenant_context(side.association):
        _invitation, token = invitation_send(
            association=side.association, actor=side.admin, user=user, role_kind="member"
        )
    return user, token


@pytest.mark.django_db
def test_passwords_made_of_the_phone_are_refused_when_accepting_an_invitation(
    side_a: Side,
) -> None:
    user, token = invitee(side_a)
    page_url = f"/a/{side_a.association.slug}/invite/{token}/"
    api_url = f"/api/v1/associations/{side_a.association.slug}/invitations/{token}/accept"
    for weak in phone_passwords("13912345678"):
        page = Client().post(
            page_url, {"password": weak, "password2": weak, "accept_privacy": "on"}
        )
        assert page.status_code == 200, weak
        api = post_json(Client(), api_url, {"password": weak, "accept_privacy": True})
        assert api.status_code == 400, weak  # type: ignore[attr-defined]
    user.refresh_from_db()
    assert not user.has_usable_password()
    good = "Pingxiang-Road-9"
    page = Client().post(page_url, {"password": good, "password2": good, "accept_privacy": "on"})
    assert page.status_code == 302
    user.refresh_from_db()
    assert user.check_password(good)


@pytest.mark.django_db
def test_passwords_made_of_the_phone_are_refused_at_reset_and_change(side_a: Side) -> None:
    user = side_a.admin
    user.phone = "13912345678"
    user.save(update_fields=["phone"])
    token = api_token(user.phone)
    client = browser(user.phone)
    password_reset_request(phone=user.phone)
    code = last_code()  # a refused password leaves the code unused
    for weak in phone_passwords(user.phone):
        page = Client().post(
            "/password/reset/confirm/",
            {"phone": user.phone, "code": code, "new_password": weak, "new_password2": weak},
        )
        assert page.status_code == 200 and "sh-form-errors" in page.content.decode(), weak
        api = post_json(
            Client(),
            "/api/v1/auth/password-reset/confirm",
            {"phone": user.phone, "code": code, "new_password": weak},
        )
        assert api.status_code == 400, weak  # type: ignore[attr-defined]
        page = client.post(
            "/me/password/",
            {"current_password": PASSWORD, "new_password": weak, "new_password2": weak},
        )
        assert page.status_code == 200, weak
        api = post_json(
            Client(),
            "/api/v1/me/password",
            {"current_password": PASSWORD, "new_password": weak},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert api.status_code == 400, weak  # type: ignore[attr-defined]
        assert "new_password" in json.loads(api.content)["error"]["fields"]  # type: ignore[attr-defined]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = post_json(
        Client(),
        "/api/v1/auth/password-reset/confirm",
        {"phone": user.phone, "code": code, "new_password": "Shangrao-Road-9"},
    )
    assert response.status_code == 200  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_phone_check_catches_separated_digits_and_the_name(side_a: Side) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = User(phone="13912345678", name="Zhang Weiguo", email="weiguo.zhang@example.cn")
    for weak in ("1391234-5678x", "x12-34-56-78-abc", "ZhangWeiguo1", "weiguo.zhang@ex"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Pingxiang-Road-9", user)
