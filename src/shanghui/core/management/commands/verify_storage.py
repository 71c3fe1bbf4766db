"""`manage.py verify_storage [--association SLUG]`: reads every stored object of every
association (or one) back against its checksums (``core.storage.maintenance``), and lists the
objects no record names. Exits non-zero when any object in use is missing or corrupt, or an
object no record names is more than a day old. Run weekly (docs/deploy.md): it reads every
byte the platform stores."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shanghui.core.storage.content import size_label
from shanghui.core.storage.maintenance import Orphan, Problem, Verified, storage_verify


class Command(BaseCommand):
    help = "逐一读取并校验每个商协会存储的全部文件，报告缺失、损坏和无记录的对象。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", default="", help="只校验该商协会（slug）")

    def handle(self, *args: Any, association: str, **options: Any) -> None:
        model = apps.get_model("associations", "Association")
        targets = model.objects.order_by("pk")
        if association:
            targets = targets.filter(slug=association)
            if not targets.exists():
                raise CommandError(f"没有找到商协会 {association!r}")
        now = timezone.now()
        results = [storage_verify(target, now=now) for target in targets]
        self._report(results, verbose=options["verbosity"] >= 2)
        errors = sum(result.errors for result in results)
        if errors:
            raise CommandError(f"发现 {errors} 个问题，详见上文")

    def _report(self, results: list[Verified], *, verbose: bool) -> None:
        problems = [p for result in results for p in result.problems]
        orphans = [o for result in results for o in result.orphans]
        checked = sum(result.checked for result in results)
        if verbose:
            for result in results:
                self.stdout.write(f"{result.association.slug}: 已校验 {result.checked} 个对象")
        self.stdout.write(
            f"共校验 {len(results)} 个商协会的 {checked} 个对象："
            f"缺失或损坏 {sum(p.error for p in problems)} 个，"
            f"无记录 {len(orphans)} 个"
        )
        if problems:
            self.stdout.write("缺失或损坏的对象（商协会 SHA-256 大小 问题）：")
            for problem in problems:
                self.stdout.write(self._problem_line(problem))
        if orphans:
            self.stdout.write("无记录的对象（孤立；一天内的可能是正在进行的复制，不算错误）：")
            for orphan in orphans:
                self.stdout.write(self._orphan_line(orphan))

    def _problem_line(self, problem: Problem) -> str:
        mark = "错误" if problem.error else "提示"
        return (
            f"  [{mark}] {problem.association.slug} {problem.sha256} "
            f"{problem.size} 字节（{size_label(problem.size)}） {problem.describe()}"
        )

    def _orphan_line(self, orphan: Orphan) -> str:
        mark = "错误" if orphan.error else "提示"
        stored = timezone.localtime(orphan.modified).strftime("%Y-%m-%d %H:%M")
        return (
            f"  [{mark}] {orphan.association.slug} {orphan.key} {orphan.size} 字节 存入于 {stored}"
        )
