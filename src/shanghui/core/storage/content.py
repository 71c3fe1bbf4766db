"""The content service: storing an association's bytes once, reading them back verified, and
removing what nothing refers to any more.

The order of writes is what keeps every record pointing at content that exists:

1. the incoming bytes are spooled (hashed into a temporary file) — no transaction open;
2. a short transaction finds or creates the ``StoredContent`` row and marks it in use;
3. the object is stored (a rename, or a PUT) — no transaction open;
4. only then does the caller write the row that refers to it (a drive file's version …).

A crash after 2 leaves a row nothing refers to, and after 3 an object nothing refers to; both
are removed by ``content_release`` a grace period later. ``content_release`` removes a row in
two steps — marked ``released_at`` when found unreferenced, removed (object first, under the
row's lock) only when still unreferenced a grace period later — so an upload that found the
row in step 2 is never left pointing at an object removed behind it.
"""

import hashlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from shanghui.core.models import StoredContent
from shanghui.core.storage.stores import (
    ContentMissing,
    ContentStore,
    ContentTooLarge,
    Digest,
    Readable,
    Spool,
    content_store,
    key_of,
    namespace_of,
    spool_of_file,
)
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Tenant

logger = logging.getLogger(__name__)

RELEASE_GRACE = timedelta(days=1)

__all__ = [
    "ContentCorrupt",
    "ContentMissing",
    "ContentTooLarge",
    "QuotaExceeded",
    "content_blocks",
    "content_check",
    "content_put",
    "content_release",
    "content_response",
    "content_usage",
]


class QuotaExceeded(Exception):
    """Storing would take the association past its storage quota; nothing was stored."""

    def __init__(self, *, used: int, quota: int, size: int) -> None:
        super().__init__(used, quota, size)
        self.used, self.quota, self.size = used, quota, size

    def message(self) -> str:
        return _(
            "资料库空间不足：已用 %(used)s，共 %(quota)s，此文件 %(size)s。"
            "请清空回收站或联系平台提高容量。"
        ) % {
            "used": size_label(self.used),
            "quota": size_label(self.quota),
            "size": size_label(self.size),
        }


class ContentCorrupt(Exception):
    """A stored object no longer matches its checksums (or is missing); the read stopped
    before the bad block was sent. ``reason``: "missing", "block" (``block`` is the index of
    the first that does not match) or "length" (the bytes end early or go on too long)."""

    def __init__(self, sha256: str, reason: str = "", block: int | None = None) -> None:
        super().__init__(sha256)
        self.sha256, self.reason, self.block = sha256, reason, block


# Told when a read finds an object corrupt or missing (the drive notifies the association's
# administrators). Core cannot name the apps that know who they are.
CORRUPTION_LISTENERS: list[Callable[[StoredContent], None]] = []


def size_label(size: int) -> str:
    """A size as people read it: 1.5 GB, 320 KB, 12 字节."""
    if size < 1024:
        return _("%(n)d 字节") % {"n": size}
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    raise AssertionError


def storage_quota(association: Tenant) -> int:
    quota = getattr(association, "storage_quota", None)
    return int(quota) if quota else int(settings.STORAGE_QUOTA_DEFAULT)


def content_usage(association: Tenant) -> int:
    """Bytes the association stores: every object in use, versions and trash included
    (released content, which nothing refers to, is not counted)."""
    with tenant_context(association):
        total = StoredContent.objects.filter(
            association_id=association.pk, released_at__isnull=True
        ).aggregate(total=Sum("size"))["total"]
    return int(total or 0)


def content_put(
    association: Tenant,
    source: Readable,
    *,
    max_bytes: int | None = None,
    check_quota: bool = True,
    check: Callable[[Path], object] | None = None,
) -> StoredContent:
    """Store the bytes ``source`` gives (read once, in pieces) for ``association`` and answer
    their row, marked in use. Call it with no transaction open: on SQLite a transaction holds
    the one write lock, and no request should hold it while a file arrives.

    Raises ``ContentTooLarge`` over ``max_bytes`` (``UPLOAD_MAX_BYTES`` by default) and
    ``QuotaExceeded`` when new bytes would pass the quota; either way nothing is kept. A
    ``check`` is given the spooled file before anything is recorded (what it raises leaves
    nothing behind either)."""
    store = content_store()
    limit = max_bytes if max_bytes is not None else int(settings.UPLOAD_MAX_BYTES)
    spool = store.spool(namespace_of(association.pk), source, max_bytes=limit)
    return _stored(association, store, spool, check_quota=check_quota, check=check)


def content_adopt(
    association: Tenant,
    path: Path,
    *,
    check_quota: bool = True,
    check: Callable[[Path], object] | None = None,
) -> StoredContent:
    """Store a complete file already on disk (a finished resumable upload) for
    ``association``: hashed in place, then moved into the store (a rename on the same
    filesystem) — the file at ``path`` is gone afterwards, stored or not. As ``content_put``,
    with no transaction open."""
    try:
        spool = spool_of_file(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return _stored(association, content_store(), spool, check_quota=check_quota, check=check)


def _stored(
    association: Tenant,
    store: ContentStore,
    spool: Spool,
    *,
    check_quota: bool,
    check: Callable[[Path], object] | None,
) -> StoredContent:
    """Check the spooled bytes, claim their row, then store them (the order the module
    docstring explains); the spool is gone afterwards either way."""
    digest = spool.digest
    try:
        if check is not None:
            check(spool.path)
        content = _content_claim(association, digest, check_quota=check_quota, store=store.name)
        # A copy found corrupt is replaced by these good bytes.
        store.put(
            key_of(namespace_of(association.pk), digest.sha256),
            spool,
            replace=content.corrupt_at is not None,
        )
    finally:
        spool.discard()
    if content.corrupt_at is not None:
        with tenant_context(association):
            StoredContent.objects.filter(pk=content.pk).update(corrupt_at=None)
        content.corrupt_at = None
    return content


def _content_claim(
    association: Tenant, digest: Digest, *, check_quota: bool, store: str
) -> StoredContent:
    for _attempt in range(3):
        with tenant_context(association), transaction.atomic():
            rows = StoredContent.objects.filter(association_id=association.pk, sha256=digest.sha256)
            # An UPDATE first: on PostgreSQL it waits for a removal holding the row's lock,
            # and counts nothing if that removal went through.
            if rows.update(released_at=None):
                return rows.get()
            if check_quota:
                used = content_usage(association)
                quota = storage_quota(association)
                if used + digest.size > quota:
                    raise QuotaExceeded(used=used, quota=quota, size=digest.size)
            try:
                with transaction.atomic():
                    return StoredContent.objects.create(
                        association_id=association.pk,
                        sha256=digest.sha256,
                        size=digest.size,
                        block_size=digest.block_size,
                        block_sha256=list(digest.block_sha256),
                        store=store,
                    )
            except IntegrityError:
                continue  # the same bytes arrived at the same moment: take that row
    raise RuntimeError("content row could not be claimed")


def _corrupt(association: Tenant, content: StoredContent, reason: str) -> None:
    logger.error(
        "stored content %s of association %s is %s", content.sha256, association.pk, reason
    )
    with tenant_context(association):
        StoredContent.objects.filter(pk=content.pk).update(corrupt_at=timezone.now())
    content.corrupt_at = timezone.now()
    for listener in CORRUPTION_LISTENERS:
        try:
            listener(content)
        except Exception:  # a listener's failure must not hide the corruption itself
            logger.exception("corruption listener failed")


# Checking blocks is most of a download's work (SHA-256 at ~1.3 GB/s of one core here). The
# blocks ahead of the one being sent are checked on these threads — ``hashlib`` lets go of the
# GIL — one pool per process, so that downloads running together share the cores rather than
# each starting threads of its own.
_checking: ThreadPoolExecutor | None = None


def _checking_pool() -> ThreadPoolExecutor:
    global _checking
    if _checking is None:
        _checking = ThreadPoolExecutor(os.cpu_count() or 2, thread_name_prefix="sha256-block")
    return _checking


def _forget_checking_pool() -> None:
    # A forked child (a server's worker) has none of its parent's threads: it makes its own.
    global _checking
    _checking = None


os.register_at_fork(after_in_child=_forget_checking_pool)

# Blocks read and being checked beyond the one being sent: what a download holds in memory is
# (CHECK_AHEAD + 1) blocks.
CHECK_AHEAD = 3


def _sha256_hex(block: bytes) -> str:
    return hashlib.sha256(block).hexdigest()


def content_blocks(association: Tenant, content: StoredContent) -> Iterator[bytes]:
    """The content's bytes, each block checked against its SHA-256 before it is yielded. A
    block that does not match — or a missing object, or a wrong length — flags the content,
    tells the listeners and raises ``ContentCorrupt`` before anything bad is given out. A
    file of one block (most documents) is thus verified whole before its first byte.

    While one block is being sent, the next ``CHECK_AHEAD`` are read and checked on the
    shared threads, so a large download checks on every core."""
    expected = content.block_sha256
    ahead: deque[tuple[bytes, Future[str]]] = deque()
    sent = 0
    size = 0

    def checked() -> bytes:
        nonlocal sent, size
        block, digest = ahead.popleft()
        if digest.result() != expected[sent]:
            _corrupt(association, content, f"corrupt at block {sent}")
            raise ContentCorrupt(content.sha256, "block", sent)
        sent += 1
        size += len(block)
        return block

    try:
        for block in content_store().blocks(content.key, content.block_size):
            if sent + len(ahead) >= len(expected):
                _corrupt(association, content, "long")
                raise ContentCorrupt(content.sha256, "length")
            ahead.append((block, _checking_pool().submit(_sha256_hex, block)))
            if len(ahead) > CHECK_AHEAD:
                yield checked()
    except ContentMissing:
        _corrupt(association, content, "missing")
        raise ContentCorrupt(content.sha256, "missing") from None
    while ahead:
        yield checked()
    # An empty file has one block hash (of nothing) and no block to read.
    if size != content.size or (content.size and sent != len(expected)):
        _corrupt(association, content, "short")
        raise ContentCorrupt(content.sha256, "length")


def content_verify(association: Tenant, content: StoredContent) -> bool:
    """Read the whole object and check it; records ``verified_at`` when good."""
    return content_check(association, content) is None


def content_check(association: Tenant, content: StoredContent) -> ContentCorrupt | None:
    """``content_verify`` saying what is wrong: None when the object is good (``verified_at``
    recorded), else the ``ContentCorrupt`` its read raised (the content is flagged)."""
    try:
        for _block in content_blocks(association, content):
            pass
    except ContentCorrupt as problem:
        return problem
    with tenant_context(association):
        StoredContent.objects.filter(pk=content.pk).update(
            verified_at=timezone.now(), corrupt_at=None
        )
    return None


def content_response(
    association: Tenant,
    content: StoredContent,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    inline: bool = False,
) -> StreamingHttpResponse:
    """A private download of ``content``, streamed block by block and verified as it goes.
    ``Content-Length`` is set, so a response cut short by a bad block is seen as broken by
    every client, never taken for a complete file."""
    response = StreamingHttpResponse(
        content_blocks(association, content), content_type=content_type
    )
    response["Content-Length"] = str(content.size)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # A preview is shown in a frame of our own pages (a PDF in the file's page); no
        # other site may frame it.
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _unreferenced() -> Q:
    """Rows no model's foreign key points at: every relation to ``StoredContent`` is empty."""
    condition = Q()
    for relation in StoredContent._meta.related_objects:
        if isinstance(relation, models.ForeignObjectRel) and not relation.many_to_many:
            condition &= Q(**{f"{relation.name}__isnull": True})
    return condition


def content_release(association: Tenant, *, now: datetime | None = None) -> int:
    """Remove the association's content that nothing refers to: mark what is unreferenced
    now, and remove what was marked at least ``RELEASE_GRACE`` ago and is still unreferenced
    (its object first, under the row's lock; then the row). Answers how many were removed."""
    now = now or timezone.now()
    store = content_store()
    with tenant_context(association):
        StoredContent.objects.filter(released_at__isnull=True).filter(_unreferenced()).update(
            released_at=now
        )
        due = list(
            StoredContent.objects.filter(released_at__lte=now - RELEASE_GRACE)
            .filter(_unreferenced())
            .values_list("pk", flat=True)
        )
    removed = 0
    for pk in due:
        with tenant_context(association), transaction.atomic():
            row = (
                StoredContent.objects.select_for_update(of=("self",))
                .filter(pk=pk, released_at__lte=now - RELEASE_GRACE)
                .filter(_unreferenced())
                .first()
            )
            if row is None:
                continue
            store.delete(row.key)
            row.delete()
            removed += 1
    return removed
