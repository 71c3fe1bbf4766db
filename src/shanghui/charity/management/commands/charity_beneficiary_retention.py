"""`manage.py charity_beneficiary_retention`: run daily. Erases the personal data (ID number,
family situation, guardian, photos, visit notes) of sponsored students whose sponsorship
ended more than ``CHARITY_BENEFICIARY_RETENTION_YEARS`` (default 3) years ago, or who hold
sensitive data without its consent; the rows stay for the totals."""

from typing import Any

from shanghui.charity.services.beneficiaries import beneficiaries_retention
from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant


class Command(PerAssociationCommand):
    help = "删除超过保存期限或已撤回同意的受助学生个人信息；建议每天运行一次。"
    active_only = False  # a suspended association's students are owed erasure too

    def handle_association(self, association: AppTenant, **options: Any) -> str:
        erased = beneficiaries_retention(
            association=association, scope=lambda: tenant_context(association)
        )
        return f"已删除 {erased} 名受助学生的个人信息"
