"""One consistent view of the database for the whole backup, taken without stopping writers.

- PostgreSQL: everything is read in one ``REPEATABLE READ, READ ONLY`` transaction — one
  snapshot for every table; writers go on (MVCC), nothing is locked.
- SQLite: the online backup API copies the database into a temporary file in one step, which
  is one read transaction (in WAL mode writers are not blocked by it); the backup then reads
  that copy through a database alias of its own, for as long as it takes.
"""

import contextlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections, transaction

SNAPSHOT_ALIAS = "backup_snapshot"


def owner_role_check(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """On PostgreSQL, why the connected role cannot see (or write) every association's rows,
    or None when it can (a superuser, or the owner with BYPASSRLS — the role migrate uses)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user"
        )
        role, privileged = cursor.fetchone()
    if privileged:
        return None
    return str(role)


@contextlib.contextmanager
def snapshot(directory: Path | None = None) -> Iterator[str]:
    """Yields the database alias to read from: every read through it sees one moment.
    SQLite's copy is made in ``directory`` (beside the archive: the system's temporary
    directory may be memory)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            with connection.cursor() as cursor:
                # The first statement of the transaction; the snapshot is taken by the
                # first query after it.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield DEFAULT_DB_ALIAS
        return
    if connection.vendor != "sqlite":
        raise NotImplementedError(connection.vendor)
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix=".shanghui-backup-", dir=directory) as scratch:
        path = Path(scratch) / "snapshot.sqlite3"
        target = sqlite3.connect(path)
        try:
            # pages=-1: one step, so one read transaction (a stepped copy restarts whenever
            # a writer commits in between, and might never finish on a busy server).
            connection.connection.backup(target, pages=-1)
        finally:
            target.close()
        settings = dict(connections.settings[DEFAULT_DB_ALIAS])
        settings.update(NAME=str(path), OPTIONS={}, CONN_MAX_AGE=0)
        # A connection made for this backup only: registered long enough to be created
        # (the ORM then finds it by its alias), not left among the configured databases.
        connections.settings[SNAPSHOT_ALIAS] = settings
        try:
            connections[SNAPSHOT_ALIAS]
        finally:
            connections.settings.pop(SNAPSHOT_ALIAS, None)
        try:
            yield SNAPSHOT_ALIAS
        finally:
            with contextlib.suppress(Exception):
                connections[SNAPSHOT_ALIAS].close()
            with contextlib.suppress(Exception):
                del connections[SNAPSHOT_ALIAS]
