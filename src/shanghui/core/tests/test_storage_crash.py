"""Crash safety of the content store (issue 17, part 6): a real process stores files through
``content_put`` on the test database and is SIGKILLed at a random moment, 20 times; after
each kill no partial file is visible under any key, no row whose object is missing is
referred to, no read gives wrong bytes, and the next start cleans up what the kill left
(``shanghui.testing.crash``; the bench runs the same 100 times).

The writers are separate processes, so they need a database they can open: on PostgreSQL the
test database itself (the test is transactional, so what it creates is committed); on
SQLite, whose test database lives in this process's memory, a file copy of it made with
SQLite's backup API after the association is created — the writers share that file, as app
servers share the production database. The parent reads nothing from the database: it hashes
the stored files itself and takes the row checks from each restarted writer."""

import os
import random
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from shanghui.testing.crash import kill_writers
from shanghui.testing.factories import AssociationFactory

ROOT = Path(__file__).resolve().parents[4]

SETTINGS = """
from pathlib import Path
from shanghui.config.settings.test import *  # noqa: F403
CONTENT_ROOT = Path({content_root!r})
FILE_UPLOAD_TEMP_DIR = {uploads!r}
CONTENT_BLOCK_SIZE = 32 * 1024
"""


def _database_url(tmp_path: Path) -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(config["NAME"])
        if not connection.creation.is_in_memory_db(name):
            return f"sqlite:///{name}"
        copy = tmp_path / "crash.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}"
    user, password = config["USER"], config["PASSWORD"]
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{config['HOST']}:{config['PORT']}/{config['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_uploads_killed_twenty_times_leave_no_partial_file_and_a_clean_restart(
    tmp_path: Path,
) -> None:
    association = AssociationFactory()
    (tmp_path / "crash_settings.py").write_text(
        SETTINGS.format(
            content_root=str(settings.CONTENT_ROOT), uploads=settings.FILE_UPLOAD_TEMP_DIR
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crash_settings",
        "DATABASE_URL": _database_url(tmp_path),
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT / 'src'}",
        "CRASH_APP_ROLE": "1",
    }
    outcome = kill_writers(
        env=env,
        association_id=association.pk,
        namespace=Path(settings.CONTENT_ROOT) / f"a/{association.pk}",
        kills=20,
        seed=random.randrange(2**32),
    )
    assert outcome.kills == 20
    assert outcome.partial == []  # every object hashes to its name
    assert outcome.total("corrupt") == 0
    assert outcome.total("wrong_bytes") == 0
    assert outcome.total("missing_referenced") == 0
    assert outcome.total("spools_after") == 0  # the restart removed what the kills left
    # The writers did write, and the kills did land in the middle of uploads.
    assert outcome.objects > 20
    assert outcome.total("spools") + outcome.total("missing") > 0
