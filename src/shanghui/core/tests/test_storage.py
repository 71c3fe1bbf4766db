"""The content store (core.storage): content addressed per association, atomic writes, block
checksums verified on every read, quota, and release of what nothing refers to — on the
local filesystem and against a real S3-protocol server started over HTTP."""

import base64
import hashlib
import io
import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from shanghui.core.models import StoredContent
from shanghui.core.storage import content as content_service
from shanghui.core.storage.content import (
    CORRUPTION_LISTENERS,
    ContentCorrupt,
    ContentTooLarge,
    QuotaExceeded,
    content_blocks,
    content_put,
    content_release,
    content_usage,
    content_verify,
)
from shanghui.core.storage.stores import (
    FilesystemStore,
    content_store,
    spool_into,
    spool_of_file,
)
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

pytestmark = pytest.mark.django_db

BLOCK = 1024


def _bytes(n: int, seed: int = 1) -> bytes:
    return bytes((i * 31 + seed * 7 + i // 251) % 256 for i in range(n))


def _read(side: Side, content: StoredContent) -> bytes:
    return b"".join(content_blocks(side.association, content))


def _rows(side: Side) -> int:
    with tenant_context(side.association):
        return StoredContent.objects.count()


def test_spool_hashes_the_whole_and_each_block(tmp_path: Path) -> None:
    data = _bytes(BLOCK * 2 + 100)
    with override_settings(CONTENT_BLOCK_SIZE=BLOCK):
        spool = spool_into(tmp_path, [data[:700], data[700:2500], data[2500:]], max_bytes=10**6)
    digest = spool.digest
    assert digest.sha256 == hashlib.sha256(data).hexdigest()
    assert digest.size == len(data)
    assert digest.block_sha256 == tuple(
        hashlib.sha256(data[i : i + BLOCK]).hexdigest() for i in range(0, len(data), BLOCK)
    )
    assert spool.path.read_bytes() == data


def test_spool_of_many_pieces_hashes_them_in_order(tmp_path: Path) -> None:
    # More pieces than wait for the whole-file thread at once: the order must hold.
    data = _bytes(BLOCK * 7 + 33, seed=3)

    def pieces() -> Iterator[bytes]:
        # One buffer, refilled for each piece, as a reader with readinto would give them.
        buffer = bytearray(97)
        for start in range(0, len(data), 97):
            piece = data[start : start + 97]
            buffer[: len(piece)] = piece
            yield memoryview(buffer)[: len(piece)]  # type: ignore[misc]

    with override_settings(CONTENT_BLOCK_SIZE=BLOCK):
        spool = spool_into(tmp_path, pieces(), max_bytes=10**6)
    assert spool.digest.sha256 == hashlib.sha256(data).hexdigest()
    assert spool.digest.block_sha256[-1] == hashlib.sha256(data[BLOCK * 7 :]).hexdigest()
    assert len(spool.digest.block_sha256) == 8
    with override_settings(CONTENT_BLOCK_SIZE=BLOCK), open(spool.path, "rb") as written:
        assert spool_of_file(Path(written.name)).digest == spool.digest


def test_spool_over_the_limit_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ContentTooLarge):
        spool_into(tmp_path, io.BytesIO(b"x" * 5000), max_bytes=4999)
    assert list(tmp_path.iterdir()) == []


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_content_is_stored_once_per_association_under_its_namespace(
    side_a: Side, side_b: Side
) -> None:
    data = _bytes(3000)
    first = content_put(side_a.association, io.BytesIO(data))
    again = content_put(side_a.association, io.BytesIO(data))
    other = content_put(side_b.association, io.BytesIO(data))
    assert first.pk == again.pk
    assert other.pk != first.pk  # no dedupe across associations
    sha = hashlib.sha256(data).hexdigest()
    assert first.key == f"a/{side_a.association.pk}/{sha[:2]}/{sha}"
    root = Path(settings.CONTENT_ROOT)
    assert (root / first.key).read_bytes() == data
    assert (root / other.key).read_bytes() == data
    assert list((root / f"a/{side_a.association.pk}/.incoming").iterdir()) == []
    assert _read(side_a, first) == data
    assert len(first.block_sha256) == 3


def test_too_large_or_over_quota_stores_nothing(side_a: Side) -> None:
    with pytest.raises(ContentTooLarge):
        content_put(side_a.association, io.BytesIO(b"a" * 2000), max_bytes=1000)
    side_a.association.storage_quota = 2500
    content_put(side_a.association, io.BytesIO(b"b" * 2000))
    with pytest.raises(QuotaExceeded) as refused:
        content_put(side_a.association, io.BytesIO(b"c" * 1000))
    assert "资料库空间不足" in refused.value.message()
    assert _rows(side_a) == 1
    assert content_usage(side_a.association) == 2000
    # The same bytes again take no more room, so the quota does not refuse them.
    content_put(side_a.association, io.BytesIO(b"b" * 2000))
    namespace = Path(settings.CONTENT_ROOT) / f"a/{side_a.association.pk}"
    stored = [p for p in namespace.rglob("*") if p.is_file()]
    assert len(stored) == 1


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_a_damaged_block_stops_the_read_before_it_is_sent(side_a: Side) -> None:
    data = _bytes(BLOCK * 3)
    content = content_put(side_a.association, io.BytesIO(data))
    path = Path(settings.CONTENT_ROOT) / content.key
    damaged = bytearray(data)
    damaged[BLOCK + 10] ^= 0xFF
    path.write_bytes(bytes(damaged))
    told: list[str] = []
    CORRUPTION_LISTENERS.append(lambda row: told.append(row.sha256))
    try:
        given = []
        with pytest.raises(ContentCorrupt):
            for block in content_blocks(side_a.association, content):
                given.append(block)
    finally:
        CORRUPTION_LISTENERS.pop()
    assert given == [data[:BLOCK]]  # the good first block only; the bad one never left
    assert told == [content.sha256]
    with tenant_context(side_a.association):
        assert StoredContent.objects.get(pk=content.pk).corrupt_at is not None
    # Uploading the good bytes again repairs the stored copy.
    repaired = content_put(side_a.association, io.BytesIO(data))
    assert repaired.corrupt_at is None
    assert path.read_bytes() == data
    assert content_verify(side_a.association, repaired)


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_blocks_checked_ahead_are_never_given_out_before_a_bad_one(side_a: Side) -> None:
    # Blocks after the one being sent are read and checked ahead on other threads; a bad
    # block deep in the file still stops the read with exactly the good ones before it sent.
    data = _bytes(BLOCK * 8, seed=5)
    content = content_put(side_a.association, io.BytesIO(data))
    damaged = bytearray(data)
    damaged[BLOCK * 5 + 1] ^= 0x01
    (Path(settings.CONTENT_ROOT) / content.key).write_bytes(bytes(damaged))
    given = []
    with pytest.raises(ContentCorrupt) as stopped:
        for block in content_blocks(side_a.association, content):
            given.append(block)
    assert b"".join(given) == data[: BLOCK * 5]
    assert stopped.value.reason == "block" and stopped.value.block == 5
    # Too many blocks is caught at the first one too many, before it is read ahead.
    (Path(settings.CONTENT_ROOT) / content.key).write_bytes(data + b"x")
    with pytest.raises(ContentCorrupt) as stopped:
        list(content_blocks(side_a.association, content))
    assert stopped.value.reason == "length"


def test_a_small_file_is_verified_whole_before_its_first_byte(side_a: Side) -> None:
    content = content_put(side_a.association, io.BytesIO(b"%PDF-1.4 minutes"))
    path = Path(settings.CONTENT_ROOT) / content.key
    path.write_bytes(b"%PDF-1.4 minuteS")
    blocks = content_blocks(side_a.association, content)
    with pytest.raises(ContentCorrupt):
        next(blocks)
    path.unlink()
    with pytest.raises(ContentCorrupt):
        next(content_blocks(side_a.association, content))
    path.write_bytes(b"%PDF-1.4 minutes and more")
    with pytest.raises(ContentCorrupt):
        list(content_blocks(side_a.association, content))


def test_an_empty_file_reads_back_empty(side_a: Side) -> None:
    content = content_put(side_a.association, io.BytesIO(b""))
    assert _read(side_a, content) == b""
    assert content_verify(side_a.association, content)


def test_release_removes_unreferenced_content_only_after_the_grace(side_a: Side) -> None:
    content = content_put(side_a.association, io.BytesIO(b"meeting photo"))
    path = Path(settings.CONTENT_ROOT) / content.key
    assert content_release(side_a.association) == 0  # marked, not removed
    with tenant_context(side_a.association):
        assert StoredContent.objects.get(pk=content.pk).released_at is not None
    assert content_usage(side_a.association) == 0
    # An upload of the same bytes in the grace period takes it back into use.
    content_put(side_a.association, io.BytesIO(b"meeting photo"))
    later = timezone.now() + content_service.RELEASE_GRACE + timedelta(minutes=1)
    assert content_release(side_a.association, now=later) == 0
    assert path.exists()
    # Unreferenced through a whole grace period: gone, object and row.
    content_release(side_a.association, now=later)
    assert content_release(side_a.association, now=later + content_service.RELEASE_GRACE) == 1
    assert not path.exists()
    assert _rows(side_a) == 0


def test_filesystem_store_refuses_keys_outside_its_root(tmp_path: Path) -> None:
    store = FilesystemStore(tmp_path / "content")
    with pytest.raises(ValueError):
        store.exists("a/1/../../../etc/passwd")


def test_stale_spools_are_found(side_a: Side) -> None:
    store = content_store()
    assert isinstance(store, FilesystemStore)
    directory = store.incoming_dir(f"a/{side_a.association.pk}")
    directory.mkdir(parents=True)
    (directory / "left.part").write_bytes(b"half an upload")
    assert [p.name for p in store.stale_spools()] == ["left.part"]
    assert list(store.keys(f"a/{side_a.association.pk}")) == []


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_s3_store_round_trip_checksums_and_corruption(side_a: Side, s3_storage: object) -> None:
    from shanghui.core.storage.stores import S3Store

    assert isinstance(s3_storage, S3Store)
    data = _bytes(BLOCK * 2 + 5)
    content = content_put(side_a.association, io.BytesIO(data))
    assert content.store == "s3"
    head = s3_storage.client.head_object(
        Bucket=s3_storage.bucket, Key=content.key, ChecksumMode="ENABLED"
    )
    assert head["ContentLength"] == len(data)
    assert _read(side_a, content) == data
    assert list(s3_storage.keys(f"a/{side_a.association.pk}")) == [content.key]
    # The server keeps the SHA-256 sent with the object (real S3 and MinIO refuse bytes
    # that do not match it; moto records it without checking).
    sha = hashlib.sha256(data).digest()
    assert base64.b64decode(head["ChecksumSHA256"]) == sha
    # An object altered on the server is caught on the next read.
    s3_storage.client.put_object(Bucket=s3_storage.bucket, Key=content.key, Body=data[::-1])
    with pytest.raises(ContentCorrupt):
        _read(side_a, content)
    # Nothing was spooled to stay behind in the upload directory.
    assert not [n for n in os.listdir(settings.FILE_UPLOAD_TEMP_DIR) if n.endswith(".part")]


def test_s3_store_sends_a_large_file_in_parts(side_a: Side, s3_storage: object) -> None:
    from shanghui.core.storage.stores import S3Store

    assert isinstance(s3_storage, S3Store)
    data = os.urandom(S3Store.SINGLE_PUT_MAX + 300_000)
    content = content_put(side_a.association, io.BytesIO(data), max_bytes=len(data))
    assert _read(side_a, content) == data
    assert content_verify(side_a.association, content)


def test_an_inline_preview_may_be_framed_by_our_own_pages_only(side_a: Side) -> None:
    from shanghui.core.storage.content import content_response

    content = content_put(side_a.association, io.BytesIO(b"%PDF-1.4 minutes"))
    shown = content_response(side_a.association, content, filename="纪要.pdf", inline=True)
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert shown["Content-Disposition"].startswith("inline")
    download = content_response(side_a.association, content, filename="纪要.pdf")
    assert "X-Frame-Options" not in download  # the middleware's DENY applies
    assert download["Content-Disposition"].startswith("attachment")


@override_settings(CONTENT_BLOCK_SIZE=BLOCK)
def test_a_forked_worker_checks_blocks_on_threads_of_its_own(side_a: Side) -> None:
    # A server forks its workers after the parent may have read files: the child must not
    # wait for checking threads that only the parent has.
    data = _bytes(BLOCK * 6, seed=9)
    content = content_put(side_a.association, io.BytesIO(data))
    assert _read(side_a, content) == data  # the parent's pool now has threads
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which reports by its exit status
        os._exit(0 if b"".join(content_blocks(side_a.association, content)) == data else 1)
    deadline = time.monotonic() + 30
    while (waited := os.waitpid(child, os.WNOHANG)) == (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    if waited == (0, 0):
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    assert waited[0] == child and os.waitstatus_to_exitcode(waited[1]) == 0
