"""`manage.py expire_documents_trash`: run daily. Removes from each association's library
trash what has been there longer than DOCUMENTS_TRASH_DAYS (at least 30), and unfinished
resumable uploads past their expiry with their files."""

from typing import Any

from shanghui.core.management.per_association import PerAssociationCommand
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import AppTenant
from shanghui.documents.services.files import trash_expire
from shanghui.documents.uploads import uploads_prune


class Command(PerAssociationCommand):
    help = (
        "清理资料库回收站中超过保留期（至少 30 天）的文件，以及过期未完成的分片上传；"
        "建议每天运行一次。"
    )
    active_only = False  # a suspended association's trash ages too

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = uploads_prune()
        if options["verbosity"] >= 2:
            self.stdout.write(f"过期的分片上传：{pruned} 个")
        super().handle(*args, **options)

    def handle_association(self, association: AppTenant, **options: Any) -> str | None:
        with tenant_context(association):
            removed = trash_expire(association=association)
        return f"回收站清理 {removed} 个文件" if removed else None
