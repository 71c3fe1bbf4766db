"""The restore drill of docs/backup.md, run line for line: back up the platform, restore it
into a fresh database of its own, back that up and compare — every table's fingerprint and
every file's hash must be the same. On SQLite and on PostgreSQL (a database made for the
drill and dropped after), and across them: a SQLite installation's backup restored into
PostgreSQL — the way a platform outgrows its first server — and back."""

import contextlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from shanghui.accounts.models import User
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import build_side

from .test_backup import populate

ROOT = Path(__file__).resolve().parents[4]


def drill_commands() -> str:
    text = (ROOT / "docs" / "backup.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- restore-drill -->\n```sh\n(.*?)```", text, re.DOTALL)
    assert match, "docs/backup.md has no restore drill"
    manage = f"{sys.executable} {ROOT / 'manage.py'}"
    return match.group(1).replace("python manage.py", manage)


def postgres_url(name: str) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = config["HOST"] or "127.0.0.1"
    return f"postgres://{config['USER']}{password}@{host}:{config['PORT'] or 5432}/{name}"


# From a SQLite suite, the PostgreSQL server to restore into (the machine's, as in CI).
CROSS_POSTGRES_URL = os.environ.get("CROSS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


@contextlib.contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database on the server, dropped after."""
    try:
        admin = psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL server to restore into: {exc}")
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server_url}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["same engine", "other engine"])
def drill_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    sqlite_target = (connection.vendor == "sqlite") == (request.param == "same engine")
    if sqlite_target:
        yield f"sqlite:///{tmp_path / 'drill' / 'drill.sqlite3'}"
        return
    if connection.vendor == "postgresql":
        server = postgres_url("").rstrip("/")
        name = f"{connection.settings_dict['NAME']}_drill"
    else:
        server, name = CROSS_POSTGRES_URL, f"drill_{os.getpid()}"
    with postgres_database(server, name) as url:
        yield url


def source_database(tmp_path: Path) -> str:
    if connection.vendor == "sqlite":
        path = tmp_path / "source.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    return postgres_url(connection.settings_dict["NAME"])


@pytest.mark.django_db(transaction=True)
def test_the_documented_restore_drill_restores_the_same_data(
    privacy_notice: None, tmp_path: Path, drill_database: str
) -> None:
    shared = UserFactory(name="两会共同会员")
    for name, slug in (("甲市", "jiashi"), ("乙市", "yishi")):
        populate(build_side(name, slug), shared)
    source_var = tmp_path / "source"
    (tmp_path / "backups").mkdir()
    (tmp_path / "drill").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.base",
        "DATABASE_URL": source_database(tmp_path),
        "SHANGHUI_VAR_DIR": str(source_var),
        "CONTENT_ROOT": str(settings.CONTENT_ROOT),
        "BACKUPS": str(tmp_path / "backups"),
        "DRILL_VAR": str(tmp_path / "drill"),
        "DRILL_DATABASE_URL": drill_database,
    }
    result = subprocess.run(
        ["/bin/bash", "-e", "-c", drill_commands()], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"一致：\d+ 张表 \d+ 行，4 个文件", result.stdout), result.stdout
    assert User.objects.count() == 5  # the source is as it was
    # The copy has its own files.
    assert len(list((tmp_path / "drill" / "content" / "a").iterdir())) == 2
