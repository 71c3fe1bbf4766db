import json

import pytest
from django.test import Client

from shanghui.testing.database import as_app_role
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side


def post_json(client: Client, url: str, body: dict[str, object], **headers: str) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_token_then_me_lists_associations_and_roles(side_a: Side, side_b: Side) -> None:
    from shanghui.testing.factories import RoleFactory

    RoleFactory(association=side_b.association, user=side_a.admin, kind="member")
    response = post_json(
        Client(), "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": PASSWORD}
    )
    assert response.status_code == 201  # type: ignore[attr-defined]
    token = json.loads(response.content)["token"]  # type: ignore[attr-defined]
    me = json.loads(Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").content)
    assert me["name"] == side_a.admin.name
    roles = {item["slug"]: item["role"] for item in me["associations"]}
    assert roles == {"jiashi": "admin", "yishi": "member"}


@pytest.mark.django_db
def test_tokens_can_be_listed_and_revoked(side_a: Side) -> None:
    body = json.loads(
        post_json(
            Client(),
            "/api/v1/auth/token",
            {"phone": side_a.admin.phone, "password": PASSWORD, "name": "iPhone"},
        ).content  # type: ignore[attr-defined]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    listed = json.loads(client.get("/api/v1/auth/tokens").content)
    assert [t["name"] for t in listed] == ["iPhone"]
    assert "token" not in listed[0]  # the secret is shown once only
    assert client.delete(f"/api/v1/auth/tokens/{body['id']}").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_wrong_password_and_bad_phone_get_clear_errors(side_a: Side) -> None:
    response = post_json(
        Client(), "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": "nope"}
    )
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert json.loads(response.content)["error"]["message"] == "手机号或密码错误"  # type: ignore[attr-defined]
    response = post_json(Client(), "/api/v1/auth/token", {"phone": "12345", "password": "x"})
    body = json.loads(response.content)  # type: ignore[attr-defined]
    assert response.status_code == 400 and "phone" in body["error"]["fields"]  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_errors_come_in_the_callers_language(side_a: Side) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-TW")
    response = post_json(
        client, "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": "nope"}
    )
    assert json.loads(response.content)["error"]["message"] == "手機號或密碼錯誤"  # type: ignore[attr-defined]
    client.cookies["django_language"] = "en"
    response = post_json(
        client, "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": "nope"}
    )
    assert json.loads(response.content)["error"]["message"] == "Wrong phone number or password"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_api_asks_for_an_sms_code_after_five_failures(side_a: Side) -> None:
    client = Client(REMOTE_ADDR="192.0.2.1")
    for _ in range(5):
        post_json(client, "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": "nope"})
    response = post_json(
        client, "/api/v1/auth/token", {"phone": side_a.admin.phone, "password": PASSWORD}
    )
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert json.loads(response.content)["error"]["code"] == "sign_in_code_required"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_personal_data_export_and_deletion(side_a: Side) -> None:
    client = Client()
    client.force_login(side_a.member_user)
    with as_app_role():  # as production runs it (on PostgreSQL: under row-level security)
        data = json.loads(client.get("/api/v1/me/data-export").content)
        assert data["账号"][0]["手机号"] == side_a.member_user.phone
        assert data["代表的企业"][0]["企业"] == side_a.member.name
        xlsx = client.get("/me/data.xlsx")
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        response = post_json(client, "/api/v1/me/deletion", {"password": "wrong"})
        assert response.status_code == 400  # type: ignore[attr-defined]
        response = post_json(client, "/api/v1/me/deletion", {"password": PASSWORD})
        assert response.status_code == 200  # type: ignore[attr-defined]
    side_a.member_user.refresh_from_db()
    assert (side_a.member_user.phone, side_a.member_user.is_active) == (None, False)
    side_a.person.refresh_from_db()
    assert side_a.person.user is None
    assert client.get("/api/v1/me").status_code == 401  # the session ended too


@pytest.mark.django_db
def test_unauthenticated_calls_get_401(db: None) -> None:
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "unauthorized"


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(db: None) -> None:
    spec = json.loads(Client().get("/api/v1/openapi.json").content)
    assert "/api/v1/associations/{slug}/members" in spec["paths"]
    assert Client().get("/api/v1/docs").status_code == 200
