"""Importing an article from a WeChat 公众号, where chambers already publish: from its link or
from its pasted HTML, a draft with the title, the author, the body (``#js_content``) and its
pictures (``data-src``), sanitised like anything typed in the editor.

Fetching is a request from our server to an address a user gave, so it is held tight
(server-side request forgery): only ``https://mp.weixin.qq.com/…`` links are accepted and
only ``WECHAT_ARTICLE_BASE_URL`` is ever requested (tests point it at a local server);
redirects are refused; the answer must be HTML, at most ``WECHAT_ARTICLE_MAX_BYTES``, within
``WECHAT_ARTICLE_TIMEOUT`` seconds in all. Pictures are fetched only from the WeChat picture
host ``mmbiz.qpic.cn`` (``WECHAT_IMAGE_BASE_URL``) with the same limits, re-encoded and stored
as the association's article pictures; a picture that cannot be had is left out. (Pictures
on ``mmbiz.qlogo.cn`` — old articles and account avatars — are left out too: that is another
host, which would need its own base address and checks.) The whole import — page and every
picture — has one deadline (``WECHAT_IMPORT_SECONDS``) and one byte budget
(``WECHAT_IMPORT_MAX_BYTES``): pictures past either are left out.

Everything slow — the fetches, Pillow's re-encoding and storing the pictures' bytes — happens
before the transaction; one short transaction then makes the article pictures and creates
the draft (on SQLite a transaction holds the write lock, which would otherwise stop every
other write for the import's time). A picture the storage quota has no room for is left out."""

import http.client
import io
import re
import time
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.models import StoredFile
from shanghui.core.uploads import image_normalized
from shanghui.publishing import selectors
from shanghui.publishing.models import Article
from shanghui.publishing.pictures import image_url
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.services.images import ARTICLE_IMAGE_MAX_SIDE, image_keep, image_put

ARTICLE_HOST = "mp.weixin.qq.com"
IMAGE_HOSTS = frozenset({"mmbiz.qpic.cn"})
MAX_IMAGES = 30
MAX_HTML_CHARS = 2_000_000
_VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col"}
_JS_VAR = re.compile(r"var\s+(msg_title|nickname|msg_desc)\s*=\s*(['\"])(.*?)\2", re.S)


class FetchRefused(ValidationError):
    """The link or the answer was refused (wrong host, too big, too slow, not HTML …)."""


@dataclass
class Budget:
    """What one import may still spend: time (a ``time.monotonic`` deadline) and bytes."""

    deadline: float
    bytes_left: int

    @classmethod
    def new(cls) -> "Budget":
        return cls(
            deadline=time.monotonic() + float(settings.WECHAT_IMPORT_SECONDS),
            bytes_left=int(settings.WECHAT_IMPORT_MAX_BYTES),
        )


@dataclass
class Parsed:
    title: str = ""
    author: str = ""
    summary: str = ""
    body: str = ""
    images: list[str] = field(default_factory=list)


class _WeChatPage(HTMLParser):
    """Reads the parts of a 公众号 page: the meta tags, the title heading, the account name
    and the inner HTML of ``#js_content`` with every picture's ``data-src`` as its source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.parts: list[str] = []
        self.depth = 0  # inside #js_content: the open elements' count
        self.capture: str | None = None  # "title" | "author" while in those elements
        self.texts: dict[str, list[str]] = {"title": [], "author": []}
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, values.get("content", ""))
        if self.depth:
            if tag == "img":
                source = values.get("data-src") or values.get("src") or ""
                if source:
                    self.images.append(source)
                    self.parts.append(f'<img src="{escape(source)}" alt="">')
                return
            kept = "".join(
                f' {k}="{escape(v)}"' for k, v in values.items() if k in {"href", "title"}
            )
            self.parts.append(f"<{tag}{kept}>")
            if tag not in _VOID:
                self.depth += 1
            return
        if values.get("id") == "js_content":
            self.depth = 1
        elif values.get("id") == "activity-name":
            self.capture = "title"
        elif values.get("id") == "js_name":
            self.capture = "author"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.depth and tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            if tag in _VOID:
                return
            self.depth -= 1
            if self.depth:
                self.parts.append(f"</{tag}>")
            return
        self.capture = None

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(escape(data))
        elif self.capture:
            self.texts[self.capture].append(data)


def parse(html: str) -> Parsed:
    """The title, author, summary, body (raw, not yet sanitised) and picture addresses of a
    公众号 page (or of any HTML: without ``#js_content`` the whole of it is the body)."""
    page = _WeChatPage()
    page.feed(html[:MAX_HTML_CHARS])
    page.close()
    variables = {m.group(1): m.group(3) for m in _JS_VAR.finditer(html[:MAX_HTML_CHARS])}
    title = (
        " ".join("".join(page.texts["title"]).split())
        or page.meta.get("og:title", "")
        or variables.get("msg_title", "")
    )
    author = (
        page.meta.get("author", "")
        or " ".join("".join(page.texts["author"]).split())
        or variables.get("nickname", "")
    )
    body = "".join(page.parts)
    if not body:
        body = html[:MAX_HTML_CHARS]
    summary = page.meta.get("og:description", "") or page.meta.get("description", "")
    return Parsed(
        title=title.strip()[:120],
        author=author.strip()[:50],
        summary=" ".join(summary.split())[:300],
        body=body,
        images=page.images,
    )


def checked_link(url: str) -> str:
    """The path and query of a 公众号 article link; refuses anything but an https link on
    ``mp.weixin.qq.com`` (no other host, port, user name or scheme)."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port  # a port that is no number, or out of range, raises here
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme != "https"
        or (parts.hostname or "").lower() != ARTICLE_HOST
        or port is not None
        or parts.netloc.lower() != ARTICLE_HOST
        or not parts.path.startswith("/")
    ):
        raise FetchRefused({"url": _("只能导入 https://mp.weixin.qq.com/ 上的公众号文章链接")})
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _fetch(
    base: str, path: str, *, accept: tuple[str, ...], max_bytes: int, budget: Budget
) -> tuple[bytes, str]:
    """GETs ``base`` + ``path`` — no redirect followed — within the time and size limits and
    what is left of the import's ``budget`` (which it spends); returns the body and its
    content type."""
    target = urlsplit(base)
    timeout = min(float(settings.WECHAT_ARTICLE_TIMEOUT), budget.deadline - time.monotonic())
    if timeout <= 0:
        raise FetchRefused({"url": _("读取文章超时")})
    max_bytes = min(max_bytes, budget.bytes_left)
    if max_bytes <= 0:
        raise FetchRefused({"url": _("文章太大，无法导入")})
    deadline = time.monotonic() + timeout
    connection_class = (
        http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(target.hostname or "", target.port, timeout=timeout)
    try:
        connection.request(
            "GET",
            (target.path.rstrip("/") + path) or "/",
            headers={"User-Agent": "Mozilla/5.0 (shanghui article import)", "Accept": "*/*"},
        )
        response = connection.getresponse()
        if 300 <= response.status < 400:
            raise FetchRefused({"url": _("该链接跳转到了其他地址，无法导入")})
        if response.status != 200:
            raise FetchRefused(
                {"url": _("无法读取该文章（服务器答复 %(code)d）") % {"code": response.status}}
            )
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if content_type not in accept:
            raise FetchRefused({"url": _("该链接不是文章网页")})
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchRefused({"url": _("文章太大，无法导入")})
        data = io.BytesIO()
        while True:
            if time.monotonic() > deadline:
                raise FetchRefused({"url": _("读取文章超时")})
            chunk = (
                response.read1(64 * 1024)
                if hasattr(response, "read1")
                else response.read(64 * 1024)
            )
            if not chunk:
                break
            data.write(chunk)
            if data.tell() > max_bytes:
                raise FetchRefused({"url": _("文章太大，无法导入")})
        budget.bytes_left -= data.tell()
        return data.getvalue(), content_type
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, TimeoutError) or "timed out" in str(exc):
            raise FetchRefused({"url": _("读取文章超时")}) from exc
        raise FetchRefused({"url": _("无法连接公众号服务器")}) from exc
    finally:
        connection.close()


def fetch_article(url: str, budget: Budget | None = None) -> str:
    """The HTML of a 公众号 article link, fetched under the limits above."""
    path = checked_link(url)
    body, _type = _fetch(
        settings.WECHAT_ARTICLE_BASE_URL,
        path,
        accept=("text/html",),
        max_bytes=settings.WECHAT_ARTICLE_MAX_BYTES,
        budget=budget or Budget.new(),
    )
    return body.decode("utf-8", "replace")


def _picture(source: str, budget: Budget) -> bytes | None:
    """A picture from the WeChat picture host, or None (another host, too big, not JPEG or
    PNG, unreachable, past the import's budget)."""
    try:
        parts = urlsplit(source.replace("&amp;", "&"))
    except ValueError:
        return None
    # The host exactly: no port, no user name (whatever they say, only the base is asked).
    if parts.scheme not in {"https", "http"} or parts.netloc.lower() not in IMAGE_HOSTS:
        return None
    try:
        data, _type = _fetch(
            settings.WECHAT_IMAGE_BASE_URL,
            parts.path + (f"?{parts.query}" if parts.query else ""),
            accept=("image/jpeg", "image/png", "image/jpg"),
            max_bytes=settings.UPLOAD_MAX_BYTES,
            budget=budget,
        )
    except ValidationError:
        return None
    return data


def _fetch_pictures(parsed: Parsed, budget: Budget) -> dict[str, ContentFile[bytes]]:
    """The article's pictures fetched and re-encoded (no database work), by their address
    in the page; those that cannot be had are missing."""
    pictures: dict[str, ContentFile[bytes]] = {}
    for source in list(dict.fromkeys(parsed.images))[:MAX_IMAGES]:
        if budget.deadline <= time.monotonic() or budget.bytes_left <= 0:
            break
        data = _picture(source, budget)
        if data is None:
            continue
        extension = ".png" if data.startswith(b"\x89PNG") else ".jpg"
        try:
            pictures[source] = image_normalized(
                SimpleUploadedFile(f"wechat{extension}", data),
                field="image",
                max_side=ARTICLE_IMAGE_MAX_SIDE,
            )
        except ValidationError:
            continue
    return pictures


def _put_pictures(
    association: Association, actor: User, pictures: dict[str, ContentFile[bytes]]
) -> dict[str, StoredFile]:
    """The fetched pictures stored (no transaction open), by their address in the page; one
    the quota has no room for is left out."""
    stored: dict[str, StoredFile] = {}
    for source, picture in pictures.items():
        try:
            stored[source] = image_put(association=association, actor=actor, picture=picture)
        except ValidationError:
            continue
    return stored


def _store_pictures(
    association: Association, actor: User, parsed: Parsed, pictures: dict[str, StoredFile]
) -> str:
    """The body with each WeChat picture replaced by our stored copy (or left out)."""
    body = parsed.body
    for source in dict.fromkeys(parsed.images):
        stored = ""
        if source in pictures:
            image = image_keep(association=association, actor=actor, stored=pictures[source])
            stored = image_url(association, image)
        body = body.replace(f'src="{escape(source)}"', f'src="{stored}"' if stored else 'src=""')
    return body


def article_import(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    url: str = "",
    html: str = "",
) -> Article:
    """A new draft from a 公众号 article link (fetched) or its pasted HTML (whoever edits
    content). Raises ValidationError when the link is refused or nothing could be read."""
    if not selectors.may_edit(role):
        raise PermissionDenied
    budget = Budget.new()
    source_url = ""
    if url.strip():
        html = fetch_article(url, budget)
        source_url = url.strip()[:200]
    if not html.strip():
        raise ValidationError({"html": _("请填写文章链接或粘贴网页源代码")})
    parsed = parse(html)
    if not parsed.title:
        raise ValidationError({"html": _("没有找到文章标题")})
    # The slow part, outside the transaction.
    pictures = _put_pictures(association, actor, _fetch_pictures(parsed, budget))
    with transaction.atomic():
        return _create(association, actor, role, parsed, pictures, source_url)


def _create(
    association: Association,
    actor: User,
    role: Role | None,
    parsed: Parsed,
    pictures: dict[str, StoredFile],
    source_url: str,
) -> Article:
    body = _store_pictures(association, actor, parsed, pictures)
    article = article_services.article_create(
        association=association,
        actor=actor,
        role=role,
        data=article_services.ArticleInput(
            title=parsed.title,
            summary=parsed.summary,
            body=body,
            author_name=parsed.author,
            source_url=source_url,
        ),
    )
    audit(
        actor=actor,
        action="publishing.article.import",
        association=association,
        target=article,
        summary=article.title,
        data={"url": source_url} if source_url else {},
    )
    return article
