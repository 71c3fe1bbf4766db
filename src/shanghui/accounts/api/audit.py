"""An association's audit log (administrators)."""

from django.http import HttpRequest
from ninja import Path, Router
from ninja.pagination import paginate

from shanghui.accounts.api.schemas import AuditOut
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.models import AuditEntry

# Mounted on associations.api.associations.tenant_router, whose tag (商协会) it inherits.
audit_router = Router()


@audit_router.get(
    "/audit",
    operation_id="shanghui_associations_api_audit_list",
    response={200: list[AuditOut], **ERRORS},
)
@paginate(Pages)
def audit_list(request: HttpRequest, slug: Path[str], action: str = "") -> object:
    """The association's audit log, newest first (administrators only)."""
    require_perm(current_role(request), Perm.VIEW_AUDIT)
    qs = AuditEntry.objects.filter(association=current_association(request)).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-created_at", "-id")
