"""Rate limits shared by every server process.

A limit is a named rate in settings (``RATE_LIMITS``: ``{"directory_search": "60/60"}`` is 60
hits per 60 seconds, each overridable from the environment as ``RATE_LIMIT_DIRECTORY_SEARCH``).
Callers count a hit for a key — a user id, a client address, a phone — with ``rate_hit`` and
get ``RateLimited`` when the key is over its limit; the page middleware and the API turn that
into a 429 in the person's language.

The counters must be shared by all server processes (a per-process cache would multiply every
limit by the worker count) and must not take the main database's write lock on SQLite (every
search would then queue behind imports). So they live in a store of their own, chosen by
``RATE_LIMIT_STORE``:

- ``sqlite`` (default): a small SQLite file of its own (``RATE_LIMIT_SQLITE_PATH``, WAL),
  shared by every process on one machine — right for the one-machine default install;
- ``redis``: Redis at ``RATE_LIMIT_REDIS_URL`` — needed as soon as several app servers run.

Windows are fixed (the count restarts when a window ends), so a client can at most double a
limit across a window boundary; that is enough to stop enumeration and scraping. Keys are
hashed with the site's secret: the store never holds a phone number or an address in clear.
"""

import hashlib
import hmac
import sqlite3
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["RateLimited", "rate_count", "rate_hit", "rate_of", "rate_reset"]


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


class RateLimited(Exception):
    """A key went over its limit; ``retry_after`` is the seconds until its window ends."""

    def __init__(self, name: str, retry_after: int) -> None:
        super().__init__(name)
        self.name = name
        self.retry_after = max(1, retry_after)


def parse_rate(text: str) -> Rate:
    """``"60/60"`` → 60 hits per 60 seconds."""
    count, _, seconds = text.partition("/")
    rate = Rate(int(count), int(seconds))
    if rate.count < 0 or rate.seconds <= 0:
        raise ImproperlyConfigured(f"rate limit {text!r} must be COUNT/SECONDS")
    return rate


def rate_of(name: str) -> Rate:
    try:
        return parse_rate(settings.RATE_LIMITS[name])
    except KeyError:
        raise ImproperlyConfigured(f"no rate limit named {name!r} in RATE_LIMITS") from None


class Store(Protocol):
    def incr(self, key: str, window: int, ttl: int) -> int: ...
    def get(self, key: str, window: int) -> int: ...
    def delete(self, key: str) -> None: ...
    def clear(self) -> None: ...


class SqliteStore:
    """Counters in their own SQLite file: one short write per hit, atomic by UPSERT."""

    # Rows whose window ended are removed now and then (one hit in this many).
    SWEEP_EVERY = 500

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.hits = 0

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self.local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # counters: losing the last second is fine
            db.execute(
                "CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, "
                "window INTEGER NOT NULL, count INTEGER NOT NULL, expires INTEGER NOT NULL)"
            )
            self.local.db = db
        return db

    def incr(self, key: str, window: int, ttl: int) -> int:
        db = self._db()
        self.hits += 1
        if self.hits % self.SWEEP_EVERY == 0:
            db.execute("DELETE FROM hits WHERE expires < ?", [int(time.time())])
        row = db.execute(
            "INSERT INTO hits (key, window, count, expires) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN hits.window = excluded.window THEN hits.count + 1 ELSE 1 END, "
            "window = excluded.window, expires = excluded.expires RETURNING count",
            [key, window, int(time.time()) + ttl],
        ).fetchone()
        return int(row[0])

    def get(self, key: str, window: int) -> int:
        row = (
            self._db()
            .execute("SELECT count FROM hits WHERE key = ? AND window = ?", [key, window])
            .fetchone()
        )
        return int(row[0]) if row else 0

    def delete(self, key: str) -> None:
        self._db().execute("DELETE FROM hits WHERE key = ?", [key])

    def clear(self) -> None:
        self._db().execute("DELETE FROM hits")


class RedisStore:
    """Counters in Redis: INCR and EXPIRE of one key per window."""

    def __init__(self, url: str) -> None:
        import redis  # imported only where configured; the default install needs no Redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = "shanghui:rate:"

    def incr(self, key: str, window: int, ttl: int) -> int:
        name = f"{self.prefix}{key}:{window}"
        pipe = self.redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, ttl)
        count, _ = pipe.execute()
        return int(count)

    def get(self, key: str, window: int) -> int:
        value = self.redis.get(f"{self.prefix}{key}:{window}")
        return int(value) if value else 0

    def delete(self, key: str) -> None:
        for name in self.redis.scan_iter(f"{self.prefix}{key}:*"):
            self.redis.delete(name)

    def clear(self) -> None:
        for name in self.redis.scan_iter(f"{self.prefix}*"):
            self.redis.delete(name)


@cache
def store() -> Store:
    kind = settings.RATE_LIMIT_STORE
    if kind == "sqlite":
        return SqliteStore(Path(settings.RATE_LIMIT_SQLITE_PATH))
    if kind == "redis":
        return RedisStore(settings.RATE_LIMIT_REDIS_URL)
    raise ImproperlyConfigured(f"RATE_LIMIT_STORE must be sqlite or redis, not {kind!r}")


def _key(name: str, key: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{name}\0{key}".encode(), hashlib.sha256)
    return f"{name}:{digest.hexdigest()[:32]}"


def _window(rate: Rate, now: float) -> int:
    return int(now // rate.seconds)


def rate_hit(name: str, key: str) -> int:
    """Counts one hit of ``key`` against the limit ``name`` and returns the hits in this
    window; raises ``RateLimited`` when that passes the limit (the hit still counts, so a
    client hammering a closed door stays shut out)."""
    rate = rate_of(name)
    now = time.time()
    window = _window(rate, now)
    count = store().incr(_key(name, key), window, rate.seconds)
    if count > rate.count:
        raise RateLimited(name, int((window + 1) * rate.seconds - now) + 1)
    return count


def rate_count(name: str, key: str) -> int:
    """The hits of ``key`` in the current window of ``name``, without counting one."""
    rate = rate_of(name)
    return store().get(_key(name, key), _window(rate, time.time()))


def rate_reset(name: str, key: str) -> None:
    """Forgets ``key``'s hits (e.g. a successful sign-in clears its failures)."""
    store().delete(_key(name, key))
