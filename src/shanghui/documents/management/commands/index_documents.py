"""`manage.py index_documents [--association SLUG]`: writes the library's search tokens
again from the files' names — after a restore (backups leave the derived tokens out), or
should they ever be doubted. Safe to run at any time."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant
from shanghui.documents.services.files import tokens_rebuild


class Command(PerAssociationCommand):
    help = "重建资料库文件名的搜索词（恢复备份后运行；可随时运行）。"
    active_only = False

    def handle_association(self, association: AppTenant, **options: Any) -> str | None:
        with tenant_context(association):
            count = tokens_rebuild(association=association)
        return f"已为 {count} 个文件建立搜索词" if count else None
