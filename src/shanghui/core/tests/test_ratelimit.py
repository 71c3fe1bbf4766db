"""Rate limits: counted in a store every server process shares, refused with a 429 in the
person's language, and the same behaviour from the SQLite file and from Redis."""

import multiprocessing
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from shanghui.core import ratelimit
from shanghui.core.ratelimit import RateLimited, SqliteStore, rate_count, rate_hit, rate_reset


@override_settings(RATE_LIMITS={"probe": "3/60"})
def test_the_hit_past_the_limit_is_refused_until_the_window_ends() -> None:
    assert [rate_hit("probe", "user:1") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(RateLimited) as refused:
        rate_hit("probe", "user:1")
    assert 1 <= refused.value.retry_after <= 61
    # Another key has its own count; a reset clears one key only.
    assert rate_hit("probe", "user:2") == 1
    rate_reset("probe", "user:1")
    assert rate_count("probe", "user:1") == 0
    assert rate_count("probe", "user:2") == 1


def _hit_many(path: str, count: int) -> None:
    store = SqliteStore(Path(path))
    for _ in range(count):
        store.incr("shared", 1, 60)


def test_the_sqlite_store_is_shared_by_processes(tmp_path: Path) -> None:
    """Four processes counting 50 hits each end at 200: one counter, not one per process."""
    path = str(tmp_path / "rate.sqlite3")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hit_many, args=(path, 50)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    assert SqliteStore(Path(path)).get("shared", 1) == 200


def test_the_sqlite_store_keeps_no_phone_in_clear(tmp_path: Path) -> None:
    with override_settings(RATE_LIMITS={"probe": "3/60"}):
        rate_hit("probe", "13800138000")
    raw = Path(settings.RATE_LIMIT_SQLITE_PATH).read_bytes()
    assert b"13800138000" not in raw


@pytest.fixture
def redis_store() -> ratelimit.Store:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(settings.RATE_LIMIT_REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis at {settings.RATE_LIMIT_REDIS_URL} is not running")
    ratelimit.store.cache_clear()
    with override_settings(RATE_LIMIT_STORE="redis", RATE_LIMITS={"probe": "2/60"}):
        store = ratelimit.store()
        store.clear()
        yield store
        store.clear()
    ratelimit.store.cache_clear()


def test_the_redis_store_counts_and_refuses_alike(redis_store: ratelimit.Store) -> None:
    assert rate_hit("probe", "address:10.0.0.1") == 1
    assert rate_hit("probe", "address:10.0.0.1") == 2
    with pytest.raises(RateLimited):
        rate_hit("probe", "address:10.0.0.1")
    rate_reset("probe", "address:10.0.0.1")
    assert rate_count("probe", "address:10.0.0.1") == 0
