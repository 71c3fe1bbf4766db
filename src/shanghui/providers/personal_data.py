"""What the providers app keeps about a person, for their personal-data export and account
deletion (``accounts.personal_data`` describes the contract).

In an association: their applications to providers' offers — the consent (which fields, to
which provider, for what purpose, when, withdrawn when), the values the provider received and
their rating. As the account is deleted every consent still holding is withdrawn: the
providers' leads keep none of the person's values; the applications stay, unlinked, in the
association's figures.

Outside any association (``platform_tables``, ``platform_unlink``): the providers they applied
for and their places in providers' back offices. Deleting the account ends those places (each
removed inside its provider's context, as its policy requires); the applications stay the
platform's record of the organization, with the applicant's account anonymized by accounts."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.tenancy import person_context, provider_context
from shanghui.providers.models import (
    ConsentField,
    Lead,
    OfferApplication,
    Provider,
    ProviderUser,
)
from shanghui.providers.selectors.offers import attach_offers
from shanghui.providers.services.applications import application_withdraw


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context`` (the applications' person policy)."""
    return set(
        OfferApplication.objects.filter(user=user)
        .values_list("association_id", flat=True)
        .distinct()
    )


def _received(application: OfferApplication) -> dict[str, str]:
    """What the provider holds from this application now (empty once withdrawn)."""
    if application.lead_id is None:
        return {}
    provider = Provider.objects.get(pk=application.provider_id)
    with provider_context(provider):
        lead = Lead.objects.filter(pk=application.lead_id, provider=provider).first()
    return dict(lead.shared) if lead is not None else {}


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    applications = attach_offers(
        list(
            OfferApplication.objects.filter(association=association, user=user)
            .select_related("provider", "member")
            .order_by("consented_at", "id")
        )
    )
    labels = dict(ConsentField.choices)
    rows = []
    for a in applications:
        received = _received(a)
        offer = getattr(a, "shown_offer", None)
        rows.append(
            {
                _("服务"): offer.title if offer is not None else "",
                _("服务商"): a.provider.name,
                _("申请企业"): a.member.name if a.member else "",
                _("同意提供的信息"): "、".join(str(labels.get(f, f)) for f in a.shared_fields),
                _("服务商持有的信息"): "；".join(
                    f"{labels.get(k, k)}：{v}" for k, v in received.items()
                ),
                _("用途"): a.purpose,
                _("授权时间"): a.consented_at,
                _("撤回时间"): a.withdrawn_at,
                _("评分"): a.rating,
                _("评价"): a.rating_comment,
            }
        )
    return {_("会员服务申请与授权"): rows}


def unlink(*, association: Association, user: User) -> None:
    """Inside ``association``'s tenant context, as the account is deleted: every consent
    still holding is withdrawn (the leads are emptied), then the applications are unlinked
    from the account."""
    for application in OfferApplication.objects.filter(
        association=association, user=user, withdrawn_at__isnull=True
    ):
        application_withdraw(association=association, actor=user, application=application)
    OfferApplication.objects.filter(association=association, user=user).update(user=None)


def _places(user: User) -> list[ProviderUser]:
    with person_context(user):
        return list(
            ProviderUser.objects.filter(user=user).select_related("provider").order_by("pk")
        )


def platform_tables(*, user: User) -> dict[str, list[dict[str, Any]]]:
    applied = Provider.objects.filter(applicant=user).order_by("created_at", "pk")
    return {
        _("服务商入驻申请"): [
            {
                _("机构名称"): provider.name,
                _("类别"): provider.get_category_display(),
                _("联系人"): provider.contact_name,
                _("联系人手机号"): provider.contact_phone,
                _("状态"): provider.get_status_display(),
                _("提交时间"): provider.created_at.isoformat(),
            }
            for provider in applied
        ],
        _("服务商后台身份"): [
            {
                _("服务商"): place.provider.name,
                _("身份"): place.get_kind_display(),
                _("加入时间"): place.created_at.isoformat(),
            }
            for place in _places(user)
        ],
    }


def platform_unlink(*, user: User) -> None:
    """As the account is deleted: the person leaves every provider's back office."""
    for place in _places(user):
        with provider_context(place.provider):
            ProviderUser.objects.filter(pk=place.pk).delete()
        audit(actor=user, action="providers.user.remove", target=place, summary="account.delete")
