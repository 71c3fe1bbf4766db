"""`manage.py search_index`: writes the directory's search tokens of every member and person
that has none — what an import's job does right after its commit, should the worker have
stopped in between. When nothing is missing it only reads each association's ids (two
queries per 2,000, no write); run it daily with the other commands."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shanghui.associations.models import Association
from shanghui.members.search_index import search_index_pending


class Command(BaseCommand):
    help = "为尚未建立搜索索引的会员和联系人建立索引（导入后台任务中断时补齐）；建议每天运行一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", default="", help="只处理该商协会（slug）")

    def handle(self, *args: Any, association: str, **options: Any) -> None:
        associations = Association.objects.order_by("pk")
        if association:
            associations = associations.filter(slug=association)
            if not associations.exists():
                raise CommandError(f"没有找到商协会 {association!r}")
        for target in associations:
            indexed = search_index_pending(association=target)
            if indexed:
                self.stdout.write(f"{target.slug}: 已为 {indexed} 条记录建立搜索索引")
