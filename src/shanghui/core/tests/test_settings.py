import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from shanghui.config.env import env_bool, env_list, env_str
from shanghui.config.settings.base import database_from_url

ROOT = Path(__file__).resolve().parents[4]


# Message backends that can send (core.notify.checks refuses the others under --deploy), and
# keys for personal data at rest (core.encryption refuses none or the development ones).
SENDING = {
    "SMS_BACKEND": "aliyun",
    "SMS_ACCESS_KEY": "LTAI5t",
    "SMS_ACCESS_SECRET": "secret",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "WECHAT_BACKEND": "",
    "FIELD_ENCRYPTION_KEYS": "k2:" + "Mi" * 21 + "I=,k1:" + "MT" * 21 + "E=",
    "FIELD_BLIND_INDEX_KEY": "Yj" * 21 + "I=",
}


def deploy_check(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and k not in SENDING
        },
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.production",
        "SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3210ZYXWVUTSRQPONMLKJIHGFEDCBA",
        "ALLOWED_HOSTS": "gdjx.example.cn",
        "SHANGHUI_VAR_DIR": str(tmp_path),
        **settings,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = deploy_check(tmp_path, **SENDING)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("changed", "error"),
    [
        ({"SMS_BACKEND": "alyun"}, "shanghui.E101"),  # misspelled
        ({"SMS_BACKEND": "console"}, "shanghui.E102"),
        ({"SMS_BACKEND": "memory"}, "shanghui.E102"),
        ({"SMS_ACCESS_SECRET": ""}, "shanghui.E103"),
        ({"SMS_BACKEND": "tencent"}, "shanghui.E104"),  # without its SdkAppId
        ({"WECHAT_BACKEND": "console"}, "shanghui.E105"),
        ({"WECHAT_BACKEND": "official"}, "shanghui.E106"),  # without keys
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "shanghui.E107"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "shanghui.E111"),
        ({"FIELD_ENCRYPTION_KEYS": "k1:c2hvcnQ="}, "shanghui.E111"),  # 5 bytes, not 32
        ({"FIELD_ENCRYPTION_KEYS": "dev-not-for-production:" + "RE" * 21 + "Q="}, "shanghui.E112"),
        ({"FIELD_BLIND_INDEX_KEY": ""}, "shanghui.E113"),
    ],
)
def test_the_deploy_check_refuses_backends_that_cannot_send_and_missing_keys(
    tmp_path: Path, changed: dict[str, str], error: str
) -> None:
    result = deploy_check(tmp_path, **{**SENDING, **changed})
    assert result.returncode != 0 and error in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.production",
        "SECRET_KEY": "",
        "SHANGHUI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_sqlite_runs_in_wal_with_immediate_transactions() -> None:
    config = database_from_url("sqlite:////tmp/x.sqlite3")
    options = config["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"  # type: ignore[index]
    assert "journal_mode=WAL" in options["init_command"]  # type: ignore[index]


def test_a_file_database_keeps_its_connection_and_its_pragmas(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    """Each gunicorn thread keeps its SQLite connection between requests (opening one cost
    ~5 ms of CPU a request); what init_command set on it holds for the next request."""
    from django.db.utils import ConnectionHandler

    config = database_from_url(f"sqlite:///{tmp_path}/kept.sqlite3")
    assert config["CONN_MAX_AGE"] == 60
    connection = ConnectionHandler({"default": config})["default"]
    try:
        with django_db_blocker.unblock():
            connection.ensure_connection()
            first = connection.connection
            connection.close_if_unusable_or_obsolete()  # what the end of a request does
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] == 30000
            assert connection.connection is first
            assert connection.transaction_mode == "IMMEDIATE"
    finally:
        connection.close()


def test_postgres_reuses_connections() -> None:
    config = database_from_url("postgres://app@db.internal:5432/shanghui")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_secrets_may_come_from_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("SMS_ACCESS_SECRET_FILE", str(secret))
    monkeypatch.setenv("ALLOWED_HOSTS", "a.cn, b.cn")
    monkeypatch.setenv("DEBUG", "yes")
    assert env_str("SMS_ACCESS_SECRET") == "from-a-file"
    assert env_list("ALLOWED_HOSTS", []) == ["a.cn", "b.cn"]
    assert env_bool("DEBUG") is True


def test_a_file_database_opens_in_wal_mode(tmp_path: Path, django_db_blocker: Any) -> None:
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler({"default": database_from_url(f"sqlite:///{tmp_path}/wal.sqlite3")})
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 30000
    finally:
        connection.close()


@pytest.mark.django_db
def test_nul_characters_are_refused_before_any_view() -> None:
    from django.test import Client

    page = Client().post("/login/", {"phone": "138\x00", "password": "x"})
    assert page.status_code == 400
    api = Client().post(
        "/api/v1/auth/token", '{"phone": "\\u0000"}', content_type="application/json"
    )
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "validation_error"


@pytest.mark.postgres_only(reason="SQLite connections do not age")
@pytest.mark.django_db(transaction=True)
def test_a_worker_in_a_slow_test_keeps_the_tests_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker run inside a test calls close_old_connections; an hour into a slow run it
    must not close the test's connection, with the role the test set on it."""
    import time

    from django.db import close_old_connections

    from shanghui.testing.worker import app_role

    with app_role():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        later = time.monotonic() + 3600
        monkeypatch.setattr(time, "monotonic", lambda: later)
        close_old_connections()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid(), current_user")
            assert cursor.fetchone() == (backend, "shanghui_app")


@pytest.mark.parametrize(
    ("extra", "site_url"),
    [
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8080", "SITE_URL": "https://gdjx.example.cn/"}, "https://gdjx.example.cn"),
    ],
)
def test_links_follow_the_port_make_run_serves_on(
    tmp_path: Path, extra: dict[str, str], site_url: str
) -> None:
    """`PORT=8080 make run` once sent SMS links and calendar feeds to port 8000."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}},
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.dev",
        "SHANGHUI_VAR_DIR": str(tmp_path),
        **extra,
    }
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == site_url, result.stderr
