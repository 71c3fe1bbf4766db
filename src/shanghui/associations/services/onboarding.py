"""Onboarding (入驻) — what touches only the association and its application: applying, and
rejecting. Approving an application, which makes the contact person the first administrator, is
``accounts.services.onboarding`` (roles stand above associations)."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.messages import ONBOARDING_REJECTED
from shanghui.associations.models import Association, OnboardingApplication
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.phone import normalize_mobile
from shanghui.core.regions import is_valid_region
from shanghui.core.storage.files import file_attach, file_store, store_refusals
from shanghui.core.tenancy import tenant_context
from shanghui.core.types import Account
from shanghui.core.uploads import validate_document_upload
from shanghui.core.uscc import validate_uscc

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{2,39}$")
RESERVED_SLUGS = {"admin", "api", "platform", "static", "media", "www", "join", "me", "new"}


@dataclass(frozen=True)
class OnboardingInput:
    name: str
    short_name: str
    slug: str
    kind: str
    region_code: str
    uscc: str
    founded_on: date | None
    introduction: str
    contact_name: str
    contact_phone: str
    contact_email: str
    note: str
    accept_privacy: bool


def validate_slug(raw: str) -> str:
    slug = raw.strip().lower()
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS or "--" in slug:
        raise ValidationError(
            {"slug": _("网址标识须为 3–40 位小写字母、数字或连字符，并以字母开头")}
        )
    return slug


def _clean_onboarding(data: OnboardingInput) -> dict[str, str]:
    errors: dict[str, list[str]] = {}

    def check(field: str, fn: Callable[[], str]) -> str:
        try:
            return fn()
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)
            return ""

    cleaned: dict[str, str] = {
        "name": data.name.strip(),
        "short_name": data.short_name.strip() or data.name.strip()[:30],
        "slug": check("slug", lambda: validate_slug(data.slug)),
        "uscc": check("uscc", lambda: validate_uscc(data.uscc)),
        "contact_phone": check("contact_phone", lambda: normalize_mobile(data.contact_phone)),
    }
    if len(str(cleaned["name"])) < 4:
        errors.setdefault("name", []).append(_("请填写登记证书上的商协会全称"))
    if data.kind not in Association.Kind.values:
        errors.setdefault("kind", []).append(_("请选择商协会类型"))
    if not is_valid_region(data.region_code):
        errors.setdefault("region_code", []).append(_("请选择有效的所在地区"))
    if not data.contact_name.strip():
        errors.setdefault("contact_name", []).append(_("请填写联系人姓名"))
    if not data.accept_privacy:
        errors.setdefault("accept_privacy", []).append(_("请阅读并同意隐私政策"))
    if data.founded_on and data.founded_on > timezone.localdate():
        errors.setdefault("founded_on", []).append(_("成立日期不能晚于今天"))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_not_taken(cleaned: dict[str, str], reusable: Association | None) -> None:
    others = Association.objects.exclude(pk=reusable.pk) if reusable else Association.objects.all()
    errors: dict[str, str] = {}
    if others.filter(uscc=cleaned["uscc"]).exists():
        errors["uscc"] = _("该统一社会信用代码的商协会已在平台入驻或正在审核")
    if others.filter(name=cleaned["name"]).exists():
        errors["name"] = _("同名商协会已在平台入驻或正在审核")
    if others.filter(slug=cleaned["slug"]).exists():
        errors["slug"] = _("该网址标识已被使用，请换一个")
    if errors:
        raise ValidationError(errors)


CERTIFICATE_HOLDER = "associations.onboardingapplication.certificate"


def _reusable(uscc: str) -> Association | None:
    """The association a new application with this credit code takes over: a rejected one
    applying again, or one whose application was interrupted (applying, none under review:
    its certificate could not be stored — see ``onboarding_apply``)."""
    under_review = OnboardingApplication.objects.filter(
        status=OnboardingApplication.Status.PENDING
    ).values("association_id")
    return (
        Association.objects.filter(uscc=uscc)
        .filter(
            Q(status=Association.Status.REJECTED)
            | (Q(status=Association.Status.APPLYING) & ~Q(pk__in=under_review))
        )
        .first()
    )


def _association_claim(cleaned: dict[str, str], data: OnboardingInput) -> Association:
    """The applying association's row, made — or a reusable one taken over — and committed:
    its certificate is stored under its namespace next."""
    with transaction.atomic():
        reusable = _reusable(cleaned["uscc"])
        _check_not_taken(cleaned, reusable)
        fields = {
            "name": cleaned["name"],
            "short_name": cleaned["short_name"],
            "slug": cleaned["slug"],
            "kind": data.kind,
            "region_code": data.region_code,
            "uscc": cleaned["uscc"],
            "founded_on": data.founded_on,
            "introduction": data.introduction.strip(),
            "status": Association.Status.APPLYING,
        }
        try:
            with transaction.atomic():
                if reusable:
                    for key, value in fields.items():
                        setattr(reusable, key, value)
                    reusable.save(update_fields=list(fields))
                    return reusable
                return Association.objects.create(**fields)
        except IntegrityError as exc:  # a concurrent application took the name, code or slug
            raise ValidationError(_("该商协会已提交入驻申请，请勿重复提交")) from exc


def onboarding_apply(
    *,
    actor: Account | None,
    data: OnboardingInput,
    certificate: UploadedFile,
    privacy_notice: str,
) -> OnboardingApplication:
    """An association applies to join the platform. A rejected applicant may apply again with
    the same credit code; anything already on the platform or under review is refused.
    ``privacy_notice`` is the version of the notice the applicant accepted (audited).

    The certificate is a stored file of the applying association, so its row is made first
    (committed, status "applying"), then the certificate's bytes are stored under its
    namespace with no transaction open (``core.storage.files``), then the application is made
    and holds it. An application stopped between these steps leaves an association applying
    with none under review, which the next application with its credit code takes over."""
    cleaned = _clean_onboarding(data)
    validate_document_upload(certificate, field="certificate")
    association = _association_claim(cleaned, data)
    certificate.seek(0)
    with store_refusals("certificate"):
        stored = file_store(
            association,
            certificate,
            holder=CERTIFICATE_HOLDER,
            name=certificate.name or "certificate",
            by=actor,
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = OnboardingApplication.objects.create(
                    association=association,
                    contact_name=data.contact_name.strip(),
                    contact_phone=cleaned["contact_phone"],
                    contact_email=data.contact_email.strip(),
                    note=data.note.strip(),
                )
        except IntegrityError as exc:  # another application of it arrived meanwhile
            raise ValidationError(_("该商协会已提交入驻申请，请勿重复提交")) from exc
        with tenant_context(association):
            file_attach(application, "certificate", stored)
        audit(
            actor=actor,
            action="onboarding.apply",
            target=application,
            summary=association.name,
            data={"privacy_notice": privacy_notice},
        )
    return application


def onboarding_require_pending(application: OnboardingApplication) -> None:
    """Refuses a decision on an application that was decided already (two operators at once)."""
    if application.status != OnboardingApplication.Status.PENDING:
        raise ValidationError(_("该申请已处理，请刷新页面"), code="already_decided")


@transaction.atomic
def onboarding_reject(
    *, actor: Account, application: OnboardingApplication, reason: str
) -> OnboardingApplication:
    """Rejects an application with a reason the applicant is told by SMS/email."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写驳回理由")})
    application = OnboardingApplication.objects.select_for_update().get(pk=application.pk)
    onboarding_require_pending(application)
    application.status = OnboardingApplication.Status.REJECTED
    application.decision_reason = reason
    application.reviewed_by_id = actor.pk
    application.reviewed_at = timezone.now()
    application.save(update_fields=["status", "decision_reason", "reviewed_by", "reviewed_at"])
    association = application.association
    association.status = Association.Status.REJECTED
    association.save(update_fields=["status"])
    notify(
        association=association,
        kind=ONBOARDING_REJECTED,
        to=Recipient(phone=application.contact_phone, email=application.contact_email),
        params={"name": association.name, "reason": reason},
    )
    audit(actor=actor, action="onboarding.reject", target=application, summary=reason)
    return application
