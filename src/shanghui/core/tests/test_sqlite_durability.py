"""SQLite's durability is a setting: WAL with ``synchronous=NORMAL`` by default (a crash
loses nothing; a power cut may lose the last commits), ``SQLITE_SYNCHRONOUS=full`` for an
installation that wants every commit on disk (docs/backup.md). The pragma is checked on a
connection Django opens with the settings, in a process of its own."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
# PRAGMA synchronous answers 1 for NORMAL and 2 for FULL.
PROBE = (
    "import django; django.setup(); from django.db import connection; "
    "cursor = connection.cursor(); "
    "print(cursor.execute('PRAGMA synchronous').fetchone()[0], "
    "cursor.execute('PRAGMA journal_mode').fetchone()[0])"
)


def probe(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_SYNCHRONOUS"}},
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.base",
        "SHANGHUI_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, "1 wal"), ("full", "2 wal"), ("FULL", "2 wal"), ("normal", "1 wal")],
)
def test_the_synchronous_setting_takes_effect(
    tmp_path: Path, setting: str | None, expected: str
) -> None:
    result = probe(tmp_path, **({"SQLITE_SYNCHRONOUS": setting} if setting else {}))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_unknown_value_is_refused(tmp_path: Path) -> None:
    result = probe(tmp_path, SQLITE_SYNCHRONOUS="off")
    assert result.returncode != 0
    assert "SQLITE_SYNCHRONOUS must be normal or full" in result.stderr
