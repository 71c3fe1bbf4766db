"""Pages and API answers leave compressed (Brotli or gzip, with a random-length padding against
BREACH); small answers and downloads leave as they are (core.compression)."""

import gzip
import json

import brotli
import pytest
from django.http import StreamingHttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from shanghui.core.compression import CompressionMiddleware, accepted_encoding, brotli_compress
from shanghui.testing.fixtures import Side, api_client_for


def _decoded(response: object, coding: str) -> bytes:
    body: bytes = response.content  # type: ignore[attr-defined]
    return gzip.decompress(body) if coding == "gzip" else brotli.decompress(body)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_page_is_compressed_as_the_client_accepts(db: None, coding: str) -> None:
    plain = Client().get("/")
    response = Client().get("/", HTTP_ACCEPT_ENCODING=f"{coding}, deflate")
    assert plain.status_code == response.status_code == 200
    assert "Content-Encoding" not in plain
    assert response["Content-Encoding"] == coding
    assert "Accept-Encoding" in response["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    page = _decoded(response, coding).decode()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # Up to 99 bytes of padding (BREACH) ride on a small page: well below, but not half.
    assert len(response.content) < len(plain.content) * 0.7


def test_brotli_is_preferred_unless_refused(db: None) -> None:
    assert Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")["Content-Encoding"] == "br"
    refused = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, br;q=0")
    assert refused["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in Client().get("/", HTTP_ACCEPT_ENCODING="identity")


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_an_api_answer_is_compressed(side_a: Side, coding: str) -> None:
    response = api_client_for(side_a.admin).get(
        f"/api/v1/associations/{side_a.association.slug}/members",
        HTTP_ACCEPT_ENCODING=coding,
    )
    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert "Accept-Encoding" in response["Vary"]
    assert json.loads(_decoded(response, coding))["items"][0]["name"] == side_a.member.name


def test_a_tiny_answer_is_left_alone(db: None) -> None:
    response = Client().get("/healthz", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.content == b'{"ok": true}'
    assert "Content-Encoding" not in response


def test_a_download_is_left_alone(side_a: Side) -> None:
    client = Client()
    client.force_login(side_a.member_user)
    response = client.get(
        reverse("accounts:data_export", args=["json"]), HTTP_ACCEPT_ENCODING="gzip, br"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert len(response.content) > 200  # large enough that only the rule keeps it whole
    assert "Content-Encoding" not in response
    assert side_a.member_user.name in response.content.decode()


def test_the_brotli_padding_varies_the_length_and_decodes_to_the_same_bytes() -> None:
    body = "<p>会员名录 member list</p>\n".encode() * 500
    outputs = [brotli_compress(body) for _ in range(60)]
    assert all(brotli.decompress(out) == body for out in outputs)
    lengths = {len(out) for out in outputs}
    assert len(lengths) > 20 and max(lengths) - min(lengths) > 50
    assert all(
        brotli.decompress(brotli_compress(body, max_random_bytes=n)) == body for n in (1, 257)
    )


@pytest.mark.parametrize(
    ("header", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("GZIP;q=0.5", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0", None),
        ("identity", None),
        ("", None),
    ],
)
def test_accepted_encoding(header: str, coding: str | None) -> None:
    assert accepted_encoding(header) == coding


def test_a_streaming_answer_is_left_alone(rf: RequestFactory) -> None:
    """Files, large exports and event streams reach the client as they are written."""
    chunks = [b"<p>" + b"x" * 1000 + b"</p>\n"] * 3
    middleware = CompressionMiddleware(
        lambda request: StreamingHttpResponse(iter(chunks), content_type="text/html")
    )
    response = middleware(rf.get("/", HTTP_ACCEPT_ENCODING="gzip, br"))
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == b"".join(chunks)  # type: ignore[arg-type]
