"""The real gateways against local servers that speak their protocols: Aliyun SMS (RPC
signature HMAC-SHA1), Tencent Cloud SMS (TC3-HMAC-SHA256) — each fake checks the signature
with the secret as the provider does, and refuses one number as the provider would — and
email over SMTP to an aiosmtpd server the test starts. A provider's refusal is recorded on
the delivery log with the provider's own message; a sent message keeps the provider's id."""

import base64
import hashlib
import hmac
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import override_settings

from shanghui.core import notifications
from shanghui.core.models import OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side
from shanghui.testing.messages import NOTE, NOTICE, note
from shanghui.testing.worker import run_worker

pytestmark = pytest.mark.django_db
SECRET = "gw-secret"
REFUSED = "13700009999"


class FakeGateway(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def _answer(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # Aliyun: an RPC call in the query string
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        signature = query.pop("Signature", "")

        def enc(value: str) -> str:  # as Aliyun's documentation spells it
            return (
                urllib.parse.quote(value, safe="")
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~")
            )

        canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(query.items()))
        to_sign = "GET&%2F&" + enc(canonical)
        expected = base64.b64encode(
            hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        if signature != expected:
            self._answer(
                {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
            )
            return
        FakeGateway.received.append(query)
        if query["PhoneNumbers"] == REFUSED:
            self._answer({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"})
            return
        self._answer({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"})

    def do_POST(self) -> None:  # Tencent Cloud API 3.0
        payload = self.rfile.read(int(self.headers["Content-Length"])).decode()
        timestamp = int(self.headers["X-TC-Timestamp"])
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        canonical = (
            "POST\n/\n\n"
            f"content-type:{self.headers['Content-Type']}\nhost:{self.headers['Host']}\n\n"
            "content-type;host\n" + hashlib.sha256(payload.encode()).hexdigest()
        )
        scope = f"{date}/sms/tc3_request"
        to_sign = (
            f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
            + hashlib.sha256(canonical.encode()).hexdigest()
        )

        def sign(key: bytes, text: str) -> bytes:
            return hmac.new(key, text.encode(), hashlib.sha256).digest()

        key = sign(sign(sign(f"TC3{SECRET}".encode(), date), "sms"), "tc3_request")
        signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        expected = (
            f"TC3-HMAC-SHA256 Credential=AKIDtest/{scope}, SignedHeaders=content-type;host, "
            f"Signature={signature}"
        )
        if self.headers["Authorization"] != expected or self.headers["X-TC-Action"] != "SendSms":
            error = {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}
            self._answer({"Response": {"Error": error, "RequestId": "r1"}})
            return
        body = json.loads(payload)
        FakeGateway.received.append(body)
        phone = body["PhoneNumberSet"][0]
        if phone == f"+86{REFUSED}":
            status = {
                "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                "Message": "手机号格式错误",
            }
        else:
            status = {"Code": "Ok", "Message": "send success", "SerialNo": "2028:f8254"}
        self._answer({"Response": {"SendStatusSet": [{**status, "PhoneNumber": phone}],
                                   "RequestId": "r2"}})  # fmt: skip

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeGateway.received = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def send_two(side: Side) -> dict[str, OutboxMessage]:
    a = side.association
    with tenant_context(a):
        for phone in ("13700001111", REFUSED):
            notifications.notify(
                association=a,
                kind=NOTICE,
                to=notifications.Recipient(phone=phone),
                params={"name": "龚志军", "member": "龚氏实业"},
            )
    run_worker()
    with tenant_context(a):
        return {m.phone: m for m in OutboxMessage.objects.filter(association=a)}


@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_a_gateway_sends_the_template_and_records_its_refusals(
    side_a: Side, gateway: str, provider: str
) -> None:
    with override_settings(
        SMS_BACKEND=provider,
        SMS_ENDPOINT=gateway,
        SMS_ACCESS_KEY="AKIDtest",
        SMS_ACCESS_SECRET=SECRET,
        SMS_SIGN_NAME="云商会",
        SMS_SDK_APP_ID="1400006666",
        SMS_TEMPLATES={NOTICE: {"aliyun": "SMS_123", "tencent": "449739"}},
    ):
        rows = send_two(side_a)
    sent, refused = rows["13700001111"], rows[REFUSED]
    assert sent.status == "sent"
    assert (refused.status, refused.attempts) == ("queued", 1)  # to be tried again later
    first = FakeGateway.received[0]
    if provider == "aliyun":
        assert sent.provider_message_id == "900619746936498440^0"
        assert (first["TemplateCode"], first["SignName"]) == ("SMS_123", "云商会")
        assert json.loads(first["TemplateParam"]) == {"name": "龚志军", "member": "龚氏实业"}
        assert "isv.MOBILE_NUMBER_ILLEGAL 非法手机号" in refused.last_error
    else:
        assert sent.provider_message_id == "2028:f8254"
        assert (first["TemplateId"], first["SmsSdkAppId"]) == ("449739", "1400006666")
        assert first["TemplateParamSet"] == ["龚志军", "龚氏实业"]
        assert "手机号格式错误" in refused.last_error


def test_a_wrong_secret_is_the_providers_refusal(side_a: Side, gateway: str) -> None:
    with override_settings(
        SMS_BACKEND="aliyun",
        SMS_ENDPOINT=gateway,
        SMS_ACCESS_KEY="AKIDtest",
        SMS_ACCESS_SECRET="not-the-secret",
        SMS_TEMPLATES={NOTICE: "SMS_123"},
    ):
        rows = send_two(side_a)
    assert "SignatureDoesNotMatch" in rows["13700001111"].last_error


def test_a_kind_without_an_approved_template_is_not_sent(side_a: Side, gateway: str) -> None:
    with override_settings(
        SMS_BACKEND="tencent", SMS_ENDPOINT=gateway, SMS_ACCESS_KEY="AKIDtest",
        SMS_ACCESS_SECRET=SECRET, SMS_TEMPLATES={},
    ):  # fmt: skip
        rows = send_two(side_a)
    assert "no approved template" in rows["13700001111"].last_error
    assert FakeGateway.received == []


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_email_goes_over_smtp_to_a_real_server(side_a: Side) -> None:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            DEFAULT_FROM_EMAIL="云商会 <noreply@example.cn>",
        ):
            with tenant_context(side_a.association):
                note(association=side_a.association, email="gong@example.cn",
                     subject="年会通知", text="12 月 20 日 14:00 年会")  # fmt: skip
            run_worker()
    finally:
        controller.stop()
    assert mail.outbox == []  # not the test backend: the SMTP server got it
    [envelope] = handler.messages
    assert envelope.rcpt_tos == ["gong@example.cn"]
    message = message_from_bytes(envelope.original_content)
    assert str(make_header(decode_header(message["Subject"]))) == "年会通知"
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    assert "12 月 20 日 14:00 年会" in body
    with tenant_context(side_a.association):
        assert OutboxMessage.objects.get(channel="email").status == "sent"


def test_an_unreachable_smtp_server_is_a_failed_attempt(side_a: Side) -> None:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nobody listens
        EMAIL_TIMEOUT=2,
    ):
        with tenant_context(side_a.association):
            note(association=side_a.association, email="gong@example.cn", text="x")
        run_worker()
    with tenant_context(side_a.association):
        row = OutboxMessage.objects.get(channel="email")
    assert (row.status, row.attempts) == ("queued", 1) and row.last_error
    assert row.kind == NOTE
