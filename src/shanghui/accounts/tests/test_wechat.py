"""Binding an account to WeChat and receiving notifications there, against a local server that
speaks the official account's protocol (authorization code → openid, access token, template
messages)."""

import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client, override_settings

from shanghui.accounts.models import User
from shanghui.core import notifications, wechat
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import client_for


class FakeWechat(BaseHTTPRequestHandler):
    codes = {"code-zhang": "openid-zhang", "code-li": "openid-li"}
    sent: list[dict[str, object]] = []
    failing = False
    token = "token-1"  # the one access token WeChat takes at the moment
    token_requests = 0

    def _answer(self, payload: dict[str, object]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/sns/oauth2/access_token":
            openid = self.codes.get(query.get("code", ""))
            self._answer({"openid": openid} if openid else {"errcode": 40029, "errmsg": "bad"})
        else:
            self._answer({"errcode": 40001, "errmsg": "invalid credential"})

    def do_POST(self) -> None:
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        if url.path == "/cgi-bin/stable_token":
            FakeWechat.token_requests += 1
            good = body == {
                "grant_type": "client_credential",
                "appid": "wx123",
                "secret": "s3cret",
                "force_refresh": False,
            }
            answer = {"access_token": self.token, "expires_in": 7200}
            self._answer(answer if good else {"errcode": 40125, "errmsg": "invalid appsecret"})
            return
        if query.get("access_token") != self.token:
            self._answer({"errcode": 40001, "errmsg": "invalid credential"})
            return
        if self.failing:
            self._answer({"errcode": 43004, "errmsg": "require subscribe"})
            return
        FakeWechat.sent.append(body)
        self._answer({"errcode": 0, "errmsg": "ok", "msgid": 1})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def wechat_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWechat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeWechat.sent = []
    FakeWechat.failing = False
    FakeWechat.token, FakeWechat.token_requests = "token-1", 0
    wechat._token.value = ""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with override_settings(
        WECHAT_BACKEND="official",
        WECHAT_APP_ID="wx123",
        WECHAT_APP_SECRET="s3cret",
        WECHAT_TEMPLATE_ID="tmpl-1",
        WECHAT_API_BASE=base,
        WECHAT_OAUTH_BASE=base,
    ):
        yield base
    server.shutdown()


def bind(client: Client, code: str) -> str:
    start = client.get("/me/wechat/")
    assert start.status_code == 302
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(start["Location"]).query))
    assert query["scope"] == "snsapi_base" and query["appid"] == "wx123"
    response = client.get(
        "/me/wechat/callback/", {"code": code, "state": query["state"]}, follow=True
    )
    return response.content.decode()


@pytest.mark.django_db
def test_a_person_binds_wechat_and_then_gets_notices_there(wechat_server: str) -> None:
    user = UserFactory(phone="13800001111")
    client = client_for(user)
    assert "绑定微信" in client.get("/me/").content.decode()
    assert "已绑定微信" in bind(client, "code-zhang")
    user.refresh_from_db()
    assert user.wechat_openid == "openid-zhang"
    assert "解除绑定" in client.get("/me/").content.decode()

    notifications.send_now(phone="13800001111", subject="活动提醒", text="明天 9:00 年会")
    assert FakeWechat.sent == [
        {
            "touser": "openid-zhang",
            "template_id": "tmpl-1",
            "data": {"thing1": {"value": "活动提醒"}, "thing2": {"value": "明天 9:00 年会"}},
        }
    ]
    # The SMS went as well: WeChat is in addition, not instead.
    assert any(m.channel == "sms" and m.to == "13800001111" for m in notifications.outbox)

    client.post("/me/wechat/unbind/")
    user.refresh_from_db()
    assert user.wechat_openid == ""


@pytest.mark.django_db
def test_a_token_wechat_no_longer_takes_is_fetched_again_once(wechat_server: str) -> None:
    """Every process shares WeChat's stable token; when WeChat has moved on to another (it
    expired early, or someone forced a refresh), the message goes with the new one."""
    UserFactory(phone="13800003333", wechat_openid="openid-wang")
    notifications.send_now(phone="13800003333", subject="通知", text="第一条")
    notifications.send_now(phone="13800003333", subject="通知", text="第二条")
    assert FakeWechat.token_requests == 1  # reused
    FakeWechat.token = "token-2"
    notifications.send_now(phone="13800003333", subject="通知", text="第三条")
    assert [m["data"]["thing2"]["value"] for m in FakeWechat.sent] == ["第一条", "第二条", "第三条"]  # type: ignore[index]
    assert FakeWechat.token_requests == 2


@pytest.mark.django_db
def test_a_wechat_failure_does_not_stop_the_sms(wechat_server: str) -> None:
    UserFactory(phone="13800002222", wechat_openid="openid-li")
    FakeWechat.failing = True
    notifications.send_now(phone="13800002222", subject="会费", text="请缴纳 2027 年会费")
    assert FakeWechat.sent == []
    assert [m.to for m in notifications.outbox if m.channel == "sms"] == ["13800002222"]


@pytest.mark.django_db
def test_a_forged_or_reused_callback_binds_nothing(wechat_server: str) -> None:
    user = UserFactory()
    client = client_for(user)
    forged = client.get("/me/wechat/callback/", {"code": "code-zhang", "state": "x"}, follow=True)
    assert "微信授权已失效" in forged.content.decode()
    assert "微信授权失败" in bind(client, "code-unknown")
    user.refresh_from_db()
    assert user.wechat_openid == ""


@pytest.mark.django_db
def test_one_wechat_account_serves_one_person(wechat_server: str) -> None:
    UserFactory(wechat_openid="openid-zhang")
    other = UserFactory()
    assert "该微信已绑定其他账号" in bind(client_for(other), "code-zhang")
    other.refresh_from_db()
    assert other.wechat_openid == ""


@pytest.mark.django_db
def test_binding_through_the_api_and_in_the_personal_data(wechat_server: str) -> None:
    user = UserFactory()
    api = client_for(user)
    bound = api.post("/api/v1/me/wechat", {"code": "code-li"}, content_type="application/json")
    assert bound.status_code == 200 and bound.json()["wechat_bound"] is True
    with as_app_role():
        exported = api.get("/api/v1/me/data-export").json()
    assert "openid-li" in json.dumps(exported, ensure_ascii=False)
    refused = api.post("/api/v1/me/wechat", {"code": "nope"}, content_type="application/json")
    assert refused.status_code == 400
    assert api.delete("/api/v1/me/wechat").status_code == 204
    assert User.objects.get(pk=user.pk).wechat_openid == ""


@pytest.mark.django_db
def test_without_an_official_account_nothing_is_offered() -> None:
    user = UserFactory()
    client = client_for(user)
    assert "绑定微信" not in client.get("/me/").content.decode()
    assert "尚未开通微信通知" in client.get("/me/wechat/", follow=True).content.decode()
    # The account's keys alone do not switch WeChat on: sending is off, so binding is too;
    # and sending without the keys is off as well, rather than failing message by message.
    with override_settings(WECHAT_APP_ID="wx123", WECHAT_APP_SECRET="s3cret", WECHAT_BACKEND=""):
        assert "绑定微信" not in client.get("/me/").content.decode()
    with override_settings(WECHAT_BACKEND="official", WECHAT_APP_ID="", WECHAT_APP_SECRET=""):
        assert notifications.wechat_sender() is None


@pytest.mark.django_db
def test_the_memory_sender_keeps_wechat_messages() -> None:
    UserFactory(phone="13800003333", wechat_openid="openid-wang")
    with override_settings(WECHAT_BACKEND="memory"):
        notifications.send_now(phone="13800003333", subject="审核结果", text="入会申请已通过")
    assert [(m.channel, m.to) for m in notifications.outbox] == [
        ("wechat", "openid-wang"),
        ("sms", "13800003333"),
    ]
