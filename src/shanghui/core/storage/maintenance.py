"""Keeping the content store honest: reading every object back against its checksums
(``manage.py verify_storage``) and clearing what interrupted uploads left behind
(``manage.py prune_uploads``).

What counts as a problem follows from the order in which ``content_put`` writes (see
``core.storage.content``): the row is claimed before the object is stored, so an upload
killed in between leaves a row without its object that nothing refers to — a "pending" row
for a day, then released by ``content_release`` — never a referred-to row without bytes. An
object is stored by a rename (or a PUT), so a key never names part of a file; and an object
is removed before its row, so an object no row names (an *orphan*) comes from outside the
service: a database restored from a backup older than the files, a copy made by hand. Young
orphans are listed only (an operator's copy in progress); older ones are errors.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from shanghui.core.models import StoredContent
from shanghui.core.storage.content import RELEASE_GRACE, _unreferenced, content_check
from shanghui.core.storage.stores import FilesystemStore, content_store, namespace_of
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Tenant

# Rows are read a page at a time, each page in a short tenant context: on PostgreSQL a
# context is a transaction, and none should stay open while whole files are read.
PAGE = 500
ORPHAN_GRACE = timedelta(days=1)
SPOOL_MAX_AGE = timedelta(hours=6)


@dataclass(frozen=True)
class Problem:
    """A row whose object is missing or does not match its checksums."""

    association: Tenant
    sha256: str
    size: int
    reason: str  # ContentCorrupt.reason: "missing", "block", "length"
    block: int | None
    # An error unless the row is released or a young unreferenced claim (see the module).
    error: bool
    note: str = ""

    def describe(self) -> str:
        if self.reason == "missing":
            what = "对象缺失"
        elif self.reason == "block":
            what = f"第 {(self.block or 0) + 1} 块校验不符"
        else:
            what = "长度不符"
        return f"{what}（{self.note}）" if self.note else what


@dataclass(frozen=True)
class Orphan:
    """An object in the store that no row names."""

    association: Tenant
    key: str
    size: int
    modified: datetime
    error: bool  # older than ORPHAN_GRACE


@dataclass
class Verified:
    association: Tenant
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(p.error for p in self.problems) + sum(o.error for o in self.orphans)


def _pages(association: Tenant) -> Iterator[list[StoredContent]]:
    last = 0
    while True:
        with tenant_context(association):
            page = list(
                StoredContent.objects.filter(association_id=association.pk, pk__gt=last).order_by(
                    "pk"
                )[:PAGE]
            )
        if page:
            yield page
        if len(page) < PAGE:
            return
        last = page[-1].pk


def _unreferenced_ids(association: Tenant, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    with tenant_context(association):
        return set(
            StoredContent.objects.filter(pk__in=ids)
            .filter(_unreferenced())
            .values_list("pk", flat=True)
        )


def _pending_note(content: StoredContent, unreferenced: set[int], now: datetime) -> str:
    """Why a missing object of this row would be no loss: it is released, or an upload's
    claim that nothing refers to yet (the upload is running, or was interrupted)."""
    if content.released_at is not None:
        return "已释放，无引用，待清除"
    if content.pk in unreferenced and content.created_at > now - RELEASE_GRACE:
        return "上传未完成，无引用"
    return ""


def storage_verify(association: Tenant, *, now: datetime | None = None) -> Verified:
    """Read every object of ``association`` through ``content_check`` (which records
    ``verified_at`` on the good, and flags the bad and tells ``CORRUPTION_LISTENERS``) and
    list the objects under its namespace that no row names. For an operator's command: it
    reads every byte. A missing object of a pending row (``_pending_note``) is listed but is
    no error and flags nothing: the administrators are not told of an upload that never
    finished."""
    now = now or timezone.now()
    store = content_store()
    found = Verified(association)
    names: set[str] = set()
    for page in _pages(association):
        maybe_pending = [
            row.pk
            for row in page
            if row.released_at is not None or row.created_at > now - RELEASE_GRACE
        ]
        unreferenced = _unreferenced_ids(association, maybe_pending)
        for content in page:
            names.add(content.sha256)
            found.checked += 1
            note = _pending_note(content, unreferenced, now)
            if note and not store.exists(content.key):
                found.problems.append(
                    Problem(association, content.sha256, content.size, "missing", None, False, note)
                )
                continue
            problem = content_check(association, content)
            if problem is not None:
                found.problems.append(
                    Problem(
                        association,
                        content.sha256,
                        content.size,
                        problem.reason,
                        problem.block,
                        error=content.released_at is None,
                        note="已释放，无引用，待清除" if content.released_at else "",
                    )
                )
    for entry in store.entries(namespace_of(association.pk)):
        if entry.key.rsplit("/", 1)[-1] not in names:
            young = entry.modified > now - ORPHAN_GRACE
            found.orphans.append(
                Orphan(association, entry.key, entry.size, entry.modified, not young)
            )
    return found


def _remove(paths: Iterator[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
    return removed


def stale_spools_remove(*, older_than: timedelta = SPOOL_MAX_AGE) -> int:
    """Remove the filesystem store's temporary files (``.incoming/*.part``) not written to
    for ``older_than``: an upload still running writes to its spool at least every piece it
    reads, so only an interrupted one leaves a spool this old. Answers how many."""
    store = content_store()
    if not isinstance(store, FilesystemStore):
        return 0  # the S3 store spools into the upload directory (upload_temp_prune)
    before = (timezone.now() - older_than).timestamp()
    stale = (p for p in store.stale_spools() if _modified_before(p, before))
    return _remove(stale)


def _modified_before(path: Path, before: float) -> bool:
    try:
        return path.stat().st_mtime < before
    except FileNotFoundError:
        return False


def upload_temp_prune(*, older_than: timedelta = SPOOL_MAX_AGE) -> int:
    """Remove the files directly in ``FILE_UPLOAD_TEMP_DIR`` not written to for
    ``older_than``: request bodies Django parsed into files for a request that was killed,
    the S3 store's spools, zips left by a download cut short. Subdirectories are left to
    whoever made them, with lifetimes of their own: the document library's resumable uploads
    (``tus/``) wait a day for their next chunk, and ``expire_documents_trash`` removes the
    abandoned ones with their sessions. Answers how many files were removed."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if not directory.is_dir():
        return 0
    before = (timezone.now() - older_than).timestamp()
    with os.scandir(directory) as entries:
        old = [
            Path(entry.path)
            for entry in entries
            if entry.is_file(follow_symlinks=False) and _modified_before(Path(entry.path), before)
        ]
    return _remove(iter(old))


def picture_cache_sweep(association: Tenant) -> int:
    """Removes this server's cached picture variants (``core.uploads.picture_variant``) whose
    content the association no longer stores — a replaced photo's thumbnail among them.
    Answers how many files went."""
    directory = Path(settings.PICTURE_CACHE_DIR) / str(association.pk)
    if not directory.is_dir():
        return 0
    cached: dict[str, list[Path]] = {}
    for path in directory.iterdir():
        if path.name.startswith("."):  # being written
            continue
        cached.setdefault(path.name.split(".", 1)[0], []).append(path)
    with tenant_context(association):
        kept = set(
            StoredContent.objects.filter(sha256__in=list(cached)).values_list("sha256", flat=True)
        )
    return _remove(path for sha, paths in cached.items() if sha not in kept for path in paths)
