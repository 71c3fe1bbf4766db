"""The WeChat share card of the public site: inside WeChat, with the official account
configured, the page loads the vendored JS-SDK and its configuration signed with the jsapi
ticket — against a local server that speaks WeChat's protocol; elsewhere, or without an
account, or with WeChat unreachable, the page loads no SDK and is shared as a plain link."""

import hashlib
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client, override_settings

from shanghui.core import wechat
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI"
)


class FakeWechat(BaseHTTPRequestHandler):
    ticket_requests = 0
    ticket_fails = False  # WeChat's outage: every ticket request answers an error

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
        if url.path == "/cgi-bin/ticket/getticket" and FakeWechat.ticket_fails:
            FakeWechat.ticket_requests += 1
            self._answer({"errcode": -1, "errmsg": "system error"})
        elif url.path == "/cgi-bin/ticket/getticket" and query == {
            "access_token": "token-1",
            "type": "jsapi",
        }:
            FakeWechat.ticket_requests += 1
            self._answer({"errcode": 0, "ticket": "ticket-1", "expires_in": 7200})
        else:
            self._answer({"errcode": 40001, "errmsg": "invalid credential"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer({"access_token": "token-1", "expires_in": 7200})

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def wechat_server() -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeWechat)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeWechat.ticket_requests, FakeWechat.ticket_fails = 0, False
    wechat._token.value = wechat._ticket.value = ""
    wechat._ticket_failed_until = 0.0
    base = f"http://127.0.0.1:{server.server_address[1]}"
    with override_settings(
        WECHAT_BACKEND="official",
        WECHAT_APP_ID="wx123",
        WECHAT_APP_SECRET="s3cret",
        WECHAT_API_BASE=base,
    ):
        yield
    server.shutdown()
    wechat._token.value = wechat._ticket.value = ""
    wechat._ticket_failed_until = 0.0


def share_config(page: str) -> dict[str, object] | None:
    found = re.search(r'<script id="sh-wechat-share" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1)) if found else None


@pytest.mark.usefixtures("wechat_server")
def test_inside_wechat_the_page_carries_a_signed_share_card(side_a: Side) -> None:
    a = side_a.association
    a.introduction = "服务会员，团结乡贤。"
    a.save(update_fields=["introduction"])
    page = Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{a.slug}/").content.decode()
    config = share_config(page)
    assert config is not None
    assert config["appId"] == "wx123" and config["title"] == a.name
    assert config["desc"] == "服务会员，团结乡贤。"
    plain = (
        f"jsapi_ticket=ticket-1&noncestr={config['nonceStr']}&timestamp={config['timestamp']}"
        f"&url=http://testserver/a/{a.slug}/"
    )
    assert config["signature"] == hashlib.sha1(plain.encode()).hexdigest()  # noqa: S324 - WeChat's
    assert "vendor/jweixin/jweixin-1.6.0.js" in page and "shanghui/share.js" in page
    Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{a.slug}/site/")
    assert FakeWechat.ticket_requests == 1  # the ticket is kept, not fetched per page


@pytest.mark.usefixtures("wechat_server")
def test_a_wechat_outage_is_remembered_for_a_minute(side_a: Side, monkeypatch: Any) -> None:
    FakeWechat.ticket_fails = True
    slug = side_a.association.slug
    for _ in range(3):
        page = Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{slug}/").content.decode()
        assert share_config(page) is None and "jweixin" not in page
    assert FakeWechat.ticket_requests == 1  # not once per page while WeChat is down
    # Once the minute has passed, the next page asks again — and WeChat is back.
    FakeWechat.ticket_fails = False
    later = wechat._clock() + wechat.TICKET_RETRY_SECONDS + 1
    monkeypatch.setattr(wechat, "_clock", lambda: later)
    page = Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{slug}/").content.decode()
    assert share_config(page) is not None and FakeWechat.ticket_requests == 2


@pytest.mark.usefixtures("wechat_server")
def test_outside_wechat_no_sdk_is_loaded(side_a: Side) -> None:
    page = Client().get(f"/a/{side_a.association.slug}/").content.decode()
    assert share_config(page) is None and "jweixin" not in page
    assert FakeWechat.ticket_requests == 0


def test_without_an_official_account_the_page_is_shared_as_a_link(side_a: Side) -> None:
    page = Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{side_a.association.slug}/")
    assert page.status_code == 200
    assert "jweixin" not in page.content.decode()


def test_an_unreachable_wechat_leaves_the_page_working(side_a: Side) -> None:
    wechat._token.value = wechat._ticket.value = ""
    wechat._ticket_failed_until = 0.0
    with override_settings(
        WECHAT_BACKEND="official",
        WECHAT_APP_ID="wx123",
        WECHAT_APP_SECRET="s3cret",
        WECHAT_API_BASE="http://127.0.0.1:9",  # nothing listens there
    ):
        page = Client(HTTP_USER_AGENT=WECHAT_UA).get(f"/a/{side_a.association.slug}/")
    assert page.status_code == 200 and "jweixin" not in page.content.decode()


def test_the_signature_follows_wechats_algorithm() -> None:
    # WeChat's documented example (JS-SDK 附录1).
    assert (
        wechat.jssdk_signature(
            ticket="sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
            nonce="Wm3WZYTPz0wzccnW",
            timestamp=1414587457,
            url="http://mp.weixin.qq.com?params=value",
        )
        == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
    )
