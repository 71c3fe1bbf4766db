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
database update leaves the counters as they were. A crash between the commit and the
subtraction would count those views twice; runs of the command must not overlap (cron with
``flock``, or a systemd timer, which never starts a run while one is going)."""

import sqlite3
import threading
from functools import cache, partial
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F

from shanghui.associations.models import Association
from shanghui.publishing.models import Article

__all__ = ["flush", "open_store", "pending", "store", "view_count", "views_of"]


class Store(Protocol):
    def incr(self, key: str) -> None: ...
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
        self.prefix = "shanghui:views:"
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
    its tenant context); returns how many views were added."""
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
