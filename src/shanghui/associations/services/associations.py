"""The association's lifecycle on the platform (suspending, restoring) and its profile."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.types import Account


@transaction.atomic
def association_set_status(
    *, actor: Account, association: Association, status: str, reason: str
) -> Association:
    """Suspends an active association or restores a suspended one (operator only)."""
    allowed = {
        Association.Status.ACTIVE: {Association.Status.SUSPENDED},
        Association.Status.SUSPENDED: {Association.Status.ACTIVE},
    }
    if status not in allowed.get(Association.Status(association.status), set()):
        raise ValidationError(_("当前状态下不能执行该操作"), code="invalid_transition")
    if status == Association.Status.SUSPENDED and not reason.strip():
        raise ValidationError({"reason": _("请填写暂停原因")})
    association.status = status
    association.save(update_fields=["status"])
    audit(
        actor=actor,
        action=f"association.{status}",
        target=association,
        summary=reason.strip(),
    )
    return association


@transaction.atomic
def association_update_profile(
    *, actor: Account, association: Association, short_name: str, introduction: str
) -> Association:
    """The secretariat edits how the association presents itself (administrators only,
    checked by the caller)."""
    short_name = short_name.strip()
    if not short_name:
        raise ValidationError({"short_name": _("请填写简称")})
    association.short_name = short_name[:30]
    association.introduction = introduction.strip()
    association.save(update_fields=["short_name", "introduction"])
    audit(actor=actor, action="association.update", association=association, target=association)
    return association
