"""Compresses what the application answers: pages, API JSON, calendar feeds — Brotli when the
client accepts it (every current browser and WeChat over HTTPS), gzip otherwise.

Static files never come here: WhiteNoise serves them before this middleware runs, from the
copies it compressed once at ``collectstatic`` (nginx serves the same ``.gz`` files with
``gzip_static``), so nothing is compressed twice.

BREACH: a page that holds a secret and reflects what an attacker put in the URL lets them
guess the secret from the compressed length. Our CSRF tokens are masked afresh for every
response (Django), and on top of that every answer gets Django's "Heal The Breach"
mitigation, which Django 5.2's own ``GZipMiddleware`` applies (``max_random_bytes = 100``:
``django.utils.text.compress_string`` writes a file name of 0–99 random bytes into the gzip
header), so the length of one answer says little. Brotli gets the same: a metadata block of
0–99 bytes that decoders skip, written before the compressed data (RFC 7932 §9.2).

Left alone: small answers (under 200 bytes, as Django's), streaming answers (files, large
exports — and anything that must reach the client as it is written), downloads
(``Content-Disposition: attachment``: xlsx, PDF and zip are compressed already, and a
download keeps its exact length), answers already encoded, and types that do not shrink
(pictures, PDF). ``Vary: Accept-Encoding`` goes on every answer that could have been
compressed, so a cache never hands the gzip copy to a client that asked for none."""

import secrets
from collections.abc import Callable

import brotli
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

Handler = Callable[[HttpRequest], HttpResponse]

MIN_BYTES = 200
# The same bound as Django's GZipMiddleware.max_random_bytes.
MAX_RANDOM_BYTES = 100
# Quality 5 compresses a page in about the time gzip level 6 takes, and smaller; 11 (the
# library's default, right for static files compressed once) takes 30–60 times longer.
BROTLI_QUALITY = 5

COMPRESSIBLE_TYPES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/xml",
        "image/svg+xml",
    }
)


def accepted_encoding(header: str) -> str | None:
    """``br`` or ``gzip`` as the client's Accept-Encoding allows (Brotli preferred), else
    None. A coding listed with ``q=0`` is refused."""
    accepted: set[str] = set()
    for part in header.lower().split(","):
        coding, _, params = part.partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            if float(quality or "1") > 0:
                accepted.add(coding.strip())
        except ValueError:
            continue
    for coding in ("br", "gzip"):
        if coding in accepted:
            return coding
    return None


def brotli_compress(data: bytes, *, max_random_bytes: int = MAX_RANDOM_BYTES) -> bytes:
    """``data`` as a Brotli stream that starts with a metadata block of a random length below
    ``max_random_bytes``. A fresh encoder's flush writes the stream header and aligns the
    output to a byte (an empty metadata block), so a block of our own can follow it: ISLAST
    0, MNIBBLES 0 (bits ``11``: metadata), a reserved 0 bit, MSKIPBYTES and MSKIPLEN−1 in
    the same least-significant-bit-first order, padding to the byte, then the skipped bytes.
    """
    if not 0 < max_random_bytes <= 257:
        raise ValueError("one byte holds the metadata length: 1 to 257 bytes of randomness")
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    header = compressor.flush()
    length = secrets.randbelow(max_random_bytes)
    if length == 0:
        padding = bytes([0b0000_0110])  # MSKIPBYTES 0: no metadata bytes
    else:
        skip = length - 1  # MSKIPBYTES 1: one byte holds MSKIPLEN − 1
        padding = bytes([0b0001_0110 | (skip & 0b11) << 6, skip >> 2]) + b"\x00" * length
    return header + padding + compressor.process(data) + compressor.finish()


def _compressible(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    return (
        content_type.startswith("text/")
        or content_type in COMPRESSIBLE_TYPES
        or content_type.endswith(("+json", "+xml"))
    )


class CompressionMiddleware:
    """Brotli or gzip for the application's own answers (see the module's docstring). Stands
    right after WhiteNoise in ``MIDDLEWARE``: outside every middleware that reads or writes
    the body, inside the one that serves static files."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or len(response.content) < MIN_BYTES
            or response.has_header("Content-Encoding")
            or response.get("Content-Disposition", "").startswith("attachment")
            or not _compressible(response)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = accepted_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if coding is None:
            return response
        if coding == "br":
            compressed = brotli_compress(response.content)
        else:
            compressed = compress_string(response.content, max_random_bytes=MAX_RANDOM_BYTES)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = coding
        # The compressed bytes differ from what a strong ETag named (RFC 9110 §8.8.1).
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response
