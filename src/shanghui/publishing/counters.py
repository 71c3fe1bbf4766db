"""Buffered view counts: a page view adds one to a counter in a store of its own (never the
main database: on SQLite a write per view would queue every reader behind the write lock);
``flush`` — ``manage.py flush_article_views``, every few minutes — adds what the counters
hold to ``Article.view_count``.

The store is shared by every app server process and the command, and is durable (counters
never expire) and atomic (one UPSERT or INCR per view, so concurrent workers lose nothing):

- a small SQLite file of its own (``COUNTERS_SQLITE_PATH``, WAL) on one machine (default);
- Redis at ``COUNTERS_REDIS_URL`` when that is set (several app servers).

A flush reads the counters, adds them to the articles in one transaction of the main
database, and only after that commits takes exactly the amounts it read off the counters
(subtracting, never zeroing): views counted meanwhile stay for the next flush, and a failed
database update leaves the counters as they were. Two runs of the command never overlap
(``flush_lock``, in the store: a second run finds it taken and adds nothing). A crash
between the commit and the subtraction would count those views twice."""

import contextlib
import fcntl
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from functools import cache, partial
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F

from shanghui.associations.models import Association
from shanghui.publishing.models import Article

__all__ = [
    "FlushBusy",
    "flush",
    "flush_lock",
    "open_store",
    "pending",
    "store",
    "view_count",
    "views_of",
]

# How long a flush may hold Redis's lock before it lapses (a crashed run does not block all).
FLUSH_LOCK_SECONDS = 600


class FlushBusy(Exception):
    """Another flush is running: this one adds nothing (its views wait for the next)."""


class Store(Protocol):
    def incr(self, key: str) -> None: ...
    def flush_lock(self) -> AbstractContextManager[None]: ...
    def get_many(self, keys: list[str]) -> dict[str, int]: ...
    def subtract(self, amounts: dict[str, int]) -> None: ...
    def clear(self) -> None: ...


class SqliteStore:
    """Counters in their own SQLite file: one short UPSERT per view."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self.local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL)"
            )
            self.local.db = db
        return db

    def incr(self, key: str) -> None:
        self._db().execute(
            "INSERT INTO counts (key, n) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1",
            [key],
        )

    def get_many(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        marks = ",".join("?" * len(keys))
        query = f"SELECT key, n FROM counts WHERE key IN ({marks})"  # noqa: S608 - only ?s
        rows = self._db().execute(query, keys)
        return {key: int(n) for key, n in rows}

    def subtract(self, amounts: dict[str, int]) -> None:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            for key, n in amounts.items():
                db.execute("UPDATE counts SET n = n - ? WHERE key = ?", [n, key])
                db.execute("DELETE FROM counts WHERE key = ? AND n <= 0", [key])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def clear(self) -> None:
        self._db().execute("DELETE FROM counts")

    @contextlib.contextmanager
    def flush_lock(self) -> Iterator[None]:
        """One flush at a time on this machine: a lock on a file beside the store's."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{self.path}.flush-lock", "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise FlushBusy from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


# DECRBY, and the key removed when nothing is left, in one step (a view counted between
# the two would otherwise be deleted with the key).
_SUBTRACT = """
local left = redis.call('DECRBY', KEYS[1], ARGV[1])
if left <= 0 then redis.call('DEL', KEYS[1]) end
return left
"""


class RedisStore:
    """Counters in Redis: INCR per view, no expiry."""

    def __init__(self, url: str) -> None:
        import redis  # imported only where configured; the default install needs no Redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = settings.COUNTERS_REDIS_PREFIX
        self.script = self.redis.register_script(_SUBTRACT)

    def incr(self, key: str) -> None:
        self.redis.incr(self.prefix + key)

    def get_many(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        values = self.redis.mget([self.prefix + k for k in keys])
        return {k: int(v) for k, v in zip(keys, values, strict=True) if v is not None}

    def subtract(self, amounts: dict[str, int]) -> None:
        for key, n in amounts.items():
            self.script(keys=[self.prefix + key], args=[n])

    def clear(self) -> None:
        for name in self.redis.scan_iter(f"{self.prefix}*"):
            self.redis.delete(name)

    @contextlib.contextmanager
    def flush_lock(self) -> Iterator[None]:
        """One flush at a time across machines: a key set only if absent, with an expiry."""
        name, token = "shanghui:views-flush-lock", uuid.uuid4().hex
        if not self.redis.set(name, token, nx=True, ex=FLUSH_LOCK_SECONDS):
            raise FlushBusy
        try:
            yield
        finally:
            if self.redis.get(name) == token.encode():
                self.redis.delete(name)


def open_store() -> Store:
    """A new handle on the configured store (a process keeps one: ``store``)."""
    if settings.COUNTERS_REDIS_URL:
        return RedisStore(settings.COUNTERS_REDIS_URL)
    return SqliteStore(Path(settings.COUNTERS_SQLITE_PATH))


@cache
def store() -> Store:
    return open_store()


def _key(article_id: int) -> str:
    return f"article:{article_id}"


def flush_lock() -> AbstractContextManager[None]:
    """Held around a flush and its commit: a second flush meanwhile raises ``FlushBusy``."""
    return store().flush_lock()


def view_count(article_id: int) -> None:
    """One view of the article: the counter store only."""
    store().incr(_key(article_id))


def pending(article_ids: list[int]) -> dict[int, int]:
    """Views counted but not yet flushed, by article."""
    found = store().get_many([_key(i) for i in article_ids])
    return {i: found[_key(i)] for i in article_ids if found.get(_key(i), 0) > 0}


def views_of(article: Article) -> int:
    """The article's views, flushed and pending (a page shows this)."""
    return article.view_count + pending([article.pk]).get(article.pk, 0)


def flush(association: Association) -> int:
    """Adds the pending views of ``association``'s published articles to their counts (in
    its tenant context); returns how many views were added. The counters are taken off when
    the caller's transaction commits: a caller that may run beside another flush (the
    command) holds ``flush_lock`` around the whole transaction."""
    ids = list(
        Article.objects.filter(
            association=association, status=Article.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )
    added = 0
    for start in range(0, len(ids), 500):
        counts = pending(ids[start : start + 500])
        if not counts:
            continue
        with transaction.atomic():
            for article_id, count in counts.items():
                Article.objects.filter(association=association, pk=article_id).update(
                    view_count=F("view_count") + count
                )
            amounts = {_key(i): n for i, n in counts.items()}
            # Taken off the counters once the views are in the database, not before.
            transaction.on_commit(partial(store().subtract, amounts))
        added += sum(counts.values())
    return added
