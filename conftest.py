# Shared fixtures (personas, clients) for the tests under src/ and tests/.
import pytest

pytest_plugins = ["shanghui.testing.fixtures", "shanghui.testing.s3"]

POSTGRES_ONLY_REASON = "row-level security is PostgreSQL's"
ON_CITUS = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "not_on_citus(reason): skipped on a Citus cluster (shanghui.testing.citus), saying why",
    )
    config.addinivalue_line("markers", "citus_only: runs on a Citus cluster only")


# Before pytest-django's own (also tryfirst), which orders the tests by the markers set here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgres_only`` (or ``postgres_only(reason="...")``) skips a test when
    the suite runs on another database, saying why; the reason defaults to row-level
    security."""
    from django.db import connection

    if config.stash.get(ON_CITUS, False):
        from shanghui.testing.citus import commit_where_role_switches

        commit_where_role_switches(items)
        for item in items:
            marker = item.get_closest_marker("not_on_citus")
            if marker is not None:
                item.add_marker(pytest.mark.skip(reason=f"not on Citus: {marker.args[0]}"))
    else:
        for item in items:
            if item.get_closest_marker("citus_only") is not None:
                item.add_marker(pytest.mark.skip(reason="Citus's (make test-citus)"))
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
    process makes sure it exists first rather than two migrations racing to create it.

    On a Citus cluster (``shanghui.testing.citus``) the harness empties tables its own way."""
    config = session.config
    from pytest_django.plugin import blocking_manager_key

    from shanghui.testing.citus import prepare_session

    with config.stash[blocking_manager_key].unblock():
        config.stash[ON_CITUS] = prepare_session()
    if not getattr(config.option, "numprocesses", None) or hasattr(config, "workerinput"):
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from shanghui.core.rls import ensure_app_role

    with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
        ensure_app_role(cursor)
    connection.close()
