"""Running background work inside a test as production runs it: ``run_worker()`` runs every
queued task as ``manage.py db_worker --batch`` does, and ``app_role()`` makes what runs inside
it (a worker, a cron command) connect as the application role — on PostgreSQL under
row-level security, not as the superuser the test suite connects as."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError, connection

from shanghui.core.rls import APP_DB_ROLE


@contextmanager
def app_role() -> Iterator[None]:
    """On PostgreSQL, the block runs as the application role; elsewhere as it is."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {APP_DB_ROLE}")
        try:
            yield
        finally:
            cursor.execute("RESET ROLE")


def run_worker(queue_name: str = "*", max_tasks: int | None = None) -> None:
    """Runs the queued tasks (and those they queue) of ``queue_name`` — every queue unless
    told: jobs on "default", messages on "messages" — as the application role until none is
    left (or ``max_tasks`` have run). The worker's ``close_old_connections`` is held off, as
    Django's test client holds it off for requests: inside a test's transaction it would close
    the connection under it.

    In browser tests on SQLite the database is shared in memory with the live server's thread;
    while that thread still finishes a page, the worker's exclusive transaction meets "database
    table is locked", which a shared in-memory database reports at once instead of waiting as a
    file database does. The worker then waits a moment and tries again, as a file would."""
    for attempt in range(50):
        try:
            _run_worker_once(queue_name, max_tasks)
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error) or attempt == 49:
                raise
            time.sleep(0.1)


def _run_worker_once(queue_name: str, max_tasks: int | None) -> None:
    with (
        mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
        ),
        app_role(),
    ):
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            queue_name=queue_name,
            max_tasks=max_tasks,
        )
