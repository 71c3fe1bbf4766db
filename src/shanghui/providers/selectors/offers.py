"""Reading offers from an association's side: the offers its members see (those its
administrator chose, still published by an approved provider), the catalogue its
administrator chooses from (every published offer of an approved provider) and a member's own
applications.

On PostgreSQL an association reads only published offers (the offer's policy): a query on
applications never joins ``Offer`` (an offer the provider withdrew would drop the member's
application from their list, and with it the way to withdraw consent) — offers are fetched
apart and attached (``attach_offers``)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.core.http import id_or_404
from shanghui.core.regions import region_full_name
from shanghui.core.types import Tenant
from shanghui.members.models import Member
from shanghui.members.selectors import my_members
from shanghui.providers.models import (
    Category,
    ConsentField,
    Offer,
    OfferApplication,
    OfferChoice,
    Provider,
)


def catalogue(*, category: str = "") -> QuerySet[Offer]:
    """Every published, unexpired offer of an approved provider, newest first; ``category``
    (a ``Category`` value) narrows it to one kind of provider."""
    offers = Offer.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
        status=Offer.Status.PUBLISHED,
        provider__status=Provider.Status.APPROVED,
    )
    if category in Category.values:
        offers = offers.filter(provider__category=category)
    return offers.select_related("provider").order_by("-created_at", "-id")


def chosen_offer_ids(association: Tenant) -> set[int]:
    return set(
        OfferChoice.objects.filter(association_id=association.pk).values_list("offer_id", flat=True)
    )


def member_offers(association: Tenant, *, category: str = "") -> QuerySet[Offer]:
    """What the association's members see: the offers its administrator chose, while they
    are published by an approved provider."""
    chosen = OfferChoice.objects.filter(association_id=association.pk).values("offer_id")
    return catalogue(category=category).filter(pk__in=chosen)


def access_member_offer(*, association: Tenant, offer_id: object) -> Offer:
    """One offer a member of ``association`` may see and apply to; the same 404 for an offer
    that does not exist, is not published, or that the association did not choose."""
    offer = member_offers(association).filter(pk=id_or_404(offer_id)).first()
    if offer is None:
        raise Http404
    return offer


def access_catalogue_offer(*, offer_id: object) -> Offer:
    """One offer of the catalogue (published, approved provider) for the administrator
    choosing; a draft or withdrawn offer is the same 404 as none."""
    offer = catalogue().filter(pk=id_or_404(offer_id)).first()
    if offer is None:
        raise Http404
    return offer


def average_rating(offer: Offer) -> Decimal | None:
    """The offer's average rating over every association, one decimal; None before any."""
    if not offer.rating_count:
        return None
    return (Decimal(offer.rating_total) / offer.rating_count).quantize(Decimal("0.1"))


# -- A member's applications ---------------------------------------------------------------


def my_applications(*, association: Tenant, user: User) -> QuerySet[OfferApplication]:
    """The signed-in person's applications in this association, newest first (their offers
    are attached by ``attach_offers``)."""
    return (
        OfferApplication.objects.filter(association_id=association.pk, user=user)
        .select_related("provider", "member")
        .order_by("-consented_at", "-id")
    )


def access_my_application(
    *, association: Tenant, user: User, offer_application_id: object
) -> OfferApplication:
    """One of the person's own applications; anybody else's (in this association or any
    other) is the same 404 as none."""
    application = (
        my_applications(association=association, user=user)
        .filter(pk=id_or_404(offer_application_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def open_application(*, association: Tenant, user: User, offer: Offer) -> OfferApplication | None:
    """The person's application to ``offer`` whose consent still holds, if any."""
    return (
        OfferApplication.objects.filter(
            association_id=association.pk, user=user, offer=offer, withdrawn_at__isnull=True
        )
        .order_by("-id")
        .first()
    )


def attach_offers(applications: list[OfferApplication]) -> list[OfferApplication]:
    """Sets ``shown_offer`` on each application: its offer, or None when the association
    can no longer read it (the provider withdrew it)."""
    offers = Offer.objects.in_bulk({a.offer_id for a in applications})
    for application in applications:
        application.shown_offer = offers.get(application.offer_id)  # type: ignore[attr-defined]
    return applications


# -- What a member may consent to share ------------------------------------------------------


@dataclass(frozen=True)
class ConsentChoice:
    field: str
    label: str
    value: str  # what the provider would receive; "" when there is nothing to share


def applicant_members(*, association: Tenant, user: User) -> list[Member]:
    """The member enterprises the person represents in this association."""
    return list(my_members(association=association, user_id=user.pk)[:20])  # type: ignore[arg-type]


def consent_values(*, user: User, member: Member | None) -> dict[str, str]:
    """The value each consent field would carry for ``user`` applying for ``member``: the
    person's name and phone, the enterprise's name, credit code and region."""
    values = {
        ConsentField.NAME.value: user.name or "",
        ConsentField.PHONE.value: user.phone or "",
        ConsentField.ENTERPRISE.value: member.name if member else "",
        ConsentField.USCC.value: member.uscc if member else "",
        ConsentField.REGION.value: region_full_name(member.region_code) if member else "",
    }
    return {field: value.strip() for field, value in values.items()}


def consent_choices(*, user: User, member: Member | None) -> list[ConsentChoice]:
    values = consent_values(user=user, member=member)
    return [
        ConsentChoice(field=value, label=str(label), value=values[value])
        for value, label in ConsentField.choices
    ]


def offer_purpose(offer: Offer) -> str:
    """The purpose the member consents to, stated on the form and kept with the consent."""
    return _("%(provider)s 就“%(offer)s”与您联系并办理相关服务") % {
        "provider": offer.provider.name,
        "offer": offer.title,
    }
