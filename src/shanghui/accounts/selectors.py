"""Reads about people in associations: a person's roles across them, open invitations, and
the platform console's access helpers (operators only; everyone else gets a 404)."""

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import Invitation, Role, User
from shanghui.accounts.permissions import require_platform_operator
from shanghui.associations.models import Association, OnboardingApplication
from shanghui.associations.selectors import onboarding_applications
from shanghui.core.tenancy import person_context

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def roles_of_person(user: User) -> list[Role]:
    """Every active role of one person, across associations, with the association loaded."""
    with person_context(user):
        roles = list(Role.objects.filter(user=user, is_active=True).order_by("created_at"))
    associations = Association.objects.in_bulk([role.association_id for role in roles])
    kept = []
    for role in roles:
        association = associations[role.association_id]
        if association.status in {Association.Status.ACTIVE, Association.Status.SUSPENDED}:
            role.association = association
            kept.append(role)
    return kept


def pending_invitations(association: Association) -> QuerySet[Invitation]:
    """Invitations of ``association`` not yet accepted and still open, newest first. They show
    the name and phone the inviter typed, nothing of the invited account."""
    return (
        Invitation.objects.filter(
            association=association, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def access_platform_operator(*, actor: "User | AnonymousUser") -> None:
    """The platform console exists only for operators: everyone else gets a 404."""
    try:
        require_platform_operator(actor)
    except PermissionDenied as exc:
        raise Http404 from exc


def access_onboarding_application(*, actor: User, application_id: int) -> OnboardingApplication:
    """Platform operators only; everyone else gets the same 404 as for a missing id."""
    access_platform_operator(actor=actor)
    application = onboarding_applications().filter(pk=application_id).first()
    if application is None:
        raise Http404
    return application


def access_platform_association(*, actor: User, association_id: int) -> Association:
    """An association as the platform operator manages it (any status); 404 for others."""
    access_platform_operator(actor=actor)
    association = Association.objects.filter(pk=association_id).first()
    if association is None:
        raise Http404
    return association
