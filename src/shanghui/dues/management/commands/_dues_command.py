"""What the two daily dues commands share: pick the associations, then enqueue one task per
association for the worker (``manage.py db_worker``), or run it here with ``--now``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.base import Task

from shanghui.associations.models import Association


class DailyDuesCommand(BaseCommand):
    task: Task[Any, Any]
    done_label = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", default="", help="只处理该商协会（slug）")
        parser.add_argument(
            "--now", action="store_true", help="在本进程中立即执行，而不是交给后台任务进程"
        )

    def handle(self, *args: Any, association: str, now: bool, **options: Any) -> None:
        qs = Association.objects.filter(status=Association.Status.ACTIVE).order_by("pk")
        if association:
            qs = qs.filter(slug=association)
            if not qs.exists():
                raise CommandError(f"没有找到正常运营的商协会 {association!r}")
        for target in qs:
            if now:
                result = self.task.call(association_id=target.pk)
                self.stdout.write(f"{target.slug}: {self.done_label} {result}")
            else:
                self.task.enqueue(association_id=target.pk)
                self.stdout.write(f"{target.slug}: 已加入后台任务队列")
