"""Reads that are the same for every request of an association until someone changes the data
behind them (a member list's filter choices: 30 ms of ``SELECT DISTINCT`` over 23,000 members
on every page), cached under a per-association version that the writers replace.

- A service that changes such data calls ``bump(association_id, "members")`` inside its own
  transaction; the names are the kinds of data ("members", "levels", "committees" …), chosen
  by the apps — core names none of them.
- A reader calls ``cached(association_id, ("members", "levels"), key, compute)``: one statement
  reads the current versions of the named kinds, and ``compute()`` runs only when Django's
  cache holds nothing for ``key`` under exactly those versions.

Why the version lives in the database (``core.models.CacheVersion``) and not in the cache:
the cache is Django's default, per process (``LocMemCache``, what ``make run``'s several
workers each have) unless settings name a shared one. A version kept in one process's cache
would not reach the others, so they would serve stale choices until a timeout. A row written
in the writer's own transaction is seen by every process the moment it commits — and never
before, so no reader caches under a new version what it read before the write — and it rolls
back with the write. It costs each reader one indexed single-row read, against the several
statements it replaces.

Why a version is a random number rather than a counter: a counter restarts with the row (a
database restored or recreated, a test's rolled-back transaction) while a cache may live on,
and an association id may come again (SQLite reuses ids after a rollback); the same counter
would then find another database's entry. A fresh random 63-bit version never matches an
earlier one. An association without a row yet gets one on its first read (in that request's
transaction: a write, once per association and kind).

Within one request the versions are read once per association, all kinds together: a page
with several cached reads (a member list's filter choices and the sidebar's to-do counts)
pays one statement between them. What the request bumps itself updates what it read; a bump
another process commits meanwhile is seen from the next request on — as if the request had
read every version at its first cached read, which is also when it would have read them
without this. Outside a request (the task worker, a shell, tests calling services) every
read goes to the database."""

import hashlib
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver

from shanghui.core.models import CacheVersion

T = TypeVar("T")

# Entries of replaced versions are never read again; they leave the cache by this timeout
# (or earlier, when a bounded cache culls them).
TIMEOUT = 24 * 3600
_MISSING = object()

# The versions the current request has read, per association (None outside a request).
_of_request: ContextVar[dict[int, dict[str, int]] | None] = ContextVar(
    "cache_versions_of_request", default=None
)


@receiver(request_started)
def _request_starts(**kwargs: Any) -> None:
    _of_request.set({})


@receiver(request_finished)
def _request_ends(**kwargs: Any) -> None:
    _of_request.set(None)


def _new_rows(association_id: int, names: Iterable[str]) -> list[CacheVersion]:
    return [
        CacheVersion(association_id=association_id, name=name, version=secrets.randbits(63))
        for name in names
    ]


def bump(association_id: int, *names: str) -> None:
    """Replaces the versions of ``names`` for the association: every cached read that depends
    on one of them is computed again. Call it inside the transaction that changes the data —
    the new version becomes visible exactly when the change does. One statement (an upsert)."""
    rows = _new_rows(association_id, sorted(set(names)))
    CacheVersion.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["association", "name"],
        update_fields=["version"],
    )
    _remember(association_id, rows)


def _remember(association_id: int, rows: list[CacheVersion]) -> None:
    """Keeps the request's own writes in what it read."""
    read = _of_request.get()
    if read is not None and association_id in read:
        read[association_id].update((row.name, row.version) for row in rows)


def _read(association_id: int, wanted: list[str]) -> dict[str, int]:
    read = _of_request.get()
    if read is None:
        return dict(
            CacheVersion.objects.filter(association_id=association_id, name__in=wanted).values_list(
                "name", "version"
            )
        )
    if association_id not in read:
        # Every kind at once (a handful of rows): the request's later reads need no statement.
        read[association_id] = dict(
            CacheVersion.objects.filter(association_id=association_id).values_list(
                "name", "version"
            )
        )
    known = read[association_id]
    return {name: known[name] for name in wanted if name in known}


def versions(association_id: int, names: Iterable[str]) -> dict[str, int]:
    """The current versions of ``names`` for the association; a kind without a version yet
    gets its first one."""
    wanted = sorted(set(names))
    found = _read(association_id, wanted)
    if missing := [name for name in wanted if name not in found]:
        rows = _new_rows(association_id, missing)
        CacheVersion.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["association", "name"],
            update_fields=["version"],
        )
        found.update((row.name, row.version) for row in rows)
        _remember(association_id, rows)
    return found


MAX_KEY_LENGTH = 200


def cached(
    association_id: int,
    names: Iterable[str],
    key: str,
    compute: Callable[[], T],
    *,
    timeout: int = TIMEOUT,
) -> T:
    """``compute()``'s value for the association, from the cache while none of the kinds in
    ``names`` has been bumped since it was stored. ``key`` tells apart the reads of the same
    kinds (e.g. "members.filter_choices"); the value must pickle. A read that also depends on
    the clock (a due date passing) gives a short ``timeout``: at most that long stale."""
    current = versions(association_id, names)
    full_key = ":".join(
        [f"cv:{association_id}:{key}", *(f"{name}={current[name]}" for name in sorted(current))]
    )
    if len(full_key) > MAX_KEY_LENGTH:
        # Memcached refuses keys past 250 characters (the to-do list's grows with each app).
        digest = hashlib.blake2s(full_key.encode(), digest_size=16).hexdigest()
        full_key = f"cv:{association_id}:{digest}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, timeout)
    return cast(T, value)
