"""A member applies to an offer their association chose, withdraws the consent, rates the
service.

Applying is an explicit consent: the member ticks, one by one, the fields they agree to share
with that named provider for the purpose the form states. The consent is recorded in the
member's association (``OfferApplication``) and the provider receives a ``Lead`` holding
exactly those values — written inside ``provider_context(offer.provider)``, nested in the
association's request (on PostgreSQL the lead's policy admits that provider only).
Withdrawing empties the lead's shared values and marks both records. A rating (1–5, with a
comment) is kept on the application, copied to the lead and counted on the offer — the offer
is the provider's to write (its policy), so the count changes inside the provider's context,
with a single ``UPDATE … SET rating_total = rating_total + n`` (never read, add, save)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.core.audit import audit
from shanghui.core.tenancy import provider_context
from shanghui.core.text import clean_text
from shanghui.core.types import Tenant
from shanghui.members.models import Member
from shanghui.providers.models import (
    ConsentField,
    Lead,
    Offer,
    OfferApplication,
    OfferChoice,
    Provider,
)
from shanghui.providers.selectors.offers import (
    applicant_members,
    consent_values,
    offer_purpose,
)
from shanghui.providers.services.leads import lead_notify_new

# Fields that describe the enterprise: only with a member enterprise the person represents.
ENTERPRISE_FIELDS = {ConsentField.ENTERPRISE, ConsentField.USCC, ConsentField.REGION}


@dataclass(frozen=True)
class ApplicationInput:
    """What the member ticked: the fields to share, the member enterprise they apply for
    (None: as a person) and the explicit agreement."""

    fields: list[str] = field(default_factory=list)
    member: Member | None = None
    agree: bool = False


def _shared(association: Tenant, user: User, data: ApplicationInput) -> dict[str, str]:
    """The consented fields with their values, in the order of ``ConsentField``; every
    refusal at once."""
    errors: dict[str, str] = {}
    wanted = {str(f) for f in data.fields}
    unknown = wanted - set(ConsentField.values)
    if unknown or not wanted:
        errors["shared_fields"] = _("请至少选择一项同意提供的信息")
    if data.member is not None and (
        data.member.association_id != association.pk
        or data.member.pk
        not in {m.pk for m in applicant_members(association=association, user=user)}
    ):
        errors["member"] = _("请选择您所代表的会员企业")
    elif data.member is None and wanted & ENTERPRISE_FIELDS:
        errors["member"] = _("提供企业信息需选择您所代表的会员企业")
    if data.agree is not True:
        errors["agree"] = _("请确认同意向该服务商提供所选信息")
    values = consent_values(user=user, member=data.member if "member" not in errors else None)
    shared = {}
    for name in ConsentField.values:
        if name not in wanted or ("member" in errors and name in ENTERPRISE_FIELDS):
            continue
        if not values[name]:
            errors.setdefault(
                "shared_fields",
                _("“%(label)s”没有可提供的内容，请取消勾选") % {"label": ConsentField(name).label},
            )
        shared[name] = values[name]
    if errors:
        raise ValidationError(errors)
    return shared


def application_create(
    *, association: Tenant, actor: User, offer: Offer, data: ApplicationInput
) -> OfferApplication:
    """``actor`` (a member of ``association``) applies to ``offer``, which the association
    chose and an approved provider publishes. Records the consent and writes the provider's
    lead with exactly the consented values; one open application per person and offer.
    Audit-logged without the shared values. Nothing is written when anything is refused."""
    shared = _shared(association, actor, data)
    try:
        with transaction.atomic():
            choice = (
                OfferChoice.objects.select_for_update()
                .filter(association_id=association.pk, offer_id=offer.pk)
                .first()
            )
            current = (
                Offer.objects.filter(
                    pk=offer.pk,
                    status=Offer.Status.PUBLISHED,
                    provider__status=Provider.Status.APPROVED,
                )
                .select_related("provider")
                .first()
            )
            if choice is None or current is None:
                raise ValidationError(_("该服务目前不接受申请"))
            if OfferApplication.objects.filter(
                association_id=association.pk,
                offer_id=offer.pk,
                user=actor,
                withdrawn_at__isnull=True,
            ).exists():
                raise ValidationError(_("您已申请过该服务，可在“我的服务申请”查看"))
            purpose = offer_purpose(current)
            application = OfferApplication.objects.create(
                association_id=association.pk,
                offer=current,
                provider=current.provider,
                member=data.member,
                user=actor,
                shared_fields=list(shared),
                purpose=purpose,
            )
            with provider_context(current.provider):
                lead = Lead.objects.create(
                    provider=current.provider,
                    offer=current,
                    association_id=association.pk,
                    application_id=application.pk,
                    shared=shared,
                    purpose=purpose,
                    consented_at=application.consented_at,
                )
            application.lead_id = lead.pk
            application.save(update_fields=["lead_id"])
            lead_notify_new(lead=lead, offer=current)
            audit(
                actor=actor,
                action="providers.application.create",
                association=association,
                target=application,
                summary=f"{current.provider.name} {current.title}",
                data={"fields": list(shared), "provider_id": current.provider_id},
            )
    except IntegrityError as exc:  # the one-open-application constraint, under a race
        raise ValidationError(_("您已申请过该服务，可在“我的服务申请”查看")) from exc
    return application


def _lock_own(association: Tenant, actor: User, application: OfferApplication) -> OfferApplication:
    locked = (
        OfferApplication.objects.select_for_update()
        .filter(association_id=association.pk, user=actor, pk=application.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(_("未找到该申请"))
    return locked


@transaction.atomic
def application_withdraw(
    *, association: Tenant, actor: User, application: OfferApplication
) -> OfferApplication:
    """``actor`` withdraws the consent of their own application: the provider's lead keeps
    no shared value from now on (its purpose, time and status stay, so the provider knows
    the member withdrew). Once; audit-logged."""
    locked = _lock_own(association, actor, application)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("您已撤回该授权"))
    now = timezone.now()
    locked.withdrawn_at = now
    locked.save(update_fields=["withdrawn_at"])
    if locked.lead_id is not None:
        provider = Provider.objects.get(pk=locked.provider_id)
        with provider_context(provider):
            Lead.objects.filter(pk=locked.lead_id, provider=provider).update(
                shared={}, withdrawn_at=now
            )
    audit(
        actor=actor,
        action="providers.application.withdraw",
        association=association,
        target=locked,
        summary=locked.purpose,
    )
    return locked


RATINGS = range(1, 6)


def _rating(value: object) -> int:
    try:
        rating = int(str(value))
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise ValidationError({"rating": _("请选择 1 到 5 星")})
    return rating


@transaction.atomic
def application_rate(
    *,
    association: Tenant,
    actor: User,
    application: OfferApplication,
    rating: object,
    comment: str = "",
) -> OfferApplication:
    """``actor`` rates the service of their own application (1–5 stars, a comment of up to
    300 characters) once its lead exists; rating again replaces the earlier rating. The
    lead shows it to the provider and the offer's count and total change by the difference
    in one conditional update inside the provider's context. Audit-logged."""
    stars = _rating(rating)
    text = clean_text(str(comment or "")).strip()
    if len(text) > 300:
        raise ValidationError({"comment": _("评价不能超过 300 个字")})
    locked = _lock_own(association, actor, application)
    if locked.lead_id is None:
        raise ValidationError(_("申请提交后才能评价"))
    before = locked.rating
    locked.rating, locked.rating_comment, locked.rated_at = stars, text, timezone.now()
    locked.save(update_fields=["rating", "rating_comment", "rated_at"])
    provider = Provider.objects.get(pk=locked.provider_id)
    with provider_context(provider):
        Lead.objects.filter(pk=locked.lead_id, provider=provider).update(
            rating=stars, rating_comment=text
        )
        Offer.objects.filter(pk=locked.offer_id, provider=provider).update(
            rating_total=F("rating_total") + (stars - (before or 0)),
            rating_count=F("rating_count") + (1 if before is None else 0),
        )
    audit(
        actor=actor,
        action="providers.application.rate",
        association=association,
        target=locked,
        summary=f"{stars}",
        data={"rating": stars, "before": before},
    )
    return locked
