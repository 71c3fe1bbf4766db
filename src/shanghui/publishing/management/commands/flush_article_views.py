"""`manage.py flush_article_views`: run every few minutes (cron or a systemd timer). Adds the
article views counted in the counter store to the articles (``publishing.counters``)."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.publishing import counters


class Command(PerAssociationCommand):
    help = "把计数库中的资讯阅读数写入数据库；建议每 5 分钟运行一次。"

    def handle_association(self, association: Any, **options: Any) -> str:
        with tenant_context(association):
            added = counters.flush(association)
        return f"阅读 {added} 次" if added else ""
