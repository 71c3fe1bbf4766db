"""Importing a 公众号 article: from a saved page served by a local HTTP server standing in for
mp.weixin.qq.com (``WECHAT_ARTICLE_BASE_URL``) and for WeChat's picture host, and from pasted
HTML; and the refusals that keep the fetch from being a server-side request forgery: another
host, a redirect, an answer too big, too slow, or not HTML."""

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from shanghui.core.tenancy import tenant_context
from shanghui.publishing.models import Article, ArticleImage
from shanghui.publishing.services import wechat
from shanghui.publishing.tests.factories import admin_role
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db

PAGE = (Path(__file__).parent / "fixtures" / "wechat_article.html").read_bytes()
LINK = "https://mp.weixin.qq.com/s/Xq3kLmN0pQrStUvWxYz12A"


class WeChatStandIn(BaseHTTPRequestHandler):
    requested: list[str] = []
    # The importing thread's database connection, and whether it was inside a transaction
    # at each request the server answered.
    watched: Any = None
    in_transaction: list[bool] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.requested.append(self.path)
        if self.watched is not None:
            self.in_transaction.append(self.watched.in_atomic_block)
        path = self.path.split("?")[0]
        if path == "/s/Xq3kLmN0pQrStUvWxYz12A":
            self._send(200, PAGE, "text/html; charset=utf-8")
        elif path.startswith("/mmbiz_jpg/"):
            self._send(200, photo_like(4, side=1080, height=720), "image/jpeg")
        elif path.startswith("/mmbiz_png/"):
            self._send(200, photo_like(5, side=300, fmt="PNG"), "image/png")
        elif path == "/s/moved":
            self._send(302, b"", "text/html", Location="http://169.254.169.254/latest/")
        elif path == "/s/json":
            self._send(200, b'{"a": 1}', "application/json")
        elif path == "/s/huge":
            self._send(200, b"<p>" + b"x" * 300_000 + b"</p>", "text/html")
        elif path == "/s/endless":  # no length announced, more than the limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"<p>" + b"y" * 10_000 + b"</p>")
            except OSError:
                pass
        elif path == "/s/slow":  # trickles a byte at a time, past the time limit
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        else:
            self._send(404, b"", "text/html")


@pytest.fixture
def stand_in(settings: Any) -> Iterator[type[WeChatStandIn]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), WeChatStandIn)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WECHAT_ARTICLE_BASE_URL = base
    settings.WECHAT_IMAGE_BASE_URL = base
    settings.WECHAT_ARTICLE_MAX_BYTES = 200_000
    settings.WECHAT_ARTICLE_TIMEOUT = 1
    WeChatStandIn.requested = []
    WeChatStandIn.watched, WeChatStandIn.in_transaction = None, []
    yield WeChatStandIn
    server.shutdown()
    server.server_close()


def _import(side: Side, **kwargs: str) -> Article:
    a = side.association
    with tenant_context(a):
        return wechat.article_import(
            association=a, actor=side.admin, role=admin_role(a, side.admin), **kwargs
        )


def test_a_saved_article_is_imported_with_its_pictures(side_a: Side, stand_in: Any) -> None:
    article = _import(side_a, url=LINK)
    assert article.title == "深圳市江西商会召开第三届理事会第五次会议"
    assert article.author_name == "深圳市江西商会秘书处"
    assert article.status == Article.Status.DRAFT and article.source_url == LINK
    assert "第三届理事会第五次会议在商会会议室召开" in article.body
    assert "会长在总结讲话中指出" in article.body
    assert "script" not in article.body and "onclick" not in article.body
    assert "mmbiz" not in article.body and "evil.example" not in article.body
    with tenant_context(side_a.association):
        pictures = list(ArticleImage.objects.filter(association=side_a.association))
    assert len(pictures) == 2  # the JPEG and the PNG; the picture from elsewhere is left out
    assert article.body.count("/picture/") == 2
    assert not any("evil" in path or "track" in path for path in stand_in.requested)
    member_page = client_for(side_a.admin).get(
        f"/a/{side_a.association.slug}/office/news/{article.pk}/preview/"
    )
    assert "深圳市江西商会召开第三届理事会第五次会议" in member_page.content.decode()


def test_pasted_html_is_imported_without_any_fetch_but_pictures(
    side_a: Side, stand_in: Any
) -> None:
    article = _import(side_a, html=PAGE.decode())
    assert article.title == "深圳市江西商会召开第三届理事会第五次会议"
    assert article.source_url == ""
    assert [p for p in stand_in.requested if p.startswith("/s/")] == []


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/s/Xq3kLmN0pQrStUvWxYz12A",
        "http://mp.weixin.qq.com/s/Xq3kLmN0pQrStUvWxYz12A",
        "https://mp.weixin.qq.com:8443/s/abc",
        "https://mp.weixin.qq.com:abc/s/abc",
        "https://mp.weixin.qq.com:99999/s/abc",
        "https://mp.weixin.qq.com:/s/abc",
        "https://user@mp.weixin.qq.com/s/abc",
        "https://mp.weixin.qq.com.evil.example.com/s/abc",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_links_off_the_official_account_host_are_refused(
    side_a: Side, stand_in: Any, link: str
) -> None:
    with pytest.raises(ValidationError):
        _import(side_a, url=link)
    assert stand_in.requested == []


@pytest.mark.parametrize("path", ["moved", "json", "huge", "endless", "slow"])
def test_redirects_wrong_type_too_big_and_too_slow_are_refused(
    side_a: Side, stand_in: Any, path: str
) -> None:
    with pytest.raises(ValidationError):
        _import(side_a, url=f"https://mp.weixin.qq.com/s/{path}")
    with tenant_context(side_a.association):
        assert not Article.objects.filter(association=side_a.association).exists()


def test_the_import_page(side_a: Side, stand_in: Any) -> None:
    admin = client_for(side_a.admin)
    url = f"/a/{side_a.association.slug}/office/news/import/"
    assert admin.get(url).status_code == 200
    for link in ("https://evil.example.com/s/abc", "https://mp.weixin.qq.com:abc/s/abc"):
        refused = admin.post(url, {"url": link})
        assert refused.status_code == 200 and "mp.weixin.qq.com" in refused.content.decode()
    done = admin.post(url, {"url": LINK})
    assert done.status_code == 302
    assert "深圳市江西商会召开" in admin.get(done["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="on PostgreSQL the tenant scope's transaction is open anyway, and takes no lock "
    "before a write; on SQLite a transaction holds the database's write lock",
)
def test_fetching_and_re_encoding_happen_outside_the_transaction(
    side_a: Side, stand_in: Any
) -> None:
    stand_in.watched = connections["default"]  # this thread's connection: the importer's
    article = _import(side_a, url=LINK)
    assert article.body.count("/picture/") == 2
    assert len(stand_in.in_transaction) == 3 and not any(stand_in.in_transaction)


def test_the_whole_import_has_one_byte_budget(side_a: Side, stand_in: Any, settings: Any) -> None:
    settings.WECHAT_IMPORT_MAX_BYTES = len(PAGE) + 1_000  # the page, and no picture fits
    article = _import(side_a, url=LINK)
    assert article.title and "/picture/" not in article.body
    with tenant_context(side_a.association):
        assert not ArticleImage.objects.filter(association=side_a.association).exists()
    settings.WECHAT_IMPORT_MAX_BYTES = len(PAGE) - 1  # not even the page
    with pytest.raises(ValidationError):
        _import(side_a, url=LINK)


def test_the_whole_import_has_one_deadline(side_a: Side, stand_in: Any, settings: Any) -> None:
    settings.WECHAT_IMPORT_SECONDS = 0  # spent before the first request
    with pytest.raises(ValidationError):
        _import(side_a, url=LINK)
    assert stand_in.requested == []


def test_pictures_off_the_picture_host_are_left_out_unfetched(side_a: Side, stand_in: Any) -> None:
    html = (
        "<h1 id='activity-name'>标题</h1><div id='js_content'><p>正文</p>"
        "<img data-src='https://mmbiz.qlogo.cn/mmbiz_jpg/a/0'>"
        "<img data-src='https://mmbiz.qpic.cn:99999/mmbiz_jpg/b/0'></div>"
    )
    article = _import(side_a, html=html)
    assert "正文" in article.body and "/picture/" not in article.body
    assert stand_in.requested == []
