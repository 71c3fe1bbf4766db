"""`manage.py charity_disbursement_alerts`: run daily (cron or a systemd timer). For every
active association, alerts the secretariat and the sponsoring members about each unpaid term
of an active sponsorship past its due date — each term once (``Disbursement.alerted_at``),
so running it more often does not spam anyone."""

from typing import Any

from shanghui.charity.services.sponsorship import disbursement_alerts_send
from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant


class Command(PerAssociationCommand):
    help = "提醒逾期未发放的助学资助（每个学期只提醒一次）；建议每天运行一次。"

    def handle_association(self, association: AppTenant, **options: Any) -> str:
        result = disbursement_alerts_send(
            association=association, scope=lambda: tenant_context(association)
        )
        return f"已提醒逾期发放 {len(result.alerted)} 笔"
