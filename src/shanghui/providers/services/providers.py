"""Providers applying to the platform, the operator's decision, and the provider's users.

An organization applies with the licence its category needs (``LICENCES``); the scan is kept in
the platform's namespace of the content store (no association owns it) and only operators
download it. Approving makes the applicant the provider's first administrator
(``ProviderUser`` admin, written inside ``provider_context``); a provider administrator adds
and removes users by phone. Every change is audit-logged on the platform (``providers.*``)."""

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.core.audit import audit
from shanghui.core.notifications import NotSent, Recipient, notify
from shanghui.core.phone import normalize_mobile
from shanghui.core.regions import is_valid_region
from shanghui.core.storage.stores import ContentTooLarge, block_size, content_store, key_of
from shanghui.core.tenancy import provider_context
from shanghui.core.text import clean_text
from shanghui.core.uscc import is_valid_uscc
from shanghui.providers import messages
from shanghui.providers.models import LICENCES, Category, Provider, ProviderUser

LICENCE_MAX_BYTES = 10 * 1024 * 1024
LICENCE_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}
LICENCE_NAMESPACE = "platform"


@dataclass(frozen=True)
class ProviderApplicationInput:
    name: str
    category: str
    uscc: str
    licence_number: str
    region_code: str
    contact_name: str
    contact_phone: str
    introduction: str = ""
    website: str = ""


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = clean_text(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("%(label)s不能超过 %(n)d 个字") % {"label": label, "n": max_length}}
        )
    return text


def _cleaned(data: ProviderApplicationInput) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    checks = (
        ("name", _("机构名称"), 100, True),
        ("licence_number", _("许可证编号"), 60, True),
        ("contact_name", _("联系人"), 50, True),
        ("introduction", _("机构简介"), 2000, False),
    )
    for field, label, max_length, required in checks:
        try:
            out[field] = _text(
                getattr(data, field),
                field=field,
                label=label,
                max_length=max_length,
                required=required,
            )
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.message_dict[field])
    if data.category not in Category.values:
        errors.setdefault("category", []).append(_("请选择机构类别"))
    out["category"] = data.category
    uscc = (data.uscc or "").strip().upper()
    if not is_valid_uscc(uscc):
        errors.setdefault("uscc", []).append(_("统一社会信用代码无效，请核对 18 位代码"))
    out["uscc"] = uscc
    if not is_valid_region(data.region_code or ""):
        errors.setdefault("region_code", []).append(_("请选择所在地区"))
    out["region_code"] = data.region_code
    try:
        out["contact_phone"] = normalize_mobile(data.contact_phone)
    except ValidationError as exc:
        errors.setdefault("contact_phone", []).extend(exc.messages)
    website = (data.website or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.setdefault("website", []).append(_("请填写以 http:// 或 https:// 开头的网址"))
    out["website"] = website
    # A rejected organization may apply again (``provider_apply`` reopens its row).
    taken = Provider.objects.filter(name=out.get("name", "")).exclude(
        status=Provider.Status.REJECTED
    )
    if out.get("name") and taken.exists():
        errors.setdefault("name", []).append(_("该机构已提交过入驻申请"))
    if errors:
        raise ValidationError(errors)
    return out


def licence_store(source: IO[bytes], *, name: str) -> str:
    """Stores a licence scan in the platform's namespace; answers its key. Refuses files other
    than PDF/JPG/PNG and files over 10 MB with a ``ValidationError`` on ``licence``."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in LICENCE_EXTENSIONS:
        raise ValidationError({"licence": _("许可证扫描件请上传 PDF、JPG 或 PNG 文件")})
    store = content_store()
    try:
        spool = store.spool(LICENCE_NAMESPACE, source, max_bytes=LICENCE_MAX_BYTES)
    except ContentTooLarge:
        raise ValidationError({"licence": _("许可证扫描件不能超过 10 MB")}) from None
    try:
        if spool.digest.size == 0:
            raise ValidationError({"licence": _("许可证扫描件是空文件")})
        key = key_of(LICENCE_NAMESPACE, spool.digest.sha256)
        if not store.exists(key):
            store.put(key, spool)
    finally:
        spool.discard()
    return key


def licence_blocks(provider: Provider) -> Iterator[bytes]:
    """The stored licence scan's bytes (operators only; the caller checks)."""
    return content_store().blocks(provider.licence_file_key, block_size())


def _new_slug() -> str:
    while True:
        slug = f"sp{secrets.token_hex(4)}"
        if not Provider.objects.filter(slug=slug).exists():
            return slug


def provider_apply(
    *,
    actor: User,
    data: ProviderApplicationInput,
    licence: IO[bytes] | None,
    licence_name: str = "",
) -> Provider:
    """A signed-in person applies for an organization; the provider is pending until an
    operator decides. The licence scan is required. Nothing is kept when anything is refused
    (the scan may stay in the store, unreferenced, as content does until purged)."""
    fields = _cleaned(data)
    if licence is None:
        raise ValidationError(
            {"licence": _("请上传%(licence)s扫描件") % {"licence": LICENCES[data.category]}}
        )
    key = licence_store(licence, name=licence_name)
    with transaction.atomic():
        rejected = (
            Provider.objects.select_for_update()
            .filter(name=fields["name"], status=Provider.Status.REJECTED)
            .first()
        )
        if rejected is not None:  # applying again after a rejection: the same row, pending
            for name, value in fields.items():
                setattr(rejected, name, value)
            rejected.status = Provider.Status.PENDING
            rejected.licence_file_key = key
            rejected.licence_file_name = clean_text(licence_name)[:200]
            rejected.applicant = actor
            rejected.decision_reason = ""
            rejected.reviewed_by = None
            rejected.reviewed_at = None
            rejected.save()
            provider = rejected
        else:
            provider = Provider.objects.create(
                **fields,
                slug=_new_slug(),
                licence_file_key=key,
                licence_file_name=clean_text(licence_name)[:200],
                applicant=actor,
            )
        audit(
            actor=actor, action="providers.provider.apply", target=provider, summary=provider.name
        )
    return provider


def _notify_applicant(provider: Provider, *, decision: str) -> None:
    applicant = provider.applicant
    if applicant is None:
        return
    # The decision stands if no channel delivered it: the applicant sees it on the apply page.
    with contextlib.suppress(NotSent):
        notify(
            association=None,
            kind=messages.DECISION,
            to=Recipient(
                phone=applicant.phone or "", email=applicant.email or "", name=applicant.name
            ),
            params={
                "provider": provider.name,
                "decision": decision,
                "reason": provider.decision_reason,
            },
        )


def _decide(provider: Provider, *, actor: User, status: str, reason: str) -> None:
    provider.status = status
    provider.decision_reason = reason
    provider.reviewed_by = actor
    provider.reviewed_at = timezone.now()
    provider.save(update_fields=["status", "decision_reason", "reviewed_by", "reviewed_at"])
    audit(
        actor=actor,
        action=f"providers.provider.{status}",
        target=provider,
        summary=f"{provider.name} {reason}"[:300],
    )


@transaction.atomic
def provider_approve(*, actor: User, provider: Provider) -> Provider:
    """Operators only (the caller checks). A pending or suspended provider becomes approved;
    its applicant becomes its first administrator in the back office."""
    if provider.status == Provider.Status.APPROVED:
        return provider
    if provider.status == Provider.Status.REJECTED:
        raise ValidationError(_("已驳回的申请不能再通过，请申请人重新提交"))
    _decide(provider, actor=actor, status=Provider.Status.APPROVED, reason="")
    if provider.applicant_id is not None:
        with provider_context(provider):
            ProviderUser.objects.get_or_create(
                provider=provider,
                user_id=provider.applicant_id,
                defaults={"kind": ProviderUser.Kind.ADMIN},
            )
    _notify_applicant(provider, decision=_("已通过"))
    return provider


def _reason(reason: str) -> str:
    text = _text(reason, field="reason", label=_("理由"), max_length=300)
    return text


@transaction.atomic
def provider_reject(*, actor: User, provider: Provider, reason: str) -> Provider:
    """Operators only. A pending application is refused with a reason the applicant reads."""
    if provider.status != Provider.Status.PENDING:
        raise ValidationError(_("只能驳回待审核的申请"))
    _decide(provider, actor=actor, status=Provider.Status.REJECTED, reason=_reason(reason))
    _notify_applicant(provider, decision=_("未通过"))
    return provider


@transaction.atomic
def provider_suspend(*, actor: User, provider: Provider, reason: str) -> Provider:
    """Operators only. An approved provider's back office closes (the door admits approved
    providers only) and its offers leave every association's list."""
    if provider.status != Provider.Status.APPROVED:
        raise ValidationError(_("只能暂停已认证的服务商"))
    _decide(provider, actor=actor, status=Provider.Status.SUSPENDED, reason=_reason(reason))
    _notify_applicant(provider, decision=_("已暂停"))
    return provider


# --- The provider's users ------------------------------------------------------------------


def _require_admin(membership: ProviderUser) -> None:
    if membership.kind != ProviderUser.Kind.ADMIN:
        raise PermissionDenied


@transaction.atomic
def provider_user_add(
    *, actor: User, membership: ProviderUser, phone: str, kind: str = ProviderUser.Kind.STAFF
) -> ProviderUser:
    """A provider administrator (``membership``, the caller's own place, inside the provider's
    context) adds the person registered with ``phone``."""
    _require_admin(membership)
    provider = membership.provider
    try:
        digits = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if kind not in ProviderUser.Kind.values:
        raise ValidationError({"kind": _("请选择身份")})
    user = User.objects.filter(phone=digits, is_active=True).first()
    if user is None:
        raise ValidationError({"phone": _("该手机号尚未注册云商会账号，请对方先注册")})
    if ProviderUser.objects.filter(provider=provider, user=user).exists():
        raise ValidationError({"phone": _("此人已是本机构的后台用户")})
    added = ProviderUser.objects.create(provider=provider, user=user, kind=kind)
    audit(
        actor=actor,
        action="providers.user.add",
        target=added,
        summary=f"{provider.name} {user.name}"[:300],
    )
    return added


@transaction.atomic
def provider_user_remove(*, actor: User, membership: ProviderUser, removed: ProviderUser) -> None:
    """A provider administrator removes a user; the last administrator stays."""
    _require_admin(membership)
    provider = membership.provider
    if removed.kind == ProviderUser.Kind.ADMIN:
        admins = ProviderUser.objects.filter(provider=provider, kind=ProviderUser.Kind.ADMIN)
        if admins.count() <= 1:
            raise ValidationError(_("至少保留一名管理员"))
    audit(
        actor=actor,
        action="providers.user.remove",
        target=removed,
        summary=f"{provider.name} {removed.user.name}"[:300],
    )
    removed.delete()
