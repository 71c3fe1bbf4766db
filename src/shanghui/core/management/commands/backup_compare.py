"""`manage.py backup_compare A.zip B.zip`: whether two backups hold the same data — every
table's row count and fingerprint and every file's SHA-256, as their manifests say. The
restore drill (docs/backup.md) compares the backup with a backup of its restored copy.
Exits non-zero, naming what differs, when they are not the same."""

import zipfile
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.core.backup import BackupError, read_manifest


def _summary(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = read_manifest(archive)
    except (OSError, zipfile.BadZipFile, BackupError) as exc:
        raise CommandError(f"无法读取 {path}：{exc}") from exc
    tables = {label: (t["rows"], t["sha256"]) for label, t in manifest["tables"].items()}
    files = {name: f["sha256"] for name, f in manifest["files"].items()}
    return tables, files


class Command(BaseCommand):
    help = "比较两个备份的数据指纹和文件校验值（恢复演练：备份与其恢复副本的备份应一致）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first")
        parser.add_argument("second")

    def handle(self, *args: Any, first: str, second: str, **options: Any) -> None:
        tables_a, files_a = _summary(first)
        tables_b, files_b = _summary(second)
        differences = [
            f"表 {label}：{tables_a.get(label)} ≠ {tables_b.get(label)}"
            for label in sorted(set(tables_a) | set(tables_b))
            if tables_a.get(label) != tables_b.get(label)
        ] + [
            f"文件 {name}：{files_a.get(name)} ≠ {files_b.get(name)}"
            for name in sorted(set(files_a) | set(files_b))
            if files_a.get(name) != files_b.get(name)
        ]
        if differences:
            for line in differences:
                self.stderr.write(line)
            raise CommandError(f"两个备份不一致：{len(differences)} 处不同")
        rows = sum(count for count, _ in tables_a.values())
        self.stdout.write(f"一致：{len(tables_a)} 张表 {rows} 行，{len(files_a)} 个文件")
