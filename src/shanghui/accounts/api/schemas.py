"""The request and response bodies of the accounts API: tokens and sign-in, the caller's
account, people and roles, invitations, the audit log and the platform console."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictBool

from shanghui.accounts.models import Invitation, Role
from shanghui.core.audit import action_label, entry_summary
from shanghui.core.models import AuditEntry


class TokenIn(Schema):
    phone: str
    password: str
    name: str = ""


class TokenOut(Schema):
    id: int
    token: str
    name: str
    expires_at: datetime


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None


class PhoneIn(Schema):
    phone: str


class PasswordResetIn(Schema):
    phone: str
    code: str
    new_password: str


class SignInCodeIn(Schema):
    phone: str
    code: str
    name: str = ""


class PasswordChangeIn(Schema):
    current_password: str
    new_password: str


class MembershipOut(Schema):
    slug: str
    name: str
    short_name: str
    role: str
    role_label: str
    status: str


class MeOut(Schema):
    id: int
    name: str
    phone: str | None
    email: str
    language: str
    is_platform_operator: bool
    show_phone: bool
    wechat_bound: bool
    associations: list[MembershipOut]


class MeIn(Schema):
    name: str | None = None
    email: str | None = None
    language: str | None = None
    show_phone: StrictBool | None = None


class WechatBindIn(Schema):
    code: str


class DeletionIn(Schema):
    password: str


class NoticeOut(Schema):
    version: str
    title: str
    body: str
    published_at: datetime


class OnboardingRejectIn(Schema):
    reason: str


class ResentOut(Schema):
    sent: int


class AssociationStatusIn(Schema):
    status: str
    reason: str = ""


class RoleOut(Schema):
    id: int
    user_id: int
    name: str
    phone: str | None
    kind: str
    kind_label: str
    grants: list[str] = Field(
        default_factory=list, description="角色之外授予的权限，如 content.publish（发布资讯和通知）"
    )
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


class RoleGrantsIn(Schema):
    grants: list[str] = Field(..., description="工作人员可被授予：content.publish")


class AcceptIn(Schema):
    password: str
    accept_privacy: StrictBool = False


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
