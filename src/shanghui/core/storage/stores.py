"""Where stored bytes live: a key-value store of immutable objects named by their SHA-256.

Keys are ``<namespace>/<sha[:2]>/<sha>``, the namespace ``a/<association_id>`` for an
association's content and ``platform`` for the platform's. Nothing is shared between
associations even when the bytes are the same: a shared object would tell one association
that another stores a given file, and would stop one association's purge or restore from
being its own.

Incoming bytes are first *spooled*: read in pieces (never whole into memory), hashed as they
come — the whole file and each fixed block — and written to a temporary file. The filesystem
store spools into the namespace's own ``.incoming`` directory, so that storing is a rename on
the same filesystem; the S3 store spools into the upload directory and sends the file with
its SHA-256 for the server to check.
"""

import base64
import contextlib
import hashlib
import os
import secrets
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.functional import cached_property

READ_PIECE = 1024 * 1024


class Readable(Protocol):
    """Anything bytes are read from: a file, an upload, a request body."""

    def read(self, size: int = ..., /) -> bytes: ...


class ContentTooLarge(Exception):
    """The incoming bytes passed the limit they were read under; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class ContentMissing(Exception):
    """No object under the key."""


@dataclass(frozen=True)
class Digest:
    """What a file's bytes hash to: the whole, and each ``block_size`` block in order."""

    sha256: str
    size: int
    block_size: int
    block_sha256: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """A stored object as a listing shows it."""

    key: str
    size: int
    modified: datetime


@dataclass
class Spool:
    """Incoming bytes hashed into a temporary file, waiting to be stored (or discarded)."""

    path: Path
    digest: Digest

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def namespace_of(association_id: int | None) -> str:
    return f"a/{association_id}" if association_id is not None else "platform"


def key_of(namespace: str, sha256: str) -> str:
    return f"{namespace}/{sha256[:2]}/{sha256}"


def block_size() -> int:
    return int(settings.CONTENT_BLOCK_SIZE)


def _pieces(source: Readable | Iterable[bytes]) -> Iterator[bytes]:
    if hasattr(source, "read"):
        while piece := source.read(READ_PIECE):
            yield piece
    else:
        yield from source


class _Hasher:
    """The SHA-256 of the whole and of each fixed block, fed pieces in order.

    Every stored byte needs both hashes, and SHA-256 is the slowest step of storing a file
    (~1.3 GB/s of one core here against ~2 GB/s for a copy). From its second piece on, the
    whole is hashed on a thread of its own — ``hashlib`` lets go of the GIL for large
    updates — so that the two hashes take two cores where there are two. A file of one
    piece (most documents) is hashed inline and starts no thread. At most ``AHEAD`` pieces
    wait for the thread, so memory stays flat whatever the file's size."""

    AHEAD = 8

    def __init__(self, size_of_block: int) -> None:
        self.size_of_block = size_of_block
        self.size = 0
        self._whole = hashlib.sha256()
        self._pool: ThreadPoolExecutor | None = None
        self._waiting: deque[Future[None]] = deque()
        self._blocks: list[str] = []
        self._block = hashlib.sha256()
        self._in_block = 0

    def __enter__(self) -> "_Hasher":
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def update(self, piece: bytes) -> None:
        # The thread hashes the piece after the caller has moved on: it must be bytes no one
        # can change (a reused buffer would be hashed with its next contents).
        piece = bytes(piece) if not isinstance(piece, bytes) else piece
        if not self.size:
            self._whole.update(piece)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="sha256-whole")
            self._waiting.append(self._pool.submit(self._whole.update, piece))
            if len(self._waiting) > self.AHEAD:
                self._waiting.popleft().result()
        self.size += len(piece)
        view = memoryview(piece)
        while view:
            take = min(len(view), self.size_of_block - self._in_block)
            self._block.update(view[:take])
            self._in_block += take
            view = view[take:]
            if self._in_block == self.size_of_block:
                self._blocks.append(self._block.hexdigest())
                self._block = hashlib.sha256()
                self._in_block = 0

    def digest(self) -> Digest:
        while self._waiting:
            self._waiting.popleft().result()
        blocks = list(self._blocks)
        # An empty file has one block hash, of nothing.
        if self._in_block or not blocks:
            blocks.append(self._block.hexdigest())
        return Digest(self._whole.hexdigest(), self.size, self.size_of_block, tuple(blocks))


def spool_into(directory: Path, source: Readable | Iterable[bytes], *, max_bytes: int) -> Spool:
    """Read ``source`` into a new temporary file in ``directory`` — flushed to disk before
    this returns — hashing as it goes. Over ``max_bytes``: ``ContentTooLarge``, and nothing is
    left behind."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{secrets.token_hex(12)}.part"
    try:
        with _Hasher(block_size()) as hasher, open(path, "xb") as out:
            for piece in _pieces(source):
                if hasher.size + len(piece) > max_bytes:
                    raise ContentTooLarge(max_bytes)
                hasher.update(piece)
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
            digest = hasher.digest()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        raise
    return Spool(path, digest)


def spool_of_file(path: Path) -> Spool:
    """A complete file already on disk (a finished resumable upload) hashed in place, as a
    spool to store: the filesystem store then renames it rather than copying it."""
    with open(path, "rb") as source, _Hasher(block_size()) as hasher:
        for piece in _pieces(source):
            hasher.update(piece)
        return Spool(Path(path), hasher.digest())


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ContentStore(Protocol):
    """The operations the content service needs from a place that keeps bytes."""

    name: str

    def spool(
        self, namespace: str, source: Readable | Iterable[bytes], *, max_bytes: int
    ) -> Spool: ...

    def put(self, key: str, spool: Spool, *, replace: bool = False) -> None:
        """Store the spooled bytes under ``key`` (all or nothing) and remove the spool. An
        object already there is kept (its name is its hash) unless ``replace`` — a copy found
        corrupt is replaced by good bytes."""

    def blocks(self, key: str, size_of_block: int) -> Iterator[bytes]:
        """The object's bytes in blocks of ``size_of_block`` (the last may be shorter)."""

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str) -> Iterator[str]:
        """Every stored key under ``prefix`` (temporary files excluded)."""

    def entries(self, prefix: str) -> Iterator[Entry]:
        """``keys``, each with its size and when it was stored."""


class FilesystemStore:
    """Objects as files under ``root``; a stored file is never changed, only replaced whole."""

    name = "filesystem"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(key)
        return path

    def incoming_dir(self, namespace: str) -> Path:
        return self._path(namespace) / ".incoming"

    def spool(self, namespace: str, source: Readable | Iterable[bytes], *, max_bytes: int) -> Spool:
        return spool_into(self.incoming_dir(namespace), source, max_bytes=max_bytes)

    def put(self, key: str, spool: Spool, *, replace: bool = False) -> None:
        target = self._path(key)
        if not replace and target.exists() and target.stat().st_size == spool.digest.size:
            spool.discard()  # the same bytes are already stored (the name is their hash)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        if spool.path.stat().st_dev != target.parent.stat().st_dev:
            # An adopted file on another filesystem: copied into the namespace's spool
            # directory first, so that the last step is still a rename.
            with open(spool.path, "rb") as source:
                copy = spool_into(
                    self.incoming_dir(key.rsplit("/", 2)[0]), source, max_bytes=spool.digest.size
                )
            spool.discard()
            spool = copy
        else:
            with open(spool.path, "rb+") as written:
                os.fsync(written.fileno())
        # The spool was fsynced when written. A rename within one filesystem is atomic: a
        # reader sees the old name absent or the whole file, never part of it. The
        # directories are synced so that the rename itself survives a power cut.
        os.replace(spool.path, target)
        _fsync_directory(target.parent)
        _fsync_directory(spool.path.parent)

    def blocks(self, key: str, size_of_block: int) -> Iterator[bytes]:
        try:
            handle = open(self._path(key), "rb")  # noqa: SIM115 - closed below, lazily
        except FileNotFoundError:
            raise ContentMissing(key) from None
        with handle:
            while block := handle.read(size_of_block):
                yield block

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def keys(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix)
        if not base.exists():
            return
        for directory, subdirs, files in os.walk(base):
            subdirs[:] = [name for name in subdirs if name != ".incoming"]
            for name in files:
                yield Path(directory, name).relative_to(self.root).as_posix()

    def entries(self, prefix: str) -> Iterator[Entry]:
        for key in self.keys(prefix):
            try:
                stat = (self.root / key).stat()
            except FileNotFoundError:  # removed since it was listed
                continue
            yield Entry(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def stale_spools(self) -> Iterator[Path]:
        """The temporary files of every namespace (some may be uploads still running)."""
        yield from self.root.glob("**/.incoming/*.part")


class S3Store:
    """Objects in an S3-compatible bucket (MinIO, Aliyun OSS, Tencent COS) through
    django-storages' configuration and its boto3 client.

    A PUT is atomic on S3: the key shows the old object (none) or the whole new one. Each
    object is sent with its SHA-256 (``ChecksumSHA256``; multipart uploads carry one per part
    and the server checks each), so a corrupted transfer is refused by the server. Servers
    that ignore checksums (older OSS/COS gateways) store the bytes unchecked; the block
    hashes kept in the database still catch any corruption on every read."""

    name = "s3"

    SINGLE_PUT_MAX = 8 * 1024 * 1024

    def __init__(self, options: dict[str, Any], upload_dir: Path) -> None:
        self.options = options
        self.upload_dir = Path(upload_dir)

    @cached_property
    def storage(self) -> Any:
        from storages.backends.s3 import S3Storage

        return S3Storage(**self.options)

    @property
    def client(self) -> Any:
        return self.storage.connection.meta.client

    @property
    def bucket(self) -> str:
        return str(self.storage.bucket_name)

    def spool(self, namespace: str, source: Readable | Iterable[bytes], *, max_bytes: int) -> Spool:
        return spool_into(self.upload_dir, source, max_bytes=max_bytes)

    def put(self, key: str, spool: Spool, *, replace: bool = False) -> None:
        try:
            if not replace and self.exists(key):
                return
            if spool.digest.size <= self.SINGLE_PUT_MAX:
                checksum = base64.b64encode(bytes.fromhex(spool.digest.sha256)).decode()
                with open(spool.path, "rb") as body:
                    self.client.put_object(
                        Bucket=self.bucket,
                        Key=key,
                        Body=body,
                        ChecksumAlgorithm="SHA256",
                        ChecksumSHA256=checksum,
                    )
            else:
                from boto3.s3.transfer import TransferConfig

                self.client.upload_file(
                    str(spool.path),
                    self.bucket,
                    key,
                    ExtraArgs={"ChecksumAlgorithm": "SHA256"},
                    Config=TransferConfig(multipart_chunksize=self.SINGLE_PUT_MAX),
                )
        finally:
            spool.discard()

    def blocks(self, key: str, size_of_block: int) -> Iterator[bytes]:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise ContentMissing(key) from None
            raise
        with contextlib.closing(body):
            while block := body.read(size_of_block):
                yield block

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError:
            return False
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def keys(self, prefix: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{prefix.rstrip('/')}/"
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield str(item["Key"])

    def entries(self, prefix: str) -> Iterator[Entry]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{prefix.rstrip('/')}/"
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield Entry(str(item["Key"]), int(item["Size"]), item["LastModified"])


_store: ContentStore | None = None


def content_store() -> ContentStore:
    """The store the settings choose (``STORAGE_BACKEND``), made once per process."""
    global _store
    if _store is None:
        _store = store_from_settings()
    return _store


def store_from_settings() -> ContentStore:
    if settings.STORAGE_BACKEND == "s3":
        return S3Store(dict(settings.S3_OPTIONS), Path(settings.FILE_UPLOAD_TEMP_DIR))
    return FilesystemStore(Path(settings.CONTENT_ROOT))


def content_store_reset() -> None:
    """Forget the store made from the settings (tests that change them)."""
    global _store
    _store = None
