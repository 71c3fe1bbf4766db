# Shared fixtures (personas, clients) for the tests under src/ and tests/.
import pytest

pytest_plugins = ["shanghui.testing.fixtures", "shanghui.testing.s3"]

POSTGRES_ONLY_REASON = "row-level security is PostgreSQL's"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgres_only`` (or ``postgres_only(reason="...")``) skips a test when
    the suite runs on another database, saying why; the reason defaults to row-level
    security."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("postgres_only")
        if marker is not None:
            reason = marker.kwargs.get("reason", marker.args[0] if marker.args else None)
            item.add_marker(pytest.mark.skip(reason=reason or POSTGRES_ONLY_REASON))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under pytest-xdist (``-n 2``) every worker migrates its own test database at the same
    moment; on PostgreSQL the application role they all need is cluster-wide, so the main
    process makes sure it exists first rather than two migrations racing to create it."""
    config = session.config
    if not getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    if connection.vendor != "postgresql":
        return
    from shanghui.core.rls import ensure_app_role

    with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
        ensure_app_role(cursor)
    connection.close()
