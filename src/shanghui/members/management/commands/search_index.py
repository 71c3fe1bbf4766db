"""`manage.py search_index`: writes the directory's search tokens of every member and person
that has none — what an import's job does right after its commit, should the worker have
stopped in between. When nothing is missing it only reads each association's ids (two
queries per 2,000, no write) and prints nothing; run it daily with the other commands."""

from typing import Any

from shanghui.associations.models import Association
from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.members.search_index import search_index_pending


class Command(PerAssociationCommand):
    help = "为尚未建立搜索索引的会员和联系人建立索引（导入后台任务中断时补齐）；建议每天运行一次。"
    active_only = False  # as it always did: suspended associations too

    def handle_association(self, association: Association, **options: Any) -> str | None:
        indexed = search_index_pending(association=association)
        return f"已为 {indexed} 条记录建立搜索索引" if indexed else None
