"""The platform's WeChat official account (公众号): finding a person's openid when they bind
their account inside WeChat, and sending them template messages (模板消息).

On with WECHAT_BACKEND=official and WECHAT_APP_ID / WECHAT_APP_SECRET / WECHAT_TEMPLATE_ID
(binding and sending together, ``wechat_configured``); WECHAT_API_BASE and
WECHAT_OAUTH_BASE point at Tencent's servers and are overridden only by tests, which start a
local server speaking the same protocol."""

import hashlib
import json
import secrets
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class WechatError(Exception):
    """WeChat answered with an error code (``code``), or could not be reached (``code`` 0)."""

    def __init__(self, message: str, *, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


def wechat_configured() -> bool:
    """Whether people can bind their account to the official account: one switch with the
    sending (``WECHAT_BACKEND=official``), so that WeChat is either on or off."""
    return settings.WECHAT_BACKEND == "official" and bool(
        settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET
    )


def _call(
    path: str, *, query: dict[str, str], body: dict[str, object] | None = None
) -> dict[str, object]:
    url = f"{settings.WECHAT_API_BASE}{path}?{urllib.parse.urlencode(query)}"
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    # The base is a setting (Tencent's https address), never user input.
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    if data:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise WechatError(f"WeChat {path} unreachable: {exc}") from exc
    if not isinstance(answer, dict):
        raise WechatError(f"WeChat {path}: unexpected answer")
    if answer.get("errcode"):
        code = answer["errcode"]
        raise WechatError(
            f"WeChat {path}: {code} {answer.get('errmsg', '')}",
            code=code if isinstance(code, int) else 0,
        )
    return answer


def authorize_url(*, redirect_uri: str, state: str) -> str:
    """Where to send a person (inside WeChat) so that WeChat tells us their openid. The
    ``snsapi_base`` scope asks for nothing but the openid and shows no consent screen."""
    query = urllib.parse.urlencode(
        {
            "appid": settings.WECHAT_APP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        }
    )
    return f"{settings.WECHAT_OAUTH_BASE}/connect/oauth2/authorize?{query}#wechat_redirect"


def openid_for_code(code: str) -> str:
    answer = _call(
        "/sns/oauth2/access_token",
        query={
            "appid": settings.WECHAT_APP_ID,
            "secret": settings.WECHAT_APP_SECRET,
            "code": code,
            "grant_type": "authorization_code",
        },
    )
    openid = str(answer.get("openid", ""))
    if not openid:
        raise WechatError("WeChat returned no openid")
    return openid


@dataclass
class _Token:
    value: str = ""
    expires_at: float = 0.0


_token = _Token()
_token_lock = threading.Lock()
# A token WeChat no longer takes: expired early, or replaced by a forced refresh elsewhere.
STALE_TOKEN_CODES = frozenset({40001, 40014, 42001})


def _access_token() -> str:
    """The account's access token, reused until a minute before it expires. Fetched from the
    *stable* token endpoint: every process of the platform (web workers, task workers) gets
    the same token there, where the classic ``/cgi-bin/token`` would hand each process a new
    one and make WeChat drop the others'."""
    with _token_lock:
        if _token.value and time.monotonic() < _token.expires_at:
            return _token.value
        answer = _call(
            "/cgi-bin/stable_token",
            query={},
            body={
                "grant_type": "client_credential",
                "appid": settings.WECHAT_APP_ID,
                "secret": settings.WECHAT_APP_SECRET,
                "force_refresh": False,
            },
        )
        _token.value = str(answer["access_token"])
        _token.expires_at = time.monotonic() + int(str(answer.get("expires_in", 7200))) - 60
        return _token.value


def _forget_token(stale: str) -> None:
    with _token_lock:
        if _token.value == stale:
            _token.value = ""


def template_send(
    *,
    openid: str,
    title: str,
    text: str,
    url: str = "",
    template_id: str = "",
    data: dict[str, str] | None = None,
) -> None:
    """One template message: ``template_id`` (a message kind's, else the account's general
    notice template WECHAT_TEMPLATE_ID) filled with ``data`` (keyword → value, a kind's
    ``wechat_keywords``), else with a title and a body; WeChat cuts long values, so the text
    should say the essential first."""
    values = data or {"thing1": title[:20], "thing2": text[:20]}
    body: dict[str, object] = {
        "touser": openid,
        "template_id": template_id or settings.WECHAT_TEMPLATE_ID,
        "data": {keyword: {"value": value} for keyword, value in values.items()},
    }
    if url:
        body["url"] = url
    token = _access_token()
    try:
        _call("/cgi-bin/message/template/send", query={"access_token": token}, body=body)
    except WechatError as exc:
        if exc.code not in STALE_TOKEN_CODES:
            raise
        _forget_token(token)  # and once more with the token WeChat takes now
        _call("/cgi-bin/message/template/send", query={"access_token": _access_token()}, body=body)


# --- The JS-SDK's share card (分享卡片) ---------------------------------------------------------

_ticket = _Token()
_ticket_lock = threading.Lock()
# Until when (``_clock``) a failed fetch is remembered: while WeChat is down or refuses, the
# pages share as plain links without each waiting on it (up to 10 s a call).
_ticket_failed_until = 0.0
TICKET_RETRY_SECONDS = 60
# The ticket is dropped this long before WeChat says it expires.
TICKET_MARGIN_SECONDS = 300


def _clock() -> float:
    return time.monotonic()


def _jsapi_ticket() -> str:
    """The account's jsapi ticket, kept for its lifetime (``expires_in``, 7,200 s, less a
    margin): WeChat limits how often it may be fetched. A failure is remembered for
    ``TICKET_RETRY_SECONDS`` (``WechatError`` at once meanwhile). The ticket in hand is read
    without the lock; only a fetch takes it, and whoever waited on it finds the answer."""
    global _ticket_failed_until
    value, expires_at = _ticket.value, _ticket.expires_at
    if value and _clock() < expires_at:
        return value
    if _clock() < _ticket_failed_until:
        raise WechatError("WeChat jsapi ticket: failed recently")
    with _ticket_lock:
        if _ticket.value and _clock() < _ticket.expires_at:
            return _ticket.value
        if _clock() < _ticket_failed_until:
            raise WechatError("WeChat jsapi ticket: failed recently")
        try:
            token = _access_token()
            try:
                answer = _call(
                    "/cgi-bin/ticket/getticket", query={"access_token": token, "type": "jsapi"}
                )
            except WechatError as exc:
                if exc.code in STALE_TOKEN_CODES:
                    _forget_token(token)
                raise
            lifetime = int(str(answer.get("expires_in", 7200)))
            ticket = str(answer["ticket"])
        except (WechatError, KeyError, ValueError) as exc:
            _ticket_failed_until = _clock() + TICKET_RETRY_SECONDS
            if isinstance(exc, WechatError):
                raise
            raise WechatError(f"WeChat jsapi ticket: unexpected answer {exc}") from exc
        _ticket.expires_at = _clock() + max(lifetime - TICKET_MARGIN_SECONDS, lifetime // 2)
        _ticket.value = ticket
        return ticket


@dataclass(frozen=True)
class JsSdkConfig:
    """What ``wx.config`` takes on a page (``appId``, ``timestamp``, ``nonceStr``,
    ``signature``)."""

    app_id: str
    timestamp: int
    nonce: str
    signature: str


def jssdk_signature(*, ticket: str, nonce: str, timestamp: int, url: str) -> str:
    """WeChat's JS-SDK signature: SHA-1 of the four fields in this order, the page's URL
    without its fragment."""
    url = url.split("#", 1)[0]
    plain = f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(plain.encode(), usedforsecurity=False).hexdigest()


def jssdk_config(url: str) -> JsSdkConfig | None:
    """The share card's configuration for the page at ``url``, or None when the official
    account is not configured or WeChat cannot be reached (the page then shares as a plain
    link: nothing of the page depends on it)."""
    if not wechat_configured():
        return None
    try:
        ticket = _jsapi_ticket()
    except WechatError:
        return None
    nonce = secrets.token_urlsafe(12)
    timestamp = int(time.time())
    return JsSdkConfig(
        app_id=settings.WECHAT_APP_ID,
        timestamp=timestamp,
        nonce=nonce,
        signature=jssdk_signature(ticket=ticket, nonce=nonce, timestamp=timestamp, url=url),
    )
