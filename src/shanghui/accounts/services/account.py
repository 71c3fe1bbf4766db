"""The person's own account: the privacy notice and consent, creating an account by phone, the
profile, whether members see the phone, the WeChat binding."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import (
    Consent,
    PrivacyNotice,
    User,
)
from shanghui.accounts.person_records import person_records
from shanghui.core import wechat
from shanghui.core.audit import audit
from shanghui.core.phone import normalize_mobile
from shanghui.core.request_context import Origin, current_origin


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
def phone_visibility_set(*, user: User, show: bool) -> int:
    """A person chooses whether other members see their phone number unmasked, in every
    association they belong to. Returns how many member records changed."""
    changed = person_records().phone_visibility_set(user, show)
    audit(actor=user, action="account.phone_visibility", summary="show" if show else "hide")
    return changed


def phone_is_visible(user: User) -> bool:
    return person_records().phone_visible(user)
