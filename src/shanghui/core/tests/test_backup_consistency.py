"""A backup taken while another process writes rows and files is consistent: it holds the
database as it was at one moment, and every stored object the rows of that moment name.

The backup and the writer are separate processes, as in production, on the same database
(on SQLite a file in WAL mode: the in-memory test database is copied into one first). The
writer commits an audience rule and a counter in one transaction per round, after storing
the rule's content; the backup reads ``core.AudienceRule`` long before ``core.CacheVersion``
(thousands of audit rows lie between them, and every stored object is copied first), so a
backup that read each table at its own time would hold more rules than the counter says, or
a rule whose content it never copied."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from shanghui.core.models import AudienceRule, AuditEntry, CacheVersion, StoredContent
from shanghui.core.storage.content import content_put
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

ROOT = Path(__file__).resolve().parents[4]


def database_url(tmp_path: Path) -> str:
    """The test database as another process reaches it."""
    if connection.vendor == "sqlite":
        path = tmp_path / "live.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or '127.0.0.1'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


def setup_data(side: Side) -> None:
    a = side.association
    for number in range(150):
        content_put(a, io.BytesIO(os.urandom(64 * 1024) + bytes([number])), check_quota=False)
    with tenant_context(a):
        CacheVersion.objects.create(association=a, name="backup-writer", version=0)
        AuditEntry.objects.bulk_create(
            AuditEntry(association=a, action="test.filler", summary="填充" * 60, data={"n": n})
            for n in range(10_000)
        )


def rows(archive: zipfile.ZipFile, manifest: dict, label: str) -> list[dict]:
    columns = manifest["tables"][label]["columns"]
    with archive.open(f"rows/{label}.jsonl") as handle:
        return [dict(zip(columns, json.loads(line), strict=True)) for line in handle]


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_during_writes_is_consistent(side_a: Side, tmp_path: Path) -> None:
    setup_data(side_a)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.base",
        "SHANGHUI_VAR_DIR": str(tmp_path / "var"),
        "CONTENT_ROOT": str(settings.CONTENT_ROOT),
        "PYTHONPATH": str(ROOT / "src"),
    }
    stop, log = tmp_path / "stop", tmp_path / "writes.log"
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shanghui.core.tests.backup_writer",
            str(side_a.association.pk),
            str(stop),
            str(log),
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not log.exists() or len(log.read_text().splitlines()) < 5:
            assert writer.poll() is None, "the writer stopped"
            assert time.monotonic() < deadline, "the writer did not start"
            time.sleep(0.1)
        started = time.time()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "backup",
                "--output",
                str(tmp_path / "b.zip"),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        finished = time.time()
        time.sleep(0.3)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    commits = [float(line) for line in log.read_text().splitlines()]
    during = [t for t in commits if started < t < finished]
    assert len(during) >= 10, f"only {len(during)} writes during the backup"

    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["problems"] == []
        rules = [
            r
            for r in rows(archive, manifest, "core.AudienceRule")
            if r["owner_type"] == "backup.writer"
        ]
        (counter,) = [
            r for r in rows(archive, manifest, "core.CacheVersion") if r["name"] == "backup-writer"
        ]
        contents = {r["id"]: r for r in rows(archive, manifest, "core.StoredContent")}
        # One moment: as many rules as the counter had counted, and no more.
        assert len(rules) == counter["version"] > 0
        assert sorted(r["owner_id"] for r in rules) == list(range(1, len(rules) + 1))
        # Every rule's content is in the archive, byte for byte.
        for rule in rules:
            content = contents[rule["target_id"]]
            name = f"content/a/{side_a.association.pk}/{content['sha256'][:2]}/{content['sha256']}"
            assert hashlib.sha256(archive.read(name)).hexdigest() == content["sha256"]
        # Every content row of the archive has its object in it.
        for content in contents.values():
            name = f"content/a/{side_a.association.pk}/{content['sha256'][:2]}/{content['sha256']}"
            assert manifest["files"][name]["sha256"] == content["sha256"]
    # The writer went on after the backup's moment.
    if connection.vendor == "postgresql":
        with tenant_context(side_a.association):
            assert AudienceRule.objects.filter(owner_type="backup.writer").count() > len(rules)
            assert StoredContent.objects.count() > len(contents)
    else:
        assert len(commits) > len(rules)
