"""Backup and restore of the demo chamber (广东省江西商会, 23,000 members — `manage.py seed_demo`)
through `manage.py backup` and `manage.py restore`, each as the command a cron job runs.

On a fresh database (SQLite, or PostgreSQL with --postgres) the demo platform is seeded and
the chamber is given ``--documents`` stored documents of ``--document-kb`` KB (random bytes:
incompressible, like PDFs and photos). Measured:

- backup of the chamber (`backup --association gdjx`): time and archive size;
- backup of the whole platform (five associations): time and archive size;
- restore of the chamber's archive into a fresh, migrated database (`restore`): time, of
  which the search tokens' rebuild;
- restore of the whole platform's archive into another fresh database;
- and a check of each: a backup of the restored copy has the same fingerprints and file
  hashes (`backup_compare`) — but for the chamber's group members linked to the demo's
  other associations, which a platform without them cannot keep (docs/backup.md).

    .venv/bin/python bench/backup.py [--documents 200] [--document-kb 512] [--postgres URL]

``--postgres postgres://postgres@127.0.0.1:5432/NAME`` drops and recreates NAME and NAME_restore.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAMBER = "gdjx"

ADD_DOCUMENTS = """
import io, os
from shanghui.associations.models import Association
from shanghui.core.storage.content import content_put
chamber = Association.objects.get(slug="{slug}")
for _ in range({count}):
    content_put(chamber, io.BytesIO(os.urandom({size})), check_quota=False)
"""


def run(args: list[str], env: dict[str, str], *, check: bool = True) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if check and result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout + result.stderr


def postgres_database(url: str, name: str) -> str:
    import psycopg

    base = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def postgres_drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--document-kb", type=int, default=512)
    parser.add_argument("--postgres", default="")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        source_var, target_var = Path(scratch, "source"), Path(scratch, "target")
        whole_var = Path(scratch, "whole")
        if options.postgres:
            name = options.postgres.rsplit("/", 1)[1]
            source_url = postgres_database(options.postgres, name)
            target_url = postgres_database(options.postgres, f"{name}_restore")
            whole_url = postgres_database(options.postgres, f"{name}_whole")
        else:
            source_url = f"sqlite:///{source_var}/bench.sqlite3"
            target_url = f"sqlite:///{target_var}/bench.sqlite3"
            whole_url = f"sqlite:///{whole_var}/bench.sqlite3"
        common = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shanghui.config.settings.base",
            "STORAGE_BACKEND": "filesystem",
        }
        for key in ("CONTENT_ROOT", "DATABASE_URL"):
            common.pop(key, None)
        source = {**common, "SHANGHUI_VAR_DIR": str(source_var), "DATABASE_URL": source_url}
        target = {**common, "SHANGHUI_VAR_DIR": str(target_var), "DATABASE_URL": target_url}
        whole = {**common, "SHANGHUI_VAR_DIR": str(whole_var), "DATABASE_URL": whole_url}

        run(["migrate", "--noinput", "-v", "0"], source)
        seeded, _ = run(["seed_demo"], source)
        script = ADD_DOCUMENTS.format(
            slug=CHAMBER, count=options.documents, size=options.document_kb * 1024
        )
        run(["shell", "-c", script], source)

        chamber_zip, platform_zip = Path(scratch, "chamber.zip"), Path(scratch, "platform.zip")
        chamber_s, chamber_out = run(
            ["backup", "--association", CHAMBER, "--output", str(chamber_zip)], source
        )
        platform_s, platform_out = run(["backup", "--output", str(platform_zip)], source)
        chamber_mib = chamber_zip.stat().st_size / 2**20
        platform_mib = platform_zip.stat().st_size / 2**20

        run(["migrate", "--noinput", "-v", "0"], target)
        restore_s, restore_out = run(["restore", str(chamber_zip)], target)
        again = Path(scratch, "again.zip")
        run(["backup", "--association", CHAMBER, "--output", str(again)], target)
        # Group members linked to the demo's other associations lose that link in a
        # platform that does not have them (docs/backup.md): that table may differ.
        _, compared = run(["backup_compare", str(chamber_zip), str(again)], target, check=False)

        run(["migrate", "--noinput", "-v", "0"], whole)
        whole_s, whole_out = run(["restore", str(platform_zip)], whole)
        whole_again = Path(scratch, "whole-again.zip")
        run(["backup", "--output", str(whole_again)], whole)
        _, whole_compared = run(
            ["backup_compare", str(platform_zip), str(whole_again)], whole, check=False
        )
        if options.postgres:
            for url in (source_url, target_url, whole_url):
                postgres_drop(url)

    search = re.search(r"重建搜索索引 ([0-9.]+) 秒", restore_out)
    database = "PostgreSQL" if options.postgres else "SQLite"
    documents = f"{options.documents} documents of {options.document_kb} KB"
    print(f"demo platform on {database}, seeded in {seeded:.0f} s; the chamber has {documents}")
    print(f"chamber {CHAMBER}: backup {chamber_s:.1f} s, archive {chamber_mib:.1f} MiB")
    print(f"  {chamber_out.strip()}")
    print(f"whole platform: backup {platform_s:.1f} s, archive {platform_mib:.1f} MiB")
    print(f"  {platform_out.strip()}")
    rebuilt = search.group(1) if search else "?"
    print(
        f"restore of the chamber into a fresh database: {restore_s:.1f} s "
        f"(of which search tokens rebuilt: {rebuilt} s)"
    )
    print(f"  {restore_out.strip().splitlines()[-1]}")
    print("backup of the restored copy vs the archive:")
    print("  " + "\n  ".join(compared.strip().splitlines()))
    print(f"restore of the whole platform into a fresh database: {whole_s:.1f} s")
    print(f"  {whole_out.strip().splitlines()[-1]}")
    print("backup of the restored platform vs the archive:")
    print("  " + "\n  ".join(whole_compared.strip().splitlines()))


if __name__ == "__main__":
    main()
