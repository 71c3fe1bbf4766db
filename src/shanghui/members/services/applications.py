"""Online applications to join an association (入会申请): filing, amending, and the
secretariat's review. Approval admits the member through ``member_create`` and gives the
applicant an account through ``person_role_grant`` — the same services every other path uses."""

import re
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.invitations import person_role_grant
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.chinese import normalize_query
from shanghui.core.models import StoredFile
from shanghui.core.notifications import Recipient, notify
from shanghui.core.phone import normalize_mobile
from shanghui.core.ratelimit import rate_hit
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.storage.content import ContentTooLarge, QuotaExceeded, size_label
from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.uploads import validate_document_upload
from shanghui.members import messages
from shanghui.members.models import (
    ApplicationReferrer,
    Level,
    Member,
    MembershipApplication,
    Person,
)
from shanghui.members.services.members import (
    MemberInput,
    RepresentativeInput,
    clean_member_input,
    member_create,
)
from shanghui.members.services.policy import membership_policy
from shanghui.members.todos import APPLICATIONS_VERSION

AMEND_SALT = "shanghui.members.application.amend"
AMEND_MAX_AGE = 30 * 24 * 3600
# The policy asks for at most 10 referrers (forms.PolicyForm).
MAX_REFERRERS = 10
_REFERRER_SEPARATORS = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class ReferrerInput:
    """A referrer as the applicant names them: member number and full name, together."""

    member_no: str
    name: str

    def __str__(self) -> str:
        return f"{self.member_no} {self.name}".strip()[:80]


def referrers_parse(text: str) -> list[ReferrerInput]:
    """The referrers typed into the form (or the API's ``referrers``): entries separated by
    commas or new lines, each the member number, a space, then the member's full name —
    "GDJX-00012 广州华通科技有限公司, GDJX-00031 赣州稀土集团有限公司"."""
    found = []
    for entry in _REFERRER_SEPARATORS.split(text or ""):
        parts = entry.split(maxsplit=1)
        if parts:
            found.append(ReferrerInput(parts[0], parts[1].strip() if len(parts) > 1 else ""))
    return found


@dataclass(frozen=True)
class ApplicationInput:
    kind: str
    name: str
    applicant_name: str
    applicant_phone: str
    uscc: str = ""
    legal_representative: str = ""
    industry_code: str = ""
    region_code: str = ""
    address: str = ""
    hometown_code: str = ""
    introduction: str = ""
    applicant_title: str = ""
    level_id: int | None = None
    referrers: list[ReferrerInput] = field(default_factory=list)
    accept_privacy: bool = False

    def member_input(self) -> MemberInput:
        return MemberInput(
            kind=self.kind,
            name=self.name,
            uscc=self.uscc,
            legal_representative=self.legal_representative,
            industry_code=self.industry_code,
            region_code=self.region_code,
            address=self.address,
            hometown_code=self.hometown_code,
            introduction=self.introduction,
            level_id=self.level_id,
            representatives=[
                RepresentativeInput(
                    name=self.applicant_name, phone=self.applicant_phone, title=self.applicant_title
                )
            ],
        )


def _referrer_members(association: Association, references: list[ReferrerInput]) -> list[Member]:
    """Checks each referrer — a member number and that member's full name, given together —
    against the association's members in good standing, and the association's rule on how
    many and of which level. The public form must not look members up for strangers (it
    once gave names and levels for sequential member numbers): a referrer is only valid or
    invalid, with the same message whatever is wrong (an unknown number, another member's
    name, a member not in good standing or below the level), and each one checked counts
    against ``referrer_check`` for the client's address (``RateLimited`` past it)."""
    policy = membership_policy(association)
    if len(references) > MAX_REFERRERS:
        raise ValidationError(
            {"referrers": [_("介绍人最多填写 %(count)d 位") % {"count": MAX_REFERRERS}]}
        )
    address = (current_origin.get() or Origin()).ip or "-"
    found: list[Member] = []
    errors: list[str] = []
    for ref in references:
        if not (ref.member_no and ref.name):
            errors.append(
                _("介绍人“%(ref)s”：请同时填写会员编号和企业全称，中间空一格") % {"ref": ref}
            )
            continue
        rate_hit("referrer_check", address)
        member = _referrer(association, ref, policy.referrer_min_level)
        if member is None:
            errors.append(_("介绍人“%(ref)s”无效，请核对会员编号和企业全称") % {"ref": ref})
        elif member not in found:
            found.append(member)
    if policy.required_referrers and len(found) < policy.required_referrers and not errors:
        errors.append(_("本会入会需要 %(count)d 位介绍人") % {"count": policy.required_referrers})
    if errors:
        raise ValidationError({"referrers": errors})
    return found


def _referrer(
    association: Association, ref: ReferrerInput, min_level: Level | None
) -> Member | None:
    """The member ``ref`` names when it may refer applicants, else None. By the number (as
    typed or in capitals: one index lookup), then its name compared as the directory reads
    names (Traditional input, spaces and brackets do not matter)."""
    candidates = Member.objects.filter(
        association=association,
        status=Member.Status.ACTIVE,
        member_no__in={ref.member_no, ref.member_no.upper()},
    ).select_related("level")
    for member in candidates:
        if normalize_query(member.name) != normalize_query(ref.name):
            continue
        if min_level is not None and (member.level is None or member.level.rank > min_level.rank):
            return None
        return member
    return None


LICENCE_HOLDER = "members.membershipapplication.licence"


def licence_store(association: Association, licence: UploadedFile) -> StoredFile:
    """Stores a business licence that passed ``validate_document_upload`` — with no
    transaction open — as a file not yet attached to its application. The size and quota
    refusals on ``licence``: the applicant cannot free the association's space, so they are
    told to ask the secretariat."""
    licence.seek(0)
    try:
        return file_store(
            association, licence, holder=LICENCE_HOLDER, name=licence.name or "licence"
        )
    except ContentTooLarge as error:
        raise ValidationError(
            {"licence": _("文件不能超过 %(size)s") % {"size": size_label(error.limit)}}
        ) from None
    except QuotaExceeded:
        raise ValidationError(
            {"licence": _("商会的存储空间已满，暂时无法接收营业执照，请联系商会秘书处")},
            code="quota",
        ) from None


def application_submit(
    *, association: Association, data: ApplicationInput, licence: UploadedFile | None
) -> MembershipApplication:
    """Files an application from the public page. Validated like a member the secretariat
    adds (credit code, phone, codes); the applicant is told by SMS that it arrived. An
    enterprise's licence goes into the content store once everything else passed, before
    the application's transaction opens (``core.storage.files``)."""
    errors: dict[str, list[str]] = {}
    try:
        clean_member_input(association=association, data=data.member_input())
    except ValidationError as exc:
        errors.update(
            {
                key.replace("representatives.0.", "applicant_"): value
                for key, value in exc.message_dict.items()
            }
        )
    try:
        phone = normalize_mobile(data.applicant_phone)
    except ValidationError as exc:
        errors["applicant_phone"] = exc.messages
        phone = ""
    if not data.applicant_name.strip():
        errors["applicant_name"] = [_("请填写申请人姓名")]
    if not data.accept_privacy:
        errors["accept_privacy"] = [_("请阅读并同意隐私政策")]
    if data.kind == Member.Kind.ENTERPRISE:
        try:
            validate_document_upload(licence, field="licence")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    pending = MembershipApplication.objects.filter(
        association=association,
        status__in=[
            MembershipApplication.Status.SUBMITTED,
            MembershipApplication.Status.NEEDS_INFO,
        ],
    )
    if phone and pending.filter(applicant_phone=phone, name=data.name.strip()).exists():
        errors["name"] = [_("您已提交过该申请，请等待秘书处审核")]
    try:
        referrers = _referrer_members(association, data.referrers)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        referrers = []
    if errors:
        raise ValidationError(errors)
    stored = (
        licence_store(association, licence)
        if data.kind == Member.Kind.ENTERPRISE and licence is not None
        else None
    )
    with transaction.atomic():
        return _application_create(association, data, phone, referrers, stored)


def _application_create(
    association: Association,
    data: ApplicationInput,
    phone: str,
    referrers: list[Member],
    licence: StoredFile | None,
) -> MembershipApplication:
    member_input = data.member_input()
    cleaned = clean_member_input(association=association, data=member_input)
    application = MembershipApplication.objects.create(
        association=association,
        kind=data.kind,
        name=str(cleaned["name"]),
        uscc=str(cleaned["uscc"]),
        legal_representative=str(cleaned["legal_representative"]),
        industry_code=str(cleaned["industry_code"]),
        region_code=str(cleaned["region_code"]),
        address=str(cleaned["address"]),
        hometown_code=str(cleaned["hometown_code"]),
        introduction=str(cleaned["introduction"]),
        level=cast(Level | None, cleaned["level"]),
        applicant_name=data.applicant_name.strip(),
        applicant_phone=phone,
        applicant_title=data.applicant_title.strip(),
    )
    if licence is not None:
        file_attach(application, "licence", licence)
    ApplicationReferrer.objects.bulk_create(
        [
            ApplicationReferrer(association=association, application=application, member=m)
            for m in referrers
        ]
    )
    bump(association.pk, APPLICATIONS_VERSION)  # the sidebar's 待审核 count
    notify(
        association=association,
        kind=messages.APPLICATION_RECEIVED,
        to=Recipient(phone=phone),
        params={"association": association.short_name, "name": application.name},
    )
    audit(
        actor=None,
        action="member_application.submit",
        association=association,
        target=application,
        summary=application.name,
    )
    return application


def pending_applications(association: Association) -> QuerySet[MembershipApplication]:
    return MembershipApplication.objects.filter(association=association).order_by(
        "-created_at", "-id"
    )


def access_member_application(
    *, association: Association, application_id: int
) -> MembershipApplication:
    """An application of ``association``; the same 404 for missing and foreign ids."""
    application = (
        MembershipApplication.objects.filter(association=association, pk=application_id)
        .select_related("level", "member", "reviewed_by")
        .prefetch_related("referrers__member")
        .first()
    )
    if application is None:
        raise Http404
    return application


def _open(application: MembershipApplication) -> MembershipApplication:
    locked = MembershipApplication.objects.select_for_update().get(
        association=application.association, pk=application.pk
    )
    if locked.status not in {
        MembershipApplication.Status.SUBMITTED,
        MembershipApplication.Status.NEEDS_INFO,
    }:
        raise ValidationError(_("该申请已处理，请刷新页面"), code="already_decided")
    return locked


def _decided(
    application: MembershipApplication, actor: User, status: str, **fields: object
) -> None:
    application.status = status
    application.reviewed_by = actor
    application.reviewed_at = timezone.now()
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["status", "reviewed_by", "reviewed_at", *fields])
    bump(application.association_id, APPLICATIONS_VERSION)


@transaction.atomic
def application_approve(
    *, association: Association, actor: User, application: MembershipApplication
) -> Member:
    """Admits the applicant: the member is created (numbered, history recorded), the applicant
    becomes its representative with a member account and an invitation to set a password."""
    application = _open(application)
    data = ApplicationInput(
        kind=application.kind,
        name=application.name,
        uscc=application.uscc,
        legal_representative=application.legal_representative,
        industry_code=application.industry_code,
        region_code=application.region_code,
        address=application.address,
        hometown_code=application.hometown_code,
        introduction=application.introduction,
        level_id=application.level_id,
        applicant_name=application.applicant_name,
        applicant_phone=application.applicant_phone,
        applicant_title=application.applicant_title,
    )
    member = member_create(
        association=association, actor=actor, data=data.member_input(), reason=_("入会申请通过")
    )
    role = person_role_grant(
        association=association,
        actor=actor,
        phone=application.applicant_phone,
        name=application.applicant_name,
        role_kind=Role.Kind.MEMBER,
    )
    Person.objects.filter(
        association=association, phone=application.applicant_phone, user__isnull=True
    ).update(user=role.user)
    _decided(application, actor, MembershipApplication.Status.APPROVED, member=member)
    notify(
        association=association,
        kind=messages.APPLICATION_APPROVED,
        to=Recipient(phone=application.applicant_phone, user_id=role.user_id),
        params={"name": member.name, "association": association.short_name, "no": member.member_no},
    )
    audit(
        actor=actor,
        action="member_application.approve",
        association=association,
        target=application,
        summary=member.name,
    )
    return member


@transaction.atomic
def application_reject(
    *, association: Association, actor: User, application: MembershipApplication, reason: str
) -> MembershipApplication:
    if not reason.strip():
        raise ValidationError({"reason": _("请填写驳回理由")})
    application = _open(application)
    _decided(
        application, actor, MembershipApplication.Status.REJECTED, decision_reason=reason.strip()
    )
    notify(
        association=association,
        kind=messages.APPLICATION_REJECTED,
        to=Recipient(phone=application.applicant_phone),
        params={
            "association": association.short_name,
            "name": application.name,
            "reason": reason.strip(),
        },
    )
    audit(
        actor=actor,
        action="member_application.reject",
        association=association,
        target=application,
        summary=reason.strip(),
    )
    return application


def amend_token(application: MembershipApplication) -> str:
    return signing.dumps({"a": application.association_id, "id": application.pk}, salt=AMEND_SALT)


def access_amendable_application(
    *, association: Association, application_id: int, token: str
) -> MembershipApplication:
    """The application an applicant may amend with the signed link from their SMS."""
    try:
        payload = signing.loads(token, salt=AMEND_SALT, max_age=AMEND_MAX_AGE)
    except signing.BadSignature as exc:
        raise Http404 from exc
    if payload != {"a": association.pk, "id": application_id}:
        raise Http404
    application = access_member_application(association=association, application_id=application_id)
    if application.status != MembershipApplication.Status.NEEDS_INFO:
        raise ValidationError(_("该申请当前无需补充资料"), code="not_needed")
    return application


@transaction.atomic
def application_request_info(
    *, association: Association, actor: User, application: MembershipApplication, request: str
) -> MembershipApplication:
    """Asks the applicant for more information; they get an SMS with a link to amend."""
    if not request.strip():
        raise ValidationError({"request": _("请写明需要补充的资料")})
    application = _open(application)
    _decided(
        application, actor, MembershipApplication.Status.NEEDS_INFO, info_request=request.strip()
    )
    link = (
        f"{settings.SITE_URL}/a/{association.slug}/join/{application.pk}/amend/"
        f"?t={amend_token(application)}"
    )
    notify(
        association=association,
        kind=messages.APPLICATION_NEEDS_INFO,
        to=Recipient(phone=application.applicant_phone),
        params={"association": association.short_name, "request": request.strip(), "link": link},
    )
    audit(
        actor=actor,
        action="member_application.request_info",
        association=association,
        target=application,
        summary=request.strip(),
    )
    return application


def application_amend(
    *,
    association: Association,
    application: MembershipApplication,
    introduction: str,
    licence: UploadedFile | None,
) -> MembershipApplication:
    """The applicant supplies what was asked for; the application goes back for review. A
    licence uploaded again becomes the current one, the earlier kept as a version."""
    stored = None
    if licence is not None:
        validate_document_upload(licence, field="licence")
        stored = licence_store(association, licence)
    with transaction.atomic():
        return _application_amended(association, application, introduction, stored)


def _application_amended(
    association: Association,
    application: MembershipApplication,
    introduction: str,
    licence: StoredFile | None,
) -> MembershipApplication:
    application = _open(application)
    fields = ["status", "introduction", "updated_at"]
    if licence is not None:
        file_attach(application, "licence", licence)
    application.introduction = introduction.strip() or application.introduction
    application.status = MembershipApplication.Status.SUBMITTED
    application.save(update_fields=fields)
    bump(association.pk, APPLICATIONS_VERSION)
    audit(
        actor=None, action="member_application.amend", association=association, target=application
    )
    return application


def levels_for_applicants(association: Association) -> list[Level]:
    return list(Level.objects.filter(association=association, is_active=True))
