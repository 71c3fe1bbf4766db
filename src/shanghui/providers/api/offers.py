"""会员服务 in the API, under /api/v1/associations/{slug}/services/ (``offers_router``):

- for members: the offers the association chose, applying with an explicit consent,
  their applications, withdrawing a consent, rating the service;
- for the administrator (``Perm.CHOOSE_OFFERS``): the catalogue of vetted providers' offers,
  choosing and unchoosing, turning a course into a training event, the members' usage.

Thin: the same services and selectors as the pages."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import EachPage, Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.providers.models import Offer, OfferApplication
from shanghui.providers.selectors import offers as selectors
from shanghui.providers.selectors import usage as usage_selectors
from shanghui.providers.services import applications as services
from shanghui.providers.services import choices as choice_services

router = Router(tags=["会员服务"])


class ProviderOfferOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    provider_id: int
    provider_name: str
    category: str
    category_label: str
    annual_rate_min: Decimal | None
    annual_rate_max: Decimal | None
    valid_until: date | None
    is_course: bool
    rating_count: int
    rating_average: Decimal | None

    @staticmethod
    def resolve_provider_name(obj: Offer) -> str:
        return obj.provider.name

    @staticmethod
    def resolve_category(obj: Offer) -> str:
        return obj.provider.category

    @staticmethod
    def resolve_category_label(obj: Offer) -> str:
        return str(obj.provider.get_category_display())

    @staticmethod
    def resolve_rating_average(obj: Offer) -> Decimal | None:
        return selectors.average_rating(obj)


class ProviderCatalogueOfferOut(ProviderOfferOut):
    chosen: bool


class ProviderOfferQuery(Schema):
    category: str = ""


class ProviderApplicationIn(Schema):
    shared_fields: list[str]
    member_id: int | None = None
    agree: StrictBool = False


class ProviderApplicationOut(Schema):
    id: int
    offer_id: int
    offer_title: str
    provider_id: int
    provider_name: str
    member_id: int | None
    shared_fields: list[str]
    purpose: str
    consented_at: datetime
    withdrawn_at: datetime | None
    rating: int | None
    rating_comment: str
    rated_at: datetime | None

    @staticmethod
    def resolve_offer_title(obj: OfferApplication) -> str:
        offer = getattr(obj, "shown_offer", None)
        return offer.title if offer is not None else ""

    @staticmethod
    def resolve_provider_name(obj: OfferApplication) -> str:
        return obj.provider.name


class ProviderRatingIn(Schema):
    rating: int
    comment: str = ""


class ProviderCourseOut(Schema):
    event_id: int
    title: str
    status: str


class ProviderOfferUsageOut(Schema):
    offer_id: int
    title: str
    provider_name: str
    chosen: bool
    applications: int
    withdrawn: int
    ratings: int
    average: Decimal | None


class ProviderMonthUsageOut(Schema):
    month: date
    applications: int
    ratings: int


class ProviderUsageOut(Schema):
    applications: int
    members: int
    offers: list[ProviderOfferUsageOut]
    months: list[ProviderMonthUsageOut]


# -- Members ----------------------------------------------------------------------------------


def _member(request: HttpRequest) -> None:
    require_member(current_role(request))


@router.get(
    "/services/offers",
    operation_id="shanghui_providers_api_member_offers",
    response={200: list[ProviderOfferOut], **ERRORS},
)
@paginate(Pages)
def member_offers(
    request: HttpRequest, slug: Path[str], filters: Query[ProviderOfferQuery]
) -> object:
    """The offers the association chose for its members (published by vetted providers)."""
    _member(request)
    return selectors.member_offers(current_association(request), category=filters.category)


@router.get(
    "/services/offers/{offer_id}",
    operation_id="shanghui_providers_api_member_offer",
    response={200: ProviderOfferOut, **ERRORS},
)
def member_offer(request: HttpRequest, slug: Path[str], offer_id: int) -> object:
    _member(request)
    return selectors.access_member_offer(
        association=current_association(request), offer_id=offer_id
    )


@router.post(
    "/services/offers/{offer_id}/applications",
    operation_id="shanghui_providers_api_application_create",
    response={201: ProviderApplicationOut, **ERRORS},
)
def application_create(
    request: HttpRequest, slug: Path[str], offer_id: int, payload: ProviderApplicationIn
) -> Status[object]:
    """Apply to an offer, consenting to share exactly ``shared_fields`` (name, phone,
    enterprise, uscc, region) with its provider for the purpose the answer states;
    ``agree`` must be true. ``member_id``: the member enterprise you represent (needed for
    the enterprise's fields). The provider receives a lead with exactly those values."""
    _member(request)
    association = current_association(request)
    user = signed_in_user(request)
    offer = selectors.access_member_offer(association=association, offer_id=offer_id)
    member = None
    if payload.member_id is not None:
        members = selectors.applicant_members(association=association, user=user)
        member = next((m for m in members if m.pk == payload.member_id), None)
        if member is None:
            raise ValidationError({"member_id": _("请选择您所代表的会员企业")})
    application = services.application_create(
        association=association,
        actor=user,
        offer=offer,
        data=services.ApplicationInput(
            fields=payload.shared_fields, member=member, agree=payload.agree
        ),
    )
    selectors.attach_offers([application])
    return Status(201, application)


def _mine(request: HttpRequest, offer_application_id: int) -> OfferApplication:
    _member(request)
    application = selectors.access_my_application(
        association=current_association(request),
        user=signed_in_user(request),
        offer_application_id=offer_application_id,
    )
    selectors.attach_offers([application])
    return application


@router.get(
    "/services/applications",
    operation_id="shanghui_providers_api_my_applications",
    response={200: list[ProviderApplicationOut], **ERRORS},
)
@paginate(Pages)
def my_applications(request: HttpRequest, slug: Path[str]) -> object:
    """My applications in this association, newest first (``offer_title`` is empty once the
    provider withdrew the offer; the consent can still be withdrawn)."""
    _member(request)
    return EachPage(
        selectors.my_applications(
            association=current_association(request), user=signed_in_user(request)
        ),
        selectors.attach_offers,
    )


@router.get(
    "/services/applications/{offer_application_id}",
    operation_id="shanghui_providers_api_my_application",
    response={200: ProviderApplicationOut, **ERRORS},
)
def my_application(request: HttpRequest, slug: Path[str], offer_application_id: int) -> object:
    return _mine(request, offer_application_id)


@router.post(
    "/services/applications/{offer_application_id}/withdrawal",
    operation_id="shanghui_providers_api_application_withdraw",
    response={200: ProviderApplicationOut, **ERRORS},
)
def application_withdraw(
    request: HttpRequest, slug: Path[str], offer_application_id: int
) -> object:
    """Withdraw the consent: the provider's lead keeps none of the shared values."""
    application = _mine(request, offer_application_id)
    services.application_withdraw(
        association=current_association(request),
        actor=signed_in_user(request),
        application=application,
    )
    return _mine(request, offer_application_id)


@router.post(
    "/services/applications/{offer_application_id}/rating",
    operation_id="shanghui_providers_api_application_rate",
    response={200: ProviderApplicationOut, **ERRORS},
)
def application_rate(
    request: HttpRequest, slug: Path[str], offer_application_id: int, payload: ProviderRatingIn
) -> object:
    """Rate the service 1–5 with an optional comment (again: replaces the rating)."""
    application = _mine(request, offer_application_id)
    services.application_rate(
        association=current_association(request),
        actor=signed_in_user(request),
        application=application,
        rating=payload.rating,
        comment=payload.comment,
    )
    return _mine(request, offer_application_id)


# -- The administrator ------------------------------------------------------------------------


def _chooser(request: HttpRequest) -> None:
    require_perm(current_role(request), Perm.CHOOSE_OFFERS)


def _catalogue_offer(request: HttpRequest, offer_id: int) -> Offer:
    _chooser(request)
    offer = selectors.access_catalogue_offer(offer_id=offer_id)
    offer.chosen = offer.pk in selectors.chosen_offer_ids(current_association(request))  # type: ignore[attr-defined]
    return offer


def _mark_chosen(request: HttpRequest) -> Callable[[list[Offer]], list[Offer]]:
    chosen = selectors.chosen_offer_ids(current_association(request))

    def mark(rows: list[Offer]) -> list[Offer]:
        for offer in rows:
            offer.chosen = offer.pk in chosen  # type: ignore[attr-defined]
        return rows

    return mark


@router.get(
    "/services/catalogue",
    operation_id="shanghui_providers_api_catalogue",
    response={200: list[ProviderCatalogueOfferOut], **ERRORS},
)
@paginate(Pages)
def catalogue(request: HttpRequest, slug: Path[str], filters: Query[ProviderOfferQuery]) -> object:
    """Every published offer of a vetted provider; ``chosen``: shown to this association's
    members."""
    _chooser(request)
    return EachPage(selectors.catalogue(category=filters.category), _mark_chosen(request))


@router.get(
    "/services/catalogue/{offer_id}",
    operation_id="shanghui_providers_api_catalogue_offer",
    response={200: ProviderCatalogueOfferOut, **ERRORS},
)
def catalogue_offer(request: HttpRequest, slug: Path[str], offer_id: int) -> object:
    return _catalogue_offer(request, offer_id)


@router.put(
    "/services/catalogue/{offer_id}/choice",
    operation_id="shanghui_providers_api_offer_choose",
    response={200: ProviderCatalogueOfferOut, **ERRORS},
)
def offer_choose(request: HttpRequest, slug: Path[str], offer_id: int) -> object:
    """Show the offer to the association's members (again: no change)."""
    offer = _catalogue_offer(request, offer_id)
    choice_services.offer_choose(
        association=current_association(request), actor=signed_in_user(request), offer=offer
    )
    return _catalogue_offer(request, offer_id)


@router.delete(
    "/services/catalogue/{offer_id}/choice",
    operation_id="shanghui_providers_api_offer_unchoose",
    response={200: ProviderCatalogueOfferOut, **ERRORS},
)
def offer_unchoose(request: HttpRequest, slug: Path[str], offer_id: int) -> object:
    """Stop showing the offer; members' applications stay."""
    offer = _catalogue_offer(request, offer_id)
    choice_services.offer_unchoose(
        association=current_association(request), actor=signed_in_user(request), offer=offer
    )
    return _catalogue_offer(request, offer_id)


@router.post(
    "/services/catalogue/{offer_id}/course",
    operation_id="shanghui_providers_api_offer_course",
    response={201: ProviderCourseOut, **ERRORS},
)
def offer_course(request: HttpRequest, slug: Path[str], offer_id: int) -> Status[object]:
    """Turn a course into a draft training event of the association (complete its time and
    place through the events API, then publish it)."""
    offer = _catalogue_offer(request, offer_id)
    event = choice_services.offer_course_create(
        association=current_association(request), actor=signed_in_user(request), offer=offer
    )
    return Status(201, {"event_id": event.pk, "title": event.title, "status": event.status})


@router.get(
    "/services/usage",
    operation_id="shanghui_providers_api_usage",
    response={200: ProviderUsageOut, **ERRORS},
)
def usage(request: HttpRequest, slug: Path[str]) -> object:
    """How the members use the chosen offers, from the association's own application
    records (never the providers' notes): per offer and per month over the last year."""
    _chooser(request)
    return usage_selectors.usage(current_association(request))
