"""Onboarding's steps that give people roles: approving an application makes its contact person
the association's first administrator; the platform resends those administrators' activation
links. (Applying and rejecting touch only the association: ``associations.services.onboarding``.)"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.invitations import invitation_resend, person_role_grant
from shanghui.associations.models import Association, OnboardingApplication
from shanghui.associations.services.onboarding import onboarding_require_pending
from shanghui.core.audit import audit
from shanghui.core.tenancy import tenant_context


@transaction.atomic
def onboarding_approve(*, actor: User, application: OnboardingApplication) -> Association:
    """Approves an application: the association becomes active, the contact person becomes its
    first administrator and receives an invitation to set a password. Operator only (checked
    by the caller through ``require_platform_operator``)."""
    application = OnboardingApplication.objects.select_for_update().get(pk=application.pk)
    onboarding_require_pending(application)
    association = application.association
    association.status = Association.Status.ACTIVE
    association.save(update_fields=["status"])
    application.status = OnboardingApplication.Status.APPROVED
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    application.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    with tenant_context(association):
        person_role_grant(
            association=association,
            actor=actor,
            phone=application.contact_phone,
            name=application.contact_name,
            email=application.contact_email,
            role_kind=Role.Kind.ADMIN,
        )
    audit(actor=actor, action="onboarding.approve", target=application, summary=association.name)
    return association


def admin_invitations_resend(*, actor: User, association: Association) -> int:
    """Operator: new activation links for the association's administrators who never set a
    password. Returns how many were sent."""
    if association.status != Association.Status.ACTIVE:
        raise ValidationError(_("只有正常状态的商协会可以重发邀请"))
    sent = 0
    with tenant_context(association):
        admins = Role.objects.filter(
            association=association, kind=Role.Kind.ADMIN, is_active=True
        ).select_related("user")
        for role in admins:
            if not role.user.has_usable_password():
                invitation_resend(association=association, actor=actor, role=role)
                sent += 1
    return sent
