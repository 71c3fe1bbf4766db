"""The audit log: every service that changes data records who, what, when, which association
and from where."""

from typing import TYPE_CHECKING, Any

from django.db import models

from shanghui.core.models import AuditEntry, PlatformAuditEntry
from shanghui.core.request_context import Origin, current_origin

if TYPE_CHECKING:
    from shanghui.accounts.models import User
    from shanghui.associations.models import Association


def audit(
    *,
    actor: "User | None",
    action: str,
    association: "Association | None" = None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Append one audit record; association-scoped when ``association`` is given."""
    origin = current_origin.get() or Origin()
    fields: dict[str, Any] = {
        "actor": actor if actor is not None and actor.pk else None,
        "action": action,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "summary": summary[:300],
        "data": data or {},
        "ip": origin.ip,
        "user_agent": origin.user_agent[:300],
    }
    if association is not None:
        AuditEntry.objects.create(association=association, **fields)
    else:
        PlatformAuditEntry.objects.create(**fields)
