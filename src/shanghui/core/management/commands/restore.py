"""`manage.py restore FILE [--into-new-ids]`: restores a backup made by `manage.py backup`.
The whole platform goes into an empty (migrated) database; one association into any
platform, touching no other association: ids are kept, or — when some are taken — refused
unless `--into-new-ids` gives every row a new id (docs/backup.md). Runs as the owner role on
PostgreSQL, like migrate."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份文件恢复整个平台（到空数据库）或单个商协会（不改动其他商协会）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件（manage.py backup 写出的 .zip）")
        parser.add_argument(
            "--into-new-ids",
            action="store_true",
            help="以新编号恢复单个商协会（本平台已有相同编号时），外键随之改写",
        )

    def handle(self, *args: Any, file: str, into_new_ids: bool, **options: Any) -> None:
        if not Path(file).is_file():
            raise CommandError(f"找不到备份文件 {file}")
        started = time.monotonic()
        try:
            result = backup_restore(Path(file), into_new_ids=into_new_ids)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.rows.values())
        what = (
            "整个平台" if result.scope == "platform" else f"商协会（编号 {result.association_id}）"
        )
        self.stdout.write(
            f"已恢复{what}："
            f"{rows} 行；合并用户 {result.users_merged} 个，新建用户 {result.users_created} 个；"
            f"用时 {time.monotonic() - started:.1f} 秒"
            f"（其中重建搜索索引 {result.search_seconds:.1f} 秒）"
        )
        for dropped in result.dropped:
            self.stdout.write(f"未恢复（指向本平台没有的商协会）：{dropped}")
