from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts import onboarding
from shanghui.accounts import roles as role_services
from shanghui.accounts import selectors as account_selectors
from shanghui.accounts import services as account_services
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Invitation, Role
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations import selectors, services
from shanghui.associations.models import Association
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.core.audit import action_label, entry_summary
from shanghui.core.models import AuditEntry
from shanghui.core.regions import region_full_name

onboarding_router = Router(tags=["入驻"])
platform_router = Router(tags=["平台运营"])
public_router = Router(tags=["商协会"])
tenant_router = Router(tags=["商协会"])


class AssociationOut(Schema):
    id: int
    slug: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    founded_on: date | None
    introduction: str
    status: str

    @staticmethod
    def resolve_kind_label(obj: Association) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_region_name(obj: Association) -> str:
        return region_full_name(obj.region_code)


class ApplicationIn(Schema):
    name: str
    short_name: str = ""
    slug: str
    kind: str
    region_code: str
    uscc: str
    founded_on: date | None = None
    introduction: str = ""
    contact_name: str
    contact_phone: str
    contact_email: str = ""
    note: str = ""
    accept_privacy: bool = False


class ApplicationOut(Schema):
    id: int
    status: str
    association: AssociationOut
    contact_name: str
    contact_phone: str
    contact_email: str
    note: str
    decision_reason: str
    created_at: datetime
    reviewed_at: datetime | None


@onboarding_router.post("/applications", auth=None, response={201: ApplicationOut, **ERRORS})
def application_create(
    request: HttpRequest, payload: Form[ApplicationIn], certificate: File[UploadedFile]
) -> Status[object]:
    """An association applies to join the platform, with a scan of its registration
    certificate (PDF, JPG or PNG)."""
    application = services.onboarding_apply(
        actor=None,
        data=services.OnboardingInput(**payload.dict()),
        certificate=certificate,
        privacy_notice=account_services.current_privacy_notice().version,
    )
    return Status(201, application)


@platform_router.get("/applications", response={200: list[ApplicationOut], **ERRORS})
@paginate(Pages)
def application_list(request: HttpRequest, status: str = "") -> object:
    """Onboarding applications (platform operators only)."""
    account_selectors.access_platform_operator(actor=signed_in_user(request))
    return selectors.onboarding_applications(status=status)


@platform_router.get("/applications/{application_id}", response={200: ApplicationOut, **ERRORS})
def application_detail(request: HttpRequest, application_id: int) -> object:
    return account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )


@platform_router.post(
    "/applications/{application_id}/approve", response={200: AssociationOut, **ERRORS}
)
def application_approve(request: HttpRequest, application_id: int) -> object:
    """Approve: the association's space opens and its contact person is invited as its
    first administrator."""
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    return onboarding.onboarding_approve(actor=signed_in_user(request), application=application)


class OnboardingRejectIn(Schema):
    reason: str


@platform_router.post(
    "/applications/{application_id}/reject", response={200: ApplicationOut, **ERRORS}
)
def application_reject(
    request: HttpRequest, application_id: int, payload: OnboardingRejectIn
) -> object:
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    return services.onboarding_reject(
        actor=signed_in_user(request), application=application, reason=payload.reason
    )


@platform_router.get("/associations", response={200: list[AssociationOut], **ERRORS})
@paginate(Pages)
def platform_association_list(request: HttpRequest, status: str = "") -> object:
    account_selectors.access_platform_operator(actor=signed_in_user(request))
    qs = Association.objects.all()
    return qs.filter(status=status) if status else qs


class ResentOut(Schema):
    sent: int


@platform_router.post(
    "/associations/{association_id}/invitations", response={200: ResentOut, **ERRORS}
)
def platform_association_reinvite(request: HttpRequest, association_id: int) -> object:
    """Re-send activation links to an association's administrators who never set a password."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    return {
        "sent": onboarding.admin_invitations_resend(
            actor=signed_in_user(request), association=association
        )
    }


class AssociationStatusIn(Schema):
    status: str
    reason: str = ""


@platform_router.post(
    "/associations/{association_id}/status", response={200: AssociationOut, **ERRORS}
)
def platform_association_status(
    request: HttpRequest, association_id: int, payload: AssociationStatusIn
) -> object:
    """Suspend an active association or restore a suspended one."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    return services.association_set_status(
        actor=signed_in_user(request),
        association=association,
        status=payload.status,
        reason=payload.reason,
    )


@public_router.get("", auth=None, response={200: list[AssociationOut], **ERRORS})
@paginate(Pages)
def association_list(request: HttpRequest) -> object:
    """Associations on the platform (public)."""
    return selectors.active_associations()


@tenant_router.get("", auth=None, response={200: AssociationOut, **ERRORS})
def association_detail(request: HttpRequest, slug: Path[str]) -> object:
    """An association's public profile."""
    return current_association(request)


class RoleOut(Schema):
    id: int
    user_id: int
    name: str
    phone: str | None
    kind: str
    kind_label: str
    created_at: datetime

    @staticmethod
    def resolve_name(obj: Role) -> str:
        return obj.user.name

    @staticmethod
    def resolve_phone(obj: Role) -> str | None:
        return obj.user.phone

    @staticmethod
    def resolve_kind_label(obj: Role) -> str:
        return str(obj.get_kind_display())


class InviteIn(Schema):
    phone: str
    name: str
    role: str
    email: str = ""


class InvitationOut(Schema):
    """An invitation as the association sees it: what the inviter typed, nothing of the
    invited account — the same whether the number has an account or not."""

    id: int
    name: str
    phone: str | None
    role: str
    role_label: str
    expires_at: datetime
    message: str

    @staticmethod
    def resolve_name(obj: Invitation) -> str:
        return obj.name or obj.user.name  # invitations sent before names were kept

    @staticmethod
    def resolve_phone(obj: Invitation) -> str | None:
        return obj.user.phone

    @staticmethod
    def resolve_role(obj: Invitation) -> str:
        return obj.role_kind

    @staticmethod
    def resolve_role_label(obj: Invitation) -> str:
        return str(obj.get_role_kind_display())

    @staticmethod
    def resolve_message(obj: Invitation) -> str:
        return _("已发送邀请，对方接受后即加入")


class RoleChangeIn(Schema):
    role: str


@tenant_router.get("/roles", response={200: list[RoleOut], **ERRORS})
@paginate(Pages)
def role_list(request: HttpRequest, slug: Path[str]) -> object:
    """People with a role in the association (administrators only)."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    return (
        Role.objects.filter(association=current_association(request), is_active=True)
        .select_related("user")
        .order_by("kind", "created_at")
    )


@tenant_router.post("/roles", response={201: InvitationOut, **ERRORS})
def role_invite(request: HttpRequest, slug: Path[str], payload: InviteIn) -> Status[object]:
    """Invite a person by phone to a role; the role starts when they accept (someone new sets
    a password, someone with an account signs in and accepts). The answer is the same whether
    the number has an account."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    invitation = account_services.person_invite(
        association=current_association(request),
        actor=signed_in_user(request),
        phone=payload.phone,
        name=payload.name,
        role_kind=payload.role,
        email=payload.email,
    )
    return Status(201, invitation)


@tenant_router.get("/invitations", response={200: list[InvitationOut], **ERRORS})
@paginate(Pages)
def invitation_list(request: HttpRequest, slug: Path[str]) -> object:
    """Invitations not yet accepted (administrators only)."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    return account_selectors.pending_invitations(current_association(request))


@tenant_router.patch("/roles/{role_id}", response={200: RoleOut, **ERRORS})
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


@tenant_router.delete("/roles/{role_id}", response={200: OkOut, **ERRORS})
def role_remove(request: HttpRequest, slug: Path[str], role_id: int) -> object:
    """End a person's role; the last administrator cannot be removed."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    role_services.role_revoke(association=association, actor=signed_in_user(request), role=role)
    return {"ok": True}


@tenant_router.post("/roles/{role_id}/invitation", response={200: OkOut, **ERRORS})
def role_reinvite(request: HttpRequest, slug: Path[str], role_id: int) -> object:
    """Send a fresh activation link to a person who has not set a password yet."""
    require_perm(current_role(request), Perm.MANAGE_ROLES)
    association = current_association(request)
    role = role_services.access_role(association=association, role_id=role_id)
    account_services.invitation_resend(
        association=association, actor=signed_in_user(request), role=role
    )
    return {"ok": True}


class AcceptIn(Schema):
    password: str
    accept_privacy: StrictBool = False


@tenant_router.post("/invitations/{token}/accept", auth=None, response={200: OkOut, **ERRORS})
def invitation_accept(
    request: HttpRequest, slug: Path[str], token: str, payload: AcceptIn
) -> object:
    """Activate an invited account: set a password and accept the privacy notice."""
    account_services.invitation_accept(
        association=current_association(request),
        token=token,
        password=payload.password,
        accept_privacy=payload.accept_privacy,
    )
    return {"ok": True}


@tenant_router.post("/invitations/{token}/join", response={200: OkOut, **ERRORS})
def invitation_join(request: HttpRequest, slug: Path[str], token: str) -> object:
    """Accept, signed in, an invitation sent to your account: your role starts now. Someone
    else's invitation answers 404."""
    account_services.invitation_join(
        association=current_association(request), token=token, user=signed_in_user(request)
    )
    return {"ok": True}


class AuditOut(Schema):
    id: int
    created_at: datetime
    actor_name: str
    action: str
    # What the code means and what changed, in the caller's language (Accept-Language).
    action_label: str
    summary: str
    ip: str | None

    @staticmethod
    def resolve_actor_name(obj: AuditEntry) -> str:
        return obj.actor.name if obj.actor else ""

    @staticmethod
    def resolve_action_label(obj: AuditEntry) -> str:
        return action_label(obj.action)

    @staticmethod
    def resolve_summary(obj: AuditEntry) -> str:
        return entry_summary(obj)


@tenant_router.get("/audit", response={200: list[AuditOut], **ERRORS})
@paginate(Pages)
def audit_list(request: HttpRequest, slug: Path[str], action: str = "") -> object:
    """The association's audit log, newest first (administrators only)."""
    require_perm(current_role(request), Perm.VIEW_AUDIT)
    qs = AuditEntry.objects.filter(association=current_association(request)).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    return qs.order_by("-created_at")
