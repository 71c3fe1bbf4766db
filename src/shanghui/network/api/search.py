"""Search, matching, the directory and the member's showcase over the JSON API (part S),
mounted on ``network_router`` (/api/v1/associations/{slug}/network/…). The same selectors
and services as the pages."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.members.models import Member
from shanghui.network.models import ShowcaseItem
from shanghui.network.selectors.directory import access_enterprise, directory_entries
from shanghui.network.selectors.matching import (
    Match,
    access_own_listing,
    match_suggestions,
)
from shanghui.network.selectors.search import NetworkFilters, SearchHit, network_search
from shanghui.network.services import showcase as services

router = Router(tags=["供需对接"])


class NetworkSearchQuery(Schema):
    q: str = ""
    kind: str = ""
    industry: str = ""
    region: str = ""


class NetworkSearchOut(Schema):
    listing_id: int
    kind: str
    title: str
    industry_code: str
    region_code: str
    association_name: str
    own_association: bool
    published_at: datetime | None


class NetworkMatchOut(Schema):
    title: str
    industry_code: str
    region_code: str
    association_name: str
    score: int
    reasons: list[str]
    listing_id: int | None
    enterprise_id: int | None
    member_id: int | None


class NetworkMatchesOut(Schema):
    listing_id: int
    listings: list[NetworkMatchOut]
    enterprises: list[NetworkMatchOut]


class NetworkDirectoryQuery(Schema):
    industry: str = ""
    q: str = ""


class NetworkDirectoryOut(Schema):
    name: str
    industry_code: str
    region_code: str
    products: str
    association_name: str
    member_id: int | None
    enterprise_id: int | None


class NetworkShowcaseItemOut(Schema):
    id: int
    name: str
    description: str
    position: int
    has_image: bool


class NetworkEnterpriseOut(Schema):
    id: int
    name: str
    industry_code: str
    region_code: str
    products: str
    association_name: str
    items: list[NetworkShowcaseItemOut]


class NetworkShowcaseQuery(Schema):
    member_id: int | None = None


class NetworkShowcaseOut(Schema):
    member_id: int
    member_name: str
    network_showcase: bool
    items: list[NetworkShowcaseItemOut]


class NetworkShowcaseIn(Schema):
    network_showcase: StrictBool
    member_id: int | None = None


class NetworkShowcaseItemIn(Schema):
    name: str
    description: str = ""
    position: int = 0
    member_id: int | None = None


def _item_out(item: ShowcaseItem) -> NetworkShowcaseItemOut:
    return NetworkShowcaseItemOut(
        id=item.pk,
        name=item.name,
        description=item.description,
        position=item.position,
        has_image=item.image_id is not None,
    )


def _hit_out(hit: SearchHit) -> NetworkSearchOut:
    return NetworkSearchOut(
        listing_id=hit.listing_id,
        kind=hit.kind,
        title=hit.title,
        industry_code=hit.industry_code,
        region_code=hit.region_code,
        association_name=hit.association_name,
        own_association=hit.own,
        published_at=hit.published_at,
    )


def _match_out(match: Match) -> NetworkMatchOut:
    return NetworkMatchOut(
        title=match.title,
        industry_code=match.industry_code,
        region_code=match.region_code,
        association_name=match.association_name,
        score=match.score,
        reasons=[str(reason) for reason in match.reasons],
        listing_id=match.listing_id,
        enterprise_id=match.enterprise_id,
        member_id=match.member_id,
    )


def _member(request: HttpRequest, member_id: int | None) -> Member:
    require_member(current_role(request))
    try:
        return services.showcase_member(
            association=current_association(request),
            user_id=signed_in_user(request).pk,
            member_id=member_id,
        )
    except Member.DoesNotExist as exc:
        raise Http404 from exc


def _item(request: HttpRequest, showcase_item_id: int) -> ShowcaseItem:
    require_member(current_role(request))
    try:
        return services.access_showcase_item(
            association=current_association(request),
            user_id=signed_in_user(request).pk,
            showcase_item_id=showcase_item_id,
        )
    except ShowcaseItem.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/search",
    operation_id="shanghui_network_api_search",
    response={200: list[NetworkSearchOut], **ERRORS},
)
def search(request: HttpRequest, slug: Path[str], filters: Query[NetworkSearchQuery]) -> object:
    """Listings a member may find: the association's own and those of the network that
    reach it; newest first, at most 50."""
    require_member(current_role(request))
    hits = network_search(
        association=current_association(request),
        filters=NetworkFilters(
            q=filters.q[:60],
            kind=filters.kind,
            industry=filters.industry[:3],
            region=filters.region[:6],
        ),
    )
    return [_hit_out(hit) for hit in hits]


@router.get(
    "/listings/{listing_id}/matches",
    operation_id="shanghui_network_api_matches",
    response={200: NetworkMatchesOut, **ERRORS},
)
def matches(request: HttpRequest, slug: Path[str], listing_id: int) -> object:
    """Ranked suggestions for the caller's own listing, with their reasons."""
    require_member(current_role(request))
    association = current_association(request)
    listing = access_own_listing(
        association=association, user_id=signed_in_user(request).pk, listing_id=listing_id
    )
    found = match_suggestions(association=association, listing=listing)
    return NetworkMatchesOut(
        listing_id=listing.pk,
        listings=[_match_out(m) for m in found.listings],
        enterprises=[_match_out(m) for m in found.enterprises],
    )


@router.get(
    "/directory",
    operation_id="shanghui_network_api_directory",
    response={200: list[NetworkDirectoryOut], **ERRORS},
)
def directory(
    request: HttpRequest, slug: Path[str], filters: Query[NetworkDirectoryQuery]
) -> object:
    """Enterprises that opted in to the platform showcase, by industry."""
    require_member(current_role(request))
    entries = directory_entries(
        association=current_association(request),
        industry=filters.industry[:3],
        q=filters.q[:60],
    )
    return [
        NetworkDirectoryOut(
            name=e.name,
            industry_code=e.industry_code,
            region_code=e.region_code,
            products=e.products,
            association_name=e.association_name,
            member_id=e.member_id,
            enterprise_id=e.enterprise_id,
        )
        for e in entries
    ]


@router.get(
    "/enterprises/{enterprise_id}",
    operation_id="shanghui_network_api_enterprise",
    response={200: NetworkEnterpriseOut, **ERRORS},
)
def enterprise(request: HttpRequest, slug: Path[str], enterprise_id: int) -> object:
    require_member(current_role(request))
    view = access_enterprise(association=current_association(request), enterprise_id=enterprise_id)
    return NetworkEnterpriseOut(
        id=view.id,
        name=view.name,
        industry_code=view.industry_code,
        region_code=view.region_code,
        products=view.products,
        association_name=view.association_name,
        items=[_item_out(item) for item in view.items],
    )


def _showcase_out(member: Member) -> NetworkShowcaseOut:
    items = ShowcaseItem.objects.filter(association_id=member.association_id, member=member)
    return NetworkShowcaseOut(
        member_id=member.pk,
        member_name=member.name,
        network_showcase=member.network_showcase,
        items=[_item_out(item) for item in items],
    )


@router.get(
    "/showcase",
    operation_id="shanghui_network_api_showcase",
    response={200: NetworkShowcaseOut, **ERRORS},
)
def showcase(request: HttpRequest, slug: Path[str], query: Query[NetworkShowcaseQuery]) -> object:
    """The caller's enterprise's showcase (``member_id``: one they represent; default their
    first)."""
    return _showcase_out(_member(request, query.member_id))


@router.put(
    "/showcase",
    operation_id="shanghui_network_api_showcase_set",
    response={200: NetworkShowcaseOut, **ERRORS},
)
def showcase_set(request: HttpRequest, slug: Path[str], payload: NetworkShowcaseIn) -> object:
    """Opt the enterprise in to (or out of) the platform-wide showcase and matching."""
    member = _member(request, payload.member_id)
    services.showcase_set(
        association=current_association(request),
        actor=signed_in_user(request),
        member=member,
        on=payload.network_showcase,
    )
    return _showcase_out(member)


@router.get(
    "/showcase/items",
    operation_id="shanghui_network_api_showcase_items",
    response={200: list[NetworkShowcaseItemOut], **ERRORS},
)
def showcase_items(
    request: HttpRequest, slug: Path[str], query: Query[NetworkShowcaseQuery]
) -> object:
    member = _member(request, query.member_id)
    return [
        _item_out(item)
        for item in ShowcaseItem.objects.filter(association_id=member.association_id, member=member)
    ]


@router.post(
    "/showcase/items",
    operation_id="shanghui_network_api_showcase_item_create",
    response={201: NetworkShowcaseItemOut, **ERRORS},
)
def showcase_item_create(
    request: HttpRequest, slug: Path[str], payload: NetworkShowcaseItemIn
) -> Status[object]:
    member = _member(request, payload.member_id)
    item = services.showcase_item_create(
        association=current_association(request),
        actor=signed_in_user(request),
        member=member,
        data=services.ShowcaseItemInput(
            name=payload.name, description=payload.description, position=payload.position
        ),
    )
    return Status(201, _item_out(item))


@router.put(
    "/showcase/items/{showcase_item_id}",
    operation_id="shanghui_network_api_showcase_item_update",
    response={200: NetworkShowcaseItemOut, **ERRORS},
)
def showcase_item_update(
    request: HttpRequest, slug: Path[str], showcase_item_id: int, payload: NetworkShowcaseItemIn
) -> object:
    item = _item(request, showcase_item_id)
    item = services.showcase_item_update(
        association=current_association(request),
        actor=signed_in_user(request),
        item=item,
        data=services.ShowcaseItemInput(
            name=payload.name, description=payload.description, position=payload.position
        ),
    )
    return _item_out(item)


@router.delete(
    "/showcase/items/{showcase_item_id}",
    operation_id="shanghui_network_api_showcase_item_delete",
    response={204: None, **ERRORS},
)
def showcase_item_delete(
    request: HttpRequest, slug: Path[str], showcase_item_id: int
) -> Status[None]:
    item = _item(request, showcase_item_id)
    services.showcase_item_delete(
        association=current_association(request), actor=signed_in_user(request), item=item
    )
    return Status(204, None)
