"""`manage.py network_weekly_digest`: run weekly (cron or a systemd timer). For every active
association, tells the representatives of its member enterprises about the listings
published since the last digest in their industry — one notification per person."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant
from shanghui.network.digest import weekly_digest_send


class Command(PerAssociationCommand):
    help = "发送供需周报（新供需信息按行业通知会员企业代表）；建议每周运行一次。"

    def handle_association(self, association: AppTenant, **options: Any) -> str:
        with tenant_context(association):
            result = weekly_digest_send(association=association)
        return f"新信息 {result.listings} 条，通知 {result.people} 人"
