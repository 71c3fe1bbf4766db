"""The gateways a message leaves by: SMS (``settings.SMS_BACKEND``), WeChat
(``settings.WECHAT_BACKEND``) and email (Django's ``EMAIL_BACKEND``, SMTP in production).

SMS backends: ``console`` logs the text (development), ``memory`` keeps it in ``outbox``
(tests), ``aliyun`` (dysmsapi SendSms, RPC signature HMAC-SHA1) and ``tencent`` (sms SendSms
2021-01-11, TC3-HMAC-SHA256) are the production gateways, configured with SMS_ACCESS_KEY /
SMS_ACCESS_SECRET / SMS_SIGN_NAME (and SMS_SDK_APP_ID for Tencent); their endpoints are
settings (SMS_ENDPOINT) so the tests point them at a local fake server. A gateway sends the
kind's approved template code and its named parameters; a refusal raises ``SendError`` with
the provider's own message, which the delivery log records."""

import base64
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from shanghui.core import wechat

logger = logging.getLogger("shanghui.notifications")

SMS_BACKENDS = ("console", "memory", "aliyun", "tencent")
GATEWAY_TIMEOUT = 10
DEFAULT_ENDPOINTS = {
    "aliyun": "https://dysmsapi.aliyuncs.com/",
    "tencent": "https://sms.tencentcloudapi.com/",
}


class SendError(Exception):
    """A channel could not send: the gateway refused (its message) or could not be reached."""


@dataclass(frozen=True)
class SentMessage:
    channel: str
    to: str
    text: str
    template: str = ""
    params: dict[str, str] = field(default_factory=dict)
    sent_at: object = field(default_factory=timezone.now)


# What the ``memory`` backends sent (tests read one-time codes from it).
outbox: list[SentMessage] = []


class SmsSender(Protocol):
    def send(
        self, *, phone: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> str: ...


class ConsoleSmsSender:
    def send(
        self, *, phone: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> str:
        logger.info("SMS to %s: %s", phone, text)
        return ""


class MemorySmsSender:
    """Keeps every message in ``outbox``. A phone in ``failing`` is refused, as a gateway
    refuses an unreachable number."""

    failing: set[str] = set()

    def send(
        self, *, phone: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> str:
        if phone in self.failing:
            raise SendError(f"memory: {phone} refused")
        outbox.append(
            SentMessage(channel="sms", to=phone, text=text, template=template, params=params or {})
        )
        return f"memory-{len(outbox)}"


# One HTTP session per process: its kept-alive connection spares each SMS of a broadcast a
# new TCP (and TLS) handshake with the gateway.
_http = requests.Session()


def _keys(provider: str) -> tuple[str, str]:
    key, secret = settings.SMS_ACCESS_KEY, settings.SMS_ACCESS_SECRET
    if not (key and secret):
        raise SendError(f"SMS_BACKEND={provider} needs SMS_ACCESS_KEY and SMS_ACCESS_SECRET")
    return key, secret


def _endpoint(provider: str) -> str:
    return settings.SMS_ENDPOINT or DEFAULT_ENDPOINTS[provider]


def _post_json(response: requests.Response, provider: str) -> dict[str, object]:
    try:
        answer = response.json()
    except ValueError:
        raise SendError(f"{provider}: HTTP {response.status_code}") from None
    if not isinstance(answer, dict):
        raise SendError(f"{provider}: unexpected answer")
    return answer


def aliyun_percent(value: str) -> str:
    return quote(value, safe="~")


def aliyun_signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """Aliyun's RPC signature (SignatureVersion 1.0, HMAC-SHA1)."""
    canonical = "&".join(
        f"{aliyun_percent(k)}={aliyun_percent(v)}" for k, v in sorted(params.items())
    )
    to_sign = f"{method}&{aliyun_percent('/')}&{aliyun_percent(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsSender:
    """Aliyun SMS (dysmsapi 2017-05-25 SendSms): the template code and its named params."""

    def send(
        self, *, phone: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> str:
        key, secret = _keys("aliyun")
        if not template:
            raise SendError("aliyun: no approved template for this message kind (SMS_TEMPLATES)")
        query = {
            "AccessKeyId": key,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": settings.SMS_REGION or "cn-hangzhou",
            "SignName": settings.SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template,
            "TemplateParam": json.dumps(params or {}, ensure_ascii=False),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(query, secret)
        try:
            response = _http.get(_endpoint("aliyun"), params=query, timeout=GATEWAY_TIMEOUT)
        except requests.RequestException as exc:
            raise SendError(f"aliyun: {exc}") from exc
        answer = _post_json(response, "aliyun")
        if answer.get("Code") != "OK":
            raise SendError(f"aliyun: {answer.get('Code')} {answer.get('Message', '')}".strip())
        return str(answer.get("BizId", ""))


def _hmac256(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tencent_authorization(
    *, key: str, secret: str, host: str, payload: str, timestamp: int, service: str = "sms"
) -> str:
    """Tencent Cloud API 3.0's TC3-HMAC-SHA256 Authorization header for a JSON POST to /."""
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:application/json; charset=utf-8\nhost:{host}\n",
            "content-type;host",
            hashlib.sha256(payload.encode()).hexdigest(),
        ]
    )
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        ["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    signing = _hmac256(_hmac256(_hmac256(f"TC3{secret}".encode(), date), service), "tc3_request")
    signature = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders=content-type;host, "
        f"Signature={signature}"
    )


class TencentSmsSender:
    """Tencent Cloud SMS (SendSms 2021-01-11): the template id and its params in order."""

    def send(
        self, *, phone: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> str:
        key, secret = _keys("tencent")
        if not template:
            raise SendError("tencent: no approved template for this message kind (SMS_TEMPLATES)")
        endpoint = _endpoint("tencent")
        host = urlsplit(endpoint).netloc
        payload = json.dumps(
            {
                "PhoneNumberSet": [phone if phone.startswith("+") else f"+86{phone}"],
                "SmsSdkAppId": settings.SMS_SDK_APP_ID,
                "SignName": settings.SMS_SIGN_NAME,
                "TemplateId": template,
                "TemplateParamSet": list((params or {}).values()),
            },
            ensure_ascii=False,
        )
        timestamp = int(datetime.now(UTC).timestamp())
        headers = {
            "Authorization": tencent_authorization(
                key=key, secret=secret, host=host, payload=payload, timestamp=timestamp
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": "2021-01-11",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": settings.SMS_REGION or "ap-guangzhou",
        }
        try:
            response = _http.post(
                endpoint, data=payload.encode(), headers=headers, timeout=GATEWAY_TIMEOUT
            )
        except requests.RequestException as exc:
            raise SendError(f"tencent: {exc}") from exc
        answer = _post_json(response, "tencent").get("Response")
        if not isinstance(answer, dict):
            raise SendError("tencent: unexpected answer")
        error = answer.get("Error")
        if isinstance(error, dict):
            raise SendError(f"tencent: {error.get('Code')} {error.get('Message', '')}".strip())
        statuses = answer.get("SendStatusSet") or [{}]
        status = statuses[0] if isinstance(statuses, list) and statuses else {}
        if not isinstance(status, dict) or status.get("Code") != "Ok":
            code = status.get("Code") if isinstance(status, dict) else ""
            message = status.get("Message", "") if isinstance(status, dict) else ""
            raise SendError(f"tencent: {code} {message}".strip())
        return str(status.get("SerialNo", ""))


def sms_sender() -> SmsSender:
    backend = settings.SMS_BACKEND
    if backend == "console":
        return ConsoleSmsSender()
    if backend == "memory":
        return MemorySmsSender()
    if backend == "aliyun":
        return AliyunSmsSender()
    if backend == "tencent":
        return TencentSmsSender()
    raise ImproperlyConfigured(f"Unknown SMS_BACKEND {backend!r}")


class WechatSender(Protocol):
    def send(
        self, *, openid: str, title: str, text: str, template: str = "", data: dict[str, str]
    ) -> str: ...


class ConsoleWechatSender:
    def send(
        self, *, openid: str, title: str, text: str, template: str = "", data: dict[str, str]
    ) -> str:
        logger.info("WeChat to %s: %s — %s", openid, title, text)
        return ""


class MemoryWechatSender:
    def send(
        self, *, openid: str, title: str, text: str, template: str = "", data: dict[str, str]
    ) -> str:
        outbox.append(
            SentMessage(channel="wechat", to=openid, text=f"{title}：{text}", params=data)
        )
        return ""


class OfficialAccountWechatSender:
    """Template messages from the platform's official account."""

    def send(
        self, *, openid: str, title: str, text: str, template: str = "", data: dict[str, str]
    ) -> str:
        try:
            wechat.template_send(
                openid=openid, title=title, text=text, template_id=template, data=data
            )
        except wechat.WechatError as exc:
            raise SendError(f"wechat: {exc}") from exc
        return ""


def wechat_sender() -> WechatSender | None:
    backend = settings.WECHAT_BACKEND
    if not backend:
        return None
    if backend == "console":
        return ConsoleWechatSender()
    if backend == "memory":
        return MemoryWechatSender()
    if backend == "official":
        # Without the account's keys nothing can be sent, nor bound: WeChat is off.
        return OfficialAccountWechatSender() if wechat.wechat_configured() else None
    raise ImproperlyConfigured(f"Unknown WECHAT_BACKEND {backend!r}")
