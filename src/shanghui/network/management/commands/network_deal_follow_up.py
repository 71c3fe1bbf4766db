"""`manage.py network_deal_follow_up`: run daily. For every active association, asks both
sides of each deal on its members' listings marked at least two weeks ago whether it finally
closed — each deal once (``Deal.follow_up_sent_at``), so running it more often asks nobody
twice."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.types import AppTenant
from shanghui.network.services.deals import deal_follow_up


class Command(PerAssociationCommand):
    help = "成交两周后请双方确认交易是否达成（每笔只问一次）；建议每天运行一次。"

    def handle_association(self, association: AppTenant, **options: Any) -> str:
        asked = deal_follow_up(association=association)
        return f"已回访成交 {asked} 笔"
