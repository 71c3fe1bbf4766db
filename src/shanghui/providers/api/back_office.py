"""The provider back office in the JSON API (under /api/v1/providers/{provider_slug}/, behind
the provider door): offers, leads with status and notes, users. The same services and
selectors as the pages; another provider's ids answer 404."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.core.apikit.schemas import ERRORS
from shanghui.providers.door import current_provider, current_provider_user
from shanghui.providers.models import Lead, LeadNote, Offer, ProviderUser
from shanghui.providers.selectors import provider as selectors
from shanghui.providers.services import leads as lead_services
from shanghui.providers.services import offers as offer_services
from shanghui.providers.services import providers as provider_services

back_office_router = Router(tags=["服务商后台"])


class ProviderBackOfferOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    annual_rate_min: Decimal | None
    annual_rate_max: Decimal | None
    rate_label: str
    region_codes: str
    valid_until: date | None
    is_course: bool
    status: str
    rating_count: int
    rating_total: int

    @staticmethod
    def resolve_rate_label(obj: Offer) -> str:
        return offer_services.rate_label(obj)


class ProviderOfferIn(Schema):
    title: str = Field(max_length=60)
    summary: str = Field(max_length=200)
    body: str = Field("", max_length=5000)
    annual_rate_min: str | None = Field(None, max_length=10)
    annual_rate_max: str | None = Field(None, max_length=10)
    region_codes: str = Field("", max_length=200)
    valid_until: date | None = None
    is_course: bool = False


class ProviderLeadOut(Schema):
    id: int
    offer_id: int
    offer_title: str
    association_name: str
    shared: dict[str, str]
    purpose: str
    consented_at: datetime
    withdrawn_at: datetime | None
    status: str
    rating: int | None
    rating_comment: str
    created_at: datetime

    @staticmethod
    def resolve_offer_title(obj: Lead) -> str:
        return obj.offer.title

    @staticmethod
    def resolve_association_name(obj: Lead) -> str:
        return obj.association.name


class ProviderLeadNoteOut(Schema):
    id: int
    text: str
    author_name: str
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj: LeadNote) -> str:
        return obj.author.name if obj.author is not None else ""


class ProviderLeadDetailOut(ProviderLeadOut):
    notes: list[ProviderLeadNoteOut]

    @staticmethod
    def resolve_notes(obj: Lead) -> list[LeadNote]:
        return list(selectors.lead_notes(obj))


class ProviderLeadQuery(Schema):
    status: str = ""


class ProviderLeadStatusIn(Schema):
    status: str = Field(max_length=12)


class ProviderLeadNoteIn(Schema):
    text: str = Field(max_length=1000)


class ProviderUserOut(Schema):
    id: int
    user_id: int
    name: str
    phone: str
    kind: str

    @staticmethod
    def resolve_name(obj: ProviderUser) -> str:
        return obj.user.name

    @staticmethod
    def resolve_phone(obj: ProviderUser) -> str:
        return obj.user.phone or ""


class ProviderUserIn(Schema):
    phone: str = Field(max_length=20)
    kind: str = ProviderUser.Kind.STAFF


def _offer_input(payload: ProviderOfferIn) -> offer_services.OfferInput:
    return offer_services.OfferInput(**payload.dict())


# --- Offers ---------------------------------------------------------------------------------


@back_office_router.get(
    "/offers",
    operation_id="shanghui_providers_api_back_offer_list",
    response={200: list[ProviderBackOfferOut], **ERRORS},
)
def back_offer_list(request: HttpRequest, provider_slug: Path[str]) -> object:
    """The provider's offers, every status, last changed first."""
    return list(selectors.provider_offers(current_provider(request)))


@back_office_router.post(
    "/offers",
    operation_id="shanghui_providers_api_back_offer_create",
    response={201: ProviderBackOfferOut, **ERRORS},
)
def back_offer_create(
    request: HttpRequest, provider_slug: Path[str], payload: ProviderOfferIn
) -> Status[object]:
    """A draft offer. Loans state ``annual_rate_min``/``_max`` (percent); a medical offer
    makes no treatment claims."""
    offer = offer_services.offer_create(
        actor=signed_in_user(request),
        provider=current_provider(request),
        data=_offer_input(payload),
    )
    return Status(201, offer)


@back_office_router.get(
    "/offers/{offer_id}",
    operation_id="shanghui_providers_api_back_offer_get",
    response={200: ProviderBackOfferOut, **ERRORS},
)
def back_offer_get(request: HttpRequest, provider_slug: Path[str], offer_id: Path[int]) -> object:
    return selectors.access_offer(provider=current_provider(request), offer_id=offer_id)


@back_office_router.patch(
    "/offers/{offer_id}",
    operation_id="shanghui_providers_api_back_offer_update",
    response={200: ProviderBackOfferOut, **ERRORS},
)
def back_offer_update(
    request: HttpRequest, provider_slug: Path[str], offer_id: Path[int], payload: ProviderOfferIn
) -> object:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    return offer_services.offer_update(
        actor=signed_in_user(request), offer=offer, data=_offer_input(payload)
    )


@back_office_router.post(
    "/offers/{offer_id}/publish",
    operation_id="shanghui_providers_api_back_offer_publish",
    response={200: ProviderBackOfferOut, **ERRORS},
)
def back_offer_publish(
    request: HttpRequest, provider_slug: Path[str], offer_id: Path[int]
) -> object:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    return offer_services.offer_publish(actor=signed_in_user(request), offer=offer)


@back_office_router.post(
    "/offers/{offer_id}/withdraw",
    operation_id="shanghui_providers_api_back_offer_withdraw",
    response={200: ProviderBackOfferOut, **ERRORS},
)
def back_offer_withdraw(
    request: HttpRequest, provider_slug: Path[str], offer_id: Path[int]
) -> object:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    return offer_services.offer_withdraw(actor=signed_in_user(request), offer=offer)


# --- Leads ----------------------------------------------------------------------------------


@back_office_router.get(
    "/leads",
    operation_id="shanghui_providers_api_back_lead_list",
    response={200: list[ProviderLeadOut], **ERRORS},
)
def back_lead_list(
    request: HttpRequest, provider_slug: Path[str], filters: Query[ProviderLeadQuery]
) -> object:
    """The provider's leads, newest first; ``status`` filters."""
    return list(selectors.provider_leads(current_provider(request), status=filters.status)[:500])


@back_office_router.get(
    "/leads/{lead_id}",
    operation_id="shanghui_providers_api_back_lead_get",
    response={200: ProviderLeadDetailOut, **ERRORS},
)
def back_lead_get(request: HttpRequest, provider_slug: Path[str], lead_id: Path[int]) -> object:
    return selectors.access_lead(provider=current_provider(request), lead_id=lead_id)


@back_office_router.post(
    "/leads/{lead_id}/status",
    operation_id="shanghui_providers_api_back_lead_status",
    response={200: ProviderLeadOut, **ERRORS},
)
def back_lead_status(
    request: HttpRequest,
    provider_slug: Path[str],
    lead_id: Path[int],
    payload: ProviderLeadStatusIn,
) -> object:
    lead = selectors.access_lead(provider=current_provider(request), lead_id=lead_id)
    return lead_services.lead_status_set(
        actor=signed_in_user(request), lead=lead, status=payload.status
    )


@back_office_router.post(
    "/leads/{lead_id}/notes",
    operation_id="shanghui_providers_api_back_lead_note",
    response={201: ProviderLeadNoteOut, **ERRORS},
)
def back_lead_note(
    request: HttpRequest, provider_slug: Path[str], lead_id: Path[int], payload: ProviderLeadNoteIn
) -> Status[object]:
    lead = selectors.access_lead(provider=current_provider(request), lead_id=lead_id)
    note = lead_services.lead_note_add(actor=signed_in_user(request), lead=lead, text=payload.text)
    return Status(201, note)


# --- Users ----------------------------------------------------------------------------------


@back_office_router.get(
    "/users",
    operation_id="shanghui_providers_api_back_user_list",
    response={200: list[ProviderUserOut], **ERRORS},
)
def back_user_list(request: HttpRequest, provider_slug: Path[str]) -> object:
    return list(selectors.provider_users(current_provider(request)))


@back_office_router.post(
    "/users",
    operation_id="shanghui_providers_api_back_user_add",
    response={201: ProviderUserOut, **ERRORS},
)
def back_user_add(
    request: HttpRequest, provider_slug: Path[str], payload: ProviderUserIn
) -> Status[object]:
    """A provider administrator adds a registered person by phone."""
    added = provider_services.provider_user_add(
        actor=signed_in_user(request),
        membership=current_provider_user(request),
        phone=payload.phone,
        kind=payload.kind,
    )
    return Status(201, added)


@back_office_router.delete(
    "/users/{provider_user_id}",
    operation_id="shanghui_providers_api_back_user_remove",
    response={204: None, **ERRORS},
)
def back_user_remove(
    request: HttpRequest, provider_slug: Path[str], provider_user_id: Path[int]
) -> Status[None]:
    membership = current_provider_user(request)
    if membership.kind != ProviderUser.Kind.ADMIN:
        raise PermissionDenied
    removed = selectors.access_provider_user(
        provider=current_provider(request), provider_user_id=provider_user_id
    )
    provider_services.provider_user_remove(
        actor=signed_in_user(request), membership=membership, removed=removed
    )
    return Status(204, None)
