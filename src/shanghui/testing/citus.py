"""The suite on a Citus cluster (``scripts/citus_cluster.sh``; the Citus stage of ``.ci/run``).

Two things differ from plain PostgreSQL, both in the harness, not in the code under test:

- Citus reaches a shard over a connection per database user, and refuses a transaction that
  wrote as one user and then reads the same shard as another ("cannot perform query on
  placements that were modified in this transaction by a different user" — Citus's own
  regression test ``set_role_in_transaction``). The application never does that: it connects
  as its role and stays it. Tests do: they write their data as the superuser and then switch to
  the application role (``as_app_role``, ``app_role``, ``run_worker``). A test module that
  switches therefore runs its tests with committed data (``transaction=True``) on Citus.
- Such tests empty the tables after each test. Django's ``flush`` truncates them, which on
  Citus is a distributed lock and truncate of every shard of every table (5 s a test here);
  deleting the rows in one sequential transaction takes ~0.3 s. Content types, permissions
  and the privacy notice stay (``KEPT``).
"""

import re
from pathlib import Path
from types import MethodType
from typing import Any

import pytest
from django.db import connection
from django.db.backends.utils import CursorWrapper

# What a test module writes when it switches to the application role inside a test.
ROLE_SWITCH = re.compile(r"\b(as_app_role|app_role|run_worker|APP_DB_ROLE)\b")
# Tables no test changes: emptying them would only make post_migrate fill them again, or
# lose the privacy notice a data migration publishes (tests with committed data run last,
# one after another, and need it as much as the others).
KEPT = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "accounts_privacynotice"}
)


def on_citus(cursor: CursorWrapper) -> bool:
    """A Citus server preloads the extension (asked of the server, before the test database
    exists)."""
    cursor.execute(
        "SELECT 'citus' = ANY(string_to_array(current_setting('shared_preload_libraries'), ', '))"
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def _sql_flush(
    ops: Any,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    # One connection per worker, in order: Citus refuses a transaction that changes a
    # reference table after changing distributed tables over parallel connections. The
    # foreign keys are deferred (Django creates them DEFERRABLE INITIALLY DEFERRED), so the
    # order of the tables does not matter.
    statements = ["SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"]
    statements += [f"DELETE FROM {ops.quote_name(t)}" for t in tables if t not in KEPT]  # noqa: S608 (table names from the schema)
    return statements


def prepare_session() -> bool:
    """Answers whether the suite runs on Citus and, if so, makes ``flush`` delete rows."""
    if connection.vendor != "postgresql":
        return False
    with connection._nodb_cursor() as cursor:
        citus = on_citus(cursor)
    if citus:
        connection.ops.sql_flush = MethodType(_sql_flush, connection.ops)  # type: ignore[method-assign]
    return citus


# A helper module of a test package: ``from .factories import sent`` beside the test, or
# ``from shanghui.publishing.tests.announcement_factories import sent`` from another app.
HELPER_IMPORT = re.compile(r"^\s*from (?:\.|shanghui\.(\w+)\.tests\.)(\w+) import", re.MULTILINE)


def switches_role(path: Path) -> bool:
    """Whether a test module switches role, itself or through a test helper module that it
    imports (a factory that runs the worker, say)."""
    source = path.read_text(encoding="utf-8")
    apps = path.parent.parent.parent
    helpers = (
        (apps / app / "tests" if app else path.parent) / f"{name}.py"
        for app, name in HELPER_IMPORT.findall(source)
    )
    return any(
        ROLE_SWITCH.search(text)
        for text in (source, *(h.read_text(encoding="utf-8") for h in helpers if h.is_file()))
    )


def commit_where_role_switches(items: list[pytest.Item]) -> None:
    """Database tests of modules that switch role run with committed data (see above),
    unless a test names ``transaction`` itself: ``django_db(transaction=False)`` keeps one
    in the test's transaction (one that switches to a role it creates there, say)."""
    sources: dict[Path, bool] = {}
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and "db" in getattr(item, "fixturenames", ()):
            marker = pytest.mark.django_db.mark
        if marker is None or "transaction" in marker.kwargs:
            continue  # not a database test, or one that says which it needs
        path = Path(str(item.fspath))
        if path not in sources:
            sources[path] = switches_role(path)
        if sources[path]:
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "transaction": True}),
                append=False,
            )
