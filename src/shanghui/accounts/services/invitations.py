"""Invitations and people added by phone: an invitation carries the name the inviter typed; the
role starts when the person accepts (someone new by setting a password, someone with an
account signed in). Each service changes data in one transaction and writes an audit record."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts import messages
from shanghui.accounts.models import (
    Invitation,
    Role,
    User,
)
from shanghui.accounts.services.account import (
    consent_record,
    current_privacy_notice,
    user_get_or_create,
)
from shanghui.accounts.services.roles import role_grant
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.tokens import hash_token, new_token


@transaction.atomic
def invitation_send(
    *, association: Association, actor: User | None, user: User, role_kind: str, name: str = ""
) -> tuple[Invitation, str]:
    """Creates a one-time invitation link for ``user`` and sends it by SMS (and email when
    known): someone new to the platform opens it to set a password, someone with an account
    signs in and accepts. ``name`` is the name the inviter typed, the only name the
    association sees until the person accepts. Returns the invitation and the raw token
    (shown once). Earlier open invitations of the same person in this association stop
    working."""
    Invitation.objects.filter(association=association, user=user, accepted_at__isnull=True).update(
        expires_at=timezone.now()
    )
    token = new_token()
    invitation = Invitation.objects.create(
        association=association,
        user=user,
        name=(name.strip() or user.name)[:50],
        role_kind=role_kind,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS),
        created_by=actor if actor and actor.pk else None,
    )
    link = f"{settings.SITE_URL}/a/{association.slug}/invite/{token}/"
    values = {
        "name": association.short_name,
        "days": settings.INVITATION_TTL_DAYS,
        "link": link,
        "role": invitation.get_role_kind_display(),
    }
    notify(
        association=association,
        kind=(
            messages.INVITATION if user.has_usable_password() else messages.INVITATION_NEW_ACCOUNT
        ),
        to=Recipient(phone=user.phone or "", email=user.email),
        params=values,
    )
    audit(
        actor=actor,
        action="invitation.send",
        association=association,
        target=invitation,
        summary=invitation.name,
    )
    return invitation, token


def access_invitation(*, association: Association, token: str) -> Invitation:
    """The open invitation behind ``token`` in ``association``; a clear error when it was used
    or has expired; 404 when it does not exist here."""
    from django.http import Http404

    invitation = (
        Invitation.objects.filter(association=association, token_hash=hash_token(token))
        .select_related("user")
        .first()
    )
    if invitation is None:
        raise Http404
    if invitation.accepted_at is not None:
        raise ValidationError(_("该邀请链接已使用，请直接登录"), code="invitation_used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("该邀请链接已过期，请联系秘书处重新发送"), code="invitation_expired"
        )
    return invitation


@transaction.atomic
def invitation_accept(
    *, association: Association, token: str, password: str, accept_privacy: bool
) -> User:
    """Activates the invited person's account: sets the password, records consent to the
    current privacy notice and starts the role. Nothing changes when any check fails. A person
    who already has a password signs in and accepts instead (``invitation_join``): the link
    is no way to set their password."""
    invitation = access_invitation(association=association, token=token)
    user = invitation.user
    if user.has_usable_password():
        raise ValidationError(
            _("您已有云商会账号，请登录后再打开邀请链接接受邀请"), code="sign_in_required"
        )
    if not accept_privacy:
        raise ValidationError(_("请阅读并同意隐私政策"), code="consent_required")
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    consent_record(user=user, notice=current_privacy_notice())
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not updated:  # accepted by a concurrent request
        raise ValidationError(_("该邀请链接已使用，请直接登录"), code="invitation_used")
    role_grant(association=association, actor=user, user=user, kind=invitation.role_kind)
    audit(actor=user, action="invitation.accept", association=association, target=invitation)
    return user


@transaction.atomic
def invitation_join(*, association: Association, token: str, user: User) -> Role:
    """The signed-in person accepts an invitation sent to their account: their role in
    ``association`` starts now (never lowering one they hold). The same 404 as for a missing
    token when the invitation is someone else's."""
    from django.http import Http404

    invitation = access_invitation(association=association, token=token)
    if invitation.user_id != user.pk:
        raise Http404
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not updated:  # accepted by a concurrent request
        raise ValidationError(_("该邀请链接已使用，请直接登录"), code="invitation_used")
    role = role_grant(association=association, actor=user, user=user, kind=invitation.role_kind)
    audit(actor=user, action="invitation.accept", association=association, target=invitation)
    return role


def _person_for_role(*, phone: str, name: str, role_kind: str, email: str) -> User:
    if role_kind not in Role.Kind.values:
        raise ValidationError({"role": _("请选择角色")})
    if not name.strip():
        raise ValidationError({"name": _("请填写姓名")})
    try:
        user, _created = user_get_or_create(phone=phone, name=name.strip(), email=email)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    return user


@transaction.atomic
def person_invite(
    *,
    association: Association,
    actor: User | None,
    phone: str,
    name: str,
    role_kind: str,
    email: str = "",
) -> Invitation:
    """Invites a person, by phone, to a role in ``association`` (the people & roles page and
    API). The role starts only when they accept: someone new to the platform opens the link to
    set a password, someone with an account signs in and accepts — nobody is attached to an
    association without their consent. The inviter learns nothing about the person: the
    invitation carries the name the inviter typed, and the answer is the same whether the
    number has an account or not. Must run inside the association's tenant context."""
    user = _person_for_role(phone=phone, name=name, role_kind=role_kind, email=email)
    invitation, _token = invitation_send(
        association=association, actor=actor, user=user, role_kind=role_kind, name=name
    )
    return invitation


@transaction.atomic
def person_role_grant(
    *,
    association: Association,
    actor: User | None,
    phone: str,
    name: str,
    role_kind: str,
    email: str = "",
) -> Role:
    """Gives the person with this phone (an account is created for someone new) at least the
    role ``role_kind`` now — for what the person asked for themself: an approved membership
    application, an approved onboarding request. Granting never lowers a role they hold
    (``roles.role_grant``). Someone new gets an invitation link to set a password; someone who
    already signs in is told by SMS. Must run inside the association's tenant context."""
    user = _person_for_role(phone=phone, name=name, role_kind=role_kind, email=email)
    role = role_grant(association=association, actor=actor, user=user, kind=role_kind)
    if user.has_usable_password():
        notify(
            association=association,
            kind=messages.ROLE_GRANTED,
            to=Recipient(phone=user.phone or "", user_id=user.pk),
            params={"name": association.short_name, "role": role.get_kind_display()},
        )
    else:
        invitation_send(association=association, actor=actor, user=user, role_kind=role.kind)
    return role


@transaction.atomic
def invitation_resend(*, association: Association, actor: User, role: Role) -> Invitation:
    """Sends a fresh activation link to someone who has not set a password yet (the old link
    stops working). Must run inside the association's tenant context."""
    role.user.refresh_from_db(fields=["password", "is_active"])
    if role.user.has_usable_password():
        raise ValidationError(_("该用户已开通账号，可直接登录"), code="already_active")
    if not role.is_active:
        raise ValidationError(_("该角色已被移除"), code="inactive_role")
    invitation, _token = invitation_send(
        association=association, actor=actor, user=role.user, role_kind=role.kind
    )
    return invitation
