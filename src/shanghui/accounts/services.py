"""Services for people: invitations, sign-in records, API tokens, password reset, consent,
personal-data rights. Each changes data in one transaction and writes an audit record."""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.codes import code_check, code_consume
from shanghui.accounts.models import (
    ApiToken,
    Consent,
    Invitation,
    OneTimeCode,
    PrivacyNotice,
    Role,
    User,
)
from shanghui.accounts.person_records import person_records
from shanghui.accounts.roles import role_grant
from shanghui.accounts.signin import credentials_revoke
from shanghui.associations.models import Association
from shanghui.core import wechat
from shanghui.core.audit import audit
from shanghui.core.notifications import notify
from shanghui.core.phone import normalize_mobile
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.sms_codes import sms_code_allowed
from shanghui.core.tokens import hash_token, new_numeric_code, new_token


def current_privacy_notice() -> PrivacyNotice:
    notice = PrivacyNotice.objects.order_by("-published_at").first()
    if notice is None:
        raise ValidationError(_("隐私政策尚未发布"))
    return notice


def consent_record(*, user: User, notice: PrivacyNotice) -> Consent:
    """Records that ``user`` accepted ``notice`` (idempotent per version)."""
    consent, created = Consent.objects.get_or_create(
        user=user, notice=notice, defaults={"ip": (current_origin.get() or Origin()).ip}
    )
    if created:
        audit(actor=user, action="privacy.consent", target=notice, summary=notice.version)
    return consent


def user_get_or_create(*, phone: str, name: str, email: str = "") -> tuple[User, bool]:
    """The platform account for a phone number; a new one has no usable password until the
    person accepts an invitation."""
    phone = normalize_mobile(phone)
    user = User.objects.filter(phone=phone).first()
    if user is not None:
        return user, False
    return User.objects.create_user(phone=phone, name=name, email=email), True


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
    if user.has_usable_password():
        text = _(
            "%(name)s 邀请您以“%(role)s”身份加入，"
            "请在 %(days)s 天内登录云商会后打开链接接受：%(link)s"
        )
    else:
        text = _("%(name)s 邀请您开通云商会账号，请在 %(days)s 天内打开链接设置密码：%(link)s")
    notify(
        association=association,
        phone=user.phone or "",
        email=user.email,
        subject=_("%(name)s 邀请您加入云商会") % {"name": association.short_name},
        text=text % values,
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


def sign_in_record(*, user: User, via: str) -> None:
    """Audit record of a successful sign-in (page or API token)."""
    audit(actor=user, action="auth.sign_in", summary=via)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new bearer token for ``user``; the raw value is returned once and never stored."""
    raw = new_token()
    token = ApiToken.objects.create(
        user=user,
        name=(name or _("移动客户端"))[:60],
        prefix=raw[:8],
        key_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    audit(actor=user, action="api_token.create", target=token, summary=token.name)
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None when it is unknown, revoked or expired."""
    token = (
        ApiToken.objects.filter(
            key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    from django.http import Http404

    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=user, action="api_token.revoke", target=token, summary=token.name)
    return token


@transaction.atomic
def password_reset_request(*, phone: str) -> None:
    """Sends a one-time code to ``phone`` when it belongs to an active account. Every number
    gets the same answer and counts against the same caps (``core.sms_codes``: per number, per
    client address, platform-wide; ``RateLimited`` past them) before its account is looked
    up, so the form does not reveal which numbers have accounts."""
    phone = normalize_mobile(phone)
    sms_code_allowed(
        phone=phone,
        address=(current_origin.get() or Origin()).ip,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
    )
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return
    code = new_numeric_code()
    OneTimeCode.objects.create(
        phone=phone,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
        code_hash=hash_token(code),
        expires_at=timezone.now() + timedelta(seconds=settings.ONE_TIME_CODE_TTL_SECONDS),
    )
    notify(
        association=None,  # the platform's: the account may belong to no association
        phone=phone,
        subject=_("重置密码"),
        text=_("您的验证码为 %(code)s，10 分钟内有效。如非本人操作请忽略。") % {"code": code},
    )
    audit(actor=user, action="auth.password_reset_request")


def password_reset_confirm(*, phone: str, code: str, new_password: str) -> User:
    """Sets a new password when ``code`` is the latest unexpired code for ``phone``. Wrong
    codes count against the code (five tries); the count survives the failed attempt. Every
    API token of the person is revoked and every session of theirs ends."""
    phone = normalize_mobile(phone)
    otc = code_check(phone=phone, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    with transaction.atomic():
        user = User.objects.select_for_update().get(phone=phone, is_active=True)
        password_validation.validate_password(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        code_consume(otc)
        # Proving the phone by SMS lifts a lockout on it: that is what the lockout page offers.
        axes_reset(username=phone)
        credentials_revoke(user=user)
        audit(actor=user, action="auth.password_reset")
    return user


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
            phone=user.phone or "",
            subject=association.short_name,
            text=_("您已被加入“%(name)s”，角色：%(role)s。登录云商会即可使用。")
            % {"name": association.short_name, "role": role.get_kind_display()},
        )
    else:
        invitation_send(association=association, actor=actor, user=user, role_kind=role.kind)
    return role


def wechat_bind(*, user: User, code: str) -> None:
    """Binds ``user`` to the WeChat account that WeChat's authorization ``code`` stands for,
    so notifications also reach them in WeChat. One WeChat account serves one person."""
    if not wechat.wechat_configured():
        raise ValidationError(_("平台尚未开通微信通知"), code="wechat_off")
    try:
        openid = wechat.openid_for_code(code)
    except wechat.WechatError as exc:
        raise ValidationError(_("微信授权失败，请稍后再试"), code="wechat_failed") from exc
    with transaction.atomic():
        user.wechat_openid = openid
        try:
            # The unique constraint decides, so two binds of one WeChat at once can't both win.
            with transaction.atomic():
                user.save(update_fields=["wechat_openid"])
        except IntegrityError as exc:
            user.refresh_from_db(fields=["wechat_openid"])
            raise ValidationError(
                _("该微信已绑定其他账号，请先在那个账号中解除绑定"), code="wechat_taken"
            ) from exc
        audit(actor=user, action="account.wechat_bind")


@transaction.atomic
def wechat_unbind(*, user: User) -> None:
    if user.wechat_openid:
        user.wechat_openid = ""
        user.save(update_fields=["wechat_openid"])
        audit(actor=user, action="account.wechat_unbind")


@transaction.atomic
def profile_update(
    *, user: User, name: str | None = None, email: str | None = None, language: str | None = None
) -> User:
    """A person corrects their own name, email or language."""
    from django.core.validators import validate_email

    fields: list[str] = []
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": _("请填写姓名")})
        user.name = name.strip()[:50]
        fields.append("name")
    if email is not None:
        if email.strip():
            try:
                validate_email(email.strip())
            except ValidationError as exc:
                raise ValidationError({"email": _("请输入有效的邮箱地址")}) from exc
        user.email = email.strip()
        fields.append("email")
    if language is not None:
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise ValidationError({"language": _("不支持的语言")})
        user.language = language
        fields.append("language")
    if fields:
        user.save(update_fields=fields)
        audit(actor=user, action="account.update", target=user, data={"fields": fields})
    return user


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


@transaction.atomic
def phone_visibility_set(*, user: User, show: bool) -> int:
    """A person chooses whether other members see their phone number unmasked, in every
    association they belong to. Returns how many member records changed."""
    changed = person_records().phone_visibility_set(user, show)
    audit(actor=user, action="account.phone_visibility", summary="show" if show else "hide")
    return changed


def phone_is_visible(user: User) -> bool:
    return person_records().phone_visible(user)
