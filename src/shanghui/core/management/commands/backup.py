"""`manage.py backup --output FILE [--association SLUG]`: the whole platform, or one
association, into one zip archive — rows and files — with a manifest of row fingerprints and
file hashes (docs/backup.md). The whole platform needs the owner role on PostgreSQL (the
DATABASE_URL migrate uses); one association's backup reads inside its tenant context and
runs as any role. Exits non-zero, after writing the archive, if a file was missing or
corrupt."""

import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "备份整个平台或单个商协会（数据和文件）到一个 zip 文件，附数据指纹和文件校验值。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="备份文件路径（.zip）")
        parser.add_argument("--association", default="", help="只备份该商协会（slug）")

    def handle(self, *args: Any, output: str, association: str, **options: Any) -> None:
        target = None
        if association:
            model = apps.get_model("associations", "Association")
            target = model.objects.filter(slug=association).first()
            if target is None:
                raise CommandError(f"没有找到商协会 {association!r}")
        started = time.monotonic()
        try:
            manifest = backup_write(Path(output), association=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(entry["rows"] for entry in manifest["tables"].values())
        size = sum(entry["size"] for entry in manifest["files"].values())
        self.stdout.write(
            f"已备份到 {output}：{len(manifest['tables'])} 张表 {rows} 行，"
            f"{len(manifest['files'])} 个文件 {size} 字节，用时 {time.monotonic() - started:.1f} 秒"
        )
        if manifest["problems"]:
            for problem in manifest["problems"]:
                self.stderr.write(problem)
            raise CommandError(f"备份已写出，但有 {len(manifest['problems'])} 个问题（见上）")
