"""What the sign-in tests share: JSON posts, the last SMS code, signed-in clients and tokens."""

import json
import re

from django.test import Client

from shanghui.core import notifications
from shanghui.testing.factories import PASSWORD


def post_json(client: Client, url: str, body: dict[str, object], **headers: str) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def last_code() -> str:
    """The six-digit code of the last SMS sent."""
    match = re.search(r"(\d{6})", notifications.outbox[-1].text)
    assert match, notifications.outbox
    return match.group(1)


def signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


def api_token(phone: str, password: str = PASSWORD) -> str:
    response = post_json(Client(), "/api/v1/auth/token", {"phone": phone, "password": password})
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    return str(json.loads(response.content)["token"])  # type: ignore[attr-defined]


def api_me(token: str) -> int:
    return Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def browser(phone: str, password: str = PASSWORD) -> Client:
    """A browser signed in through the sign-in page."""
    client = Client()
    assert client.post("/login/", {"phone": phone, "password": password}).status_code == 302
    return client
