"""The one shape of a daily command that works association by association (``manage.py
send_dues_reminders``, ``send_event_reminders``, ``search_index`` …): ``--association <slug>``
narrows it to one, every other association is still done when one fails (logged, then the
command exits non-zero), and ``-v 2`` reports how many were done.

The base opens no tenant scope around an association's work: that work opens it itself, per
chunk or inside its task (``core.tenancy.tenant_context``) — on PostgreSQL a scope is a
transaction, so one around a whole association's run would hold every row lock to the end.

Core imports no app: the association model comes from the app registry."""

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.base import Task

from shanghui.core.types import AppTenant, Tenant

logger = logging.getLogger(__name__)


class PerAssociationCommand(BaseCommand):
    """Subclasses write ``handle_association``; what it returns (if anything) is printed
    after the association's slug."""

    active_only = True  # False: every association, whatever its status

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", default="", help="只处理该商协会（slug）")

    def handle(self, *args: Any, association: str, **options: Any) -> None:
        targets = list(self.associations(association))
        failed = 0
        for target in targets:
            try:
                line = self.handle_association(target, **options)
            except Exception as exc:  # one association's failure must not stop the others
                failed += 1
                logger.exception("%s failed for association %s", self.__module__, target.slug)
                self.stderr.write(f"{target.slug}: 失败：{exc}")
                continue
            if line:
                self.stdout.write(f"{target.slug}: {line}")
        if options["verbosity"] >= 2:
            self.stdout.write(f"共处理 {len(targets)} 个商协会，失败 {failed} 个")
        if failed:
            raise CommandError(f"{failed} 个商协会处理失败（共 {len(targets)} 个）")

    def associations(self, slug: str) -> Iterable[Tenant]:
        model = apps.get_model("associations", "Association")
        qs = model.objects.order_by("pk")
        if self.active_only:
            qs = qs.filter(status=model.Status.ACTIVE)
        if slug:
            qs = qs.filter(slug=slug)
            if not qs.exists():
                kind = "正常运营的商协会" if self.active_only else "商协会"
                raise CommandError(f"没有找到{kind} {slug!r}")
        return qs

    def handle_association(self, association: AppTenant, **options: Any) -> str | None:
        raise NotImplementedError


class PerAssociationTaskCommand(PerAssociationCommand):
    """Enqueues ``task(association_id=…)`` for the worker (``manage.py db_worker``), or with
    ``--now`` runs it in this process and prints ``done`` filled with its result."""

    task: Task[Any, Any]
    done = "{}"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--now", action="store_true", help="在本进程中立即执行，而不是交给后台任务进程"
        )

    def handle_association(self, association: Tenant, **options: Any) -> str:
        if options["now"]:
            return self.done.format(self.task.call(association_id=association.pk))
        self.task.enqueue(association_id=association.pk)
        return "已加入后台任务队列"
