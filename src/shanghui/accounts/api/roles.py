"""People and roles of an association (administrators), and invitations: sending, listing,
re-sending, accepting them."""

from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.pagination import paginate

from shanghui.accounts import selectors as account_selectors
from shanghui.accounts.api.schemas import (
    AcceptIn,
    InvitationOut,
    InviteIn,
    RoleChangeIn,
    RoleGrantsIn,
    RoleOut,
)
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.services import invitations as invitations_services
from shanghui.accounts.services import roles as role_services
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, OkOut

# Mounted on associations.api.associations.tenant_router, whose tag (商协会) it inherits.
roles_router = Router()


@roles_router.get(
    "/roles",
    operation_id="shanghui_associations_api_role_list",
    response={200: list[RoleOut], **ERRORS},
)
@paginate(Pages)
def role_list(request: HttpRequest, slug: Path[str]) -> object:
    """People with a role in the association (administrators only)."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    return (
        Role.objects.filter(association=current_association(request), is_active=True)
        .select_related("user")
        .order_by("kind", "created_at", "id")
    )


@roles_router.post(
    "/roles",
    operation_id="shanghui_associations_api_role_invite",
    response={201: InvitationOut, **ERRORS},
)
def role_invite(request: HttpRequest, slug: Path[str], payload: InviteIn) -> Status[object]:
    """Invite a person by phone to a role; the role starts when they accept (someone new sets
    a password, someone with an account signs in and accepts). The answer is the same whether
    the number has an account."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    invitation = invitations_services.person_invite(
        association=current_association(request),
        actor=signed_in_user(request),
        phone=payload.phone,
        name=payload.name,
        role_kind=payload.role,
        email=payload.email,
    )
    return Status(201, invitation)


@roles_router.get(
    "/invitations",
    operation_id="shanghui_associations_api_invitation_list",
    response={200: list[InvitationOut], **ERRORS},
)
@paginate(Pages)
def invitation_list(request: HttpRequest, slug: Path[str]) -> object:
    """Invitations not yet accepted (administrators only)."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    return account_selectors.pending_invitations(current_association(request))


@roles_router.patch(
    "/roles/{role_id}",
    operation_id="shanghui_associations_api_role_update",
    response={200: RoleOut, **ERRORS},
)
def role_update(
    request: HttpRequest, slug: Path[str], role_id: int, payload: RoleChangeIn
) -> object:
    """Change a person's role, up or down; the last administrator cannot be demoted."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    return role_services.role_change(
        association=association, actor=signed_in_user(request), role=role, kind=payload.role
    )


@roles_router.put(
    "/roles/{role_id}/grants",
    response={200: RoleOut, **ERRORS},
)
def role_grants(
    request: HttpRequest, slug: Path[str], role_id: int, payload: RoleGrantsIn
) -> object:
    """Set the permissions granted beyond the role's kind (a staff member: ``content.publish``,
    publishing news and notices); anything the kind does not admit is refused (400)."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    return role_services.role_grants_set(
        association=association, actor=signed_in_user(request), role=role, grants=payload.grants
    )


@roles_router.delete(
    "/roles/{role_id}",
    operation_id="shanghui_associations_api_role_remove",
    response={200: OkOut, **ERRORS},
)
def role_remove(request: HttpRequest, slug: Path[str], role_id: int) -> object:
    """End a person's role; the last administrator cannot be removed."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    role_services.role_revoke(association=association, actor=signed_in_user(request), role=role)
    return {"ok": True}


@roles_router.post(
    "/roles/{role_id}/invitation",
    operation_id="shanghui_associations_api_role_reinvite",
    response={200: OkOut, **ERRORS},
)
def role_reinvite(request: HttpRequest, slug: Path[str], role_id: int) -> object:
    """Send a fresh activation link to a person who has not set a password yet."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    invitations_services.invitation_resend(
        association=association, actor=signed_in_user(request), role=role
    )
    return {"ok": True}


@roles_router.post(
    "/invitations/{token}/accept",
    operation_id="shanghui_associations_api_invitation_accept",
    auth=None,
    response={200: OkOut, **ERRORS},
)
def invitation_accept(
    request: HttpRequest, slug: Path[str], token: str, payload: AcceptIn
) -> object:
    """Activate an invited account: set a password and accept the privacy notice."""
    invitations_services.invitation_accept(
        association=current_association(request),
        token=token,
        password=payload.password,
        accept_privacy=payload.accept_privacy,
    )
    return {"ok": True}


@roles_router.post(
    "/invitations/{token}/join",
    operation_id="shanghui_associations_api_invitation_join",
    response={200: OkOut, **ERRORS},
)
def invitation_join(request: HttpRequest, slug: Path[str], token: str) -> object:
    """Accept, signed in, an invitation sent to your account: your role starts now. Someone
    else's invitation answers 404."""
    invitations_services.invitation_join(
        association=current_association(request), token=token, user=signed_in_user(request)
    )
    return {"ok": True}
