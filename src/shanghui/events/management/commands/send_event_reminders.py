"""`manage.py send_event_reminders`: run daily (cron or a systemd timer). Reminds the
confirmed registrants of tomorrow's events, once per event."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.associations.models import Association
from shanghui.events.tasks import send_reminders


class Command(BaseCommand):
    help = "提醒明天举行的活动的已报名人员（每个活动只提醒一次）；建议每天运行一次。"

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
                sent = send_reminders.call(association_id=target.pk)
                self.stdout.write(f"{target.slug}: 已提醒 {sent} 人")
            else:
                send_reminders.enqueue(association_id=target.pk)
                self.stdout.write(f"{target.slug}: 已加入后台任务队列")
