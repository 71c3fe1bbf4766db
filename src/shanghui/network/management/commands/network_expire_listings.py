"""`manage.py network_expire_listings`: run daily (cron or a systemd timer). For every active
association, listings past their validity become 已过期 and leave the platform index, so
other associations stop finding them; their posters can renew them."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant
from shanghui.network.services.listings import listings_expire


class Command(PerAssociationCommand):
    help = "把过了有效期的供需信息标为已过期并移出平台索引；建议每天运行一次。"

    def handle_association(self, association: AppTenant, **options: Any) -> str:
        with tenant_context(association):
            count = listings_expire(association=association)
        return f"已过期 {count} 条"
