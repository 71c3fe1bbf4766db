"""`manage.py prune_tasks`: run daily (cron or a systemd timer). Deletes finished background
tasks and empties what sent messages and finished jobs kept about people, once older than
``TASK_RETENTION_DAYS`` (``core.retention``); deletes modules' working files (an import's
cleaned rows, ``core.uploads.scratch_save``) as old; and deletes files kept for a form's next
try (``core.uploads.upload_keep``) once their day is over, whatever ``--days`` says."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shanghui.core.retention import prune
from shanghui.core.uploads import KEPT_UPLOAD_MAX_AGE, kept_uploads_prune, scratch_prune


class Command(BaseCommand):
    help = "删除已结束的后台任务，清除过期消息和导出任务中的个人信息；建议每天运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="保留天数（默认取 TASK_RETENTION_DAYS）",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        days = settings.TASK_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("保留天数不能为负数")
        pruned = prune(before=timezone.now() - timedelta(days=days))
        scratch = scratch_prune(before=timezone.now() - timedelta(days=days))
        kept = kept_uploads_prune(before=timezone.now() - timedelta(seconds=KEPT_UPLOAD_MAX_AGE))
        self.stdout.write(
            f"已删除 {pruned.tasks} 个已结束的后台任务；"
            f"已清除 {pruned.messages} 条消息、{pruned.jobs} 个后台作业中的个人信息"
            f"（保留 {days} 天）；已删除 {scratch} 个过期的工作文件、{kept} 个过期的临时上传文件"
        )
