"""Listings in the API (under /api/v1/associations/{slug}/network/): a member's own listings
(post, edit, renew, withdraw), opening any listing they may see (``access_listing``: never
another association's contact details), 举报; the secretariat's moderation (``network.
moderate``): listings, review, take-down, reports, blocks, settings. The same services as
the pages."""

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.core.storage.files import held_file
from shanghui.core.tenancy import read_inside
from shanghui.core.uploads import picture_response
from shanghui.network.models import Listing, ListingImage, ListingReport, PosterBlock
from shanghui.network.selectors import listings as selectors
from shanghui.network.selectors.access import ListingView, access_listing
from shanghui.network.services import listings as services
from shanghui.network.services import moderation
from shanghui.network.services.settings import network_settings, network_settings_update

listings_router = Router(tags=["供需对接"])


class ListingOut(Schema):
    """A listing as its poster or its secretariat sees it (contact included)."""

    id: int
    kind: str
    status: str
    status_label: str
    title: str
    body: str
    industry_code: str
    region_code: str
    quantity: str
    budget: Decimal | None
    valid_until: date
    visibility: str
    contact: str
    contact_visible_to_members: bool
    moderation_note: str
    member_id: int
    published_at: datetime | None
    renewed_times: int
    created_at: datetime

    @staticmethod
    def resolve_status_label(obj: Listing) -> str:
        return str(obj.get_status_display())


class ListingViewOut(Schema):
    """A published listing as a member sees it: ``contact`` is empty unless it is the
    member's own association's and the poster shows it to members."""

    id: int
    association_slug: str
    association_name: str
    same_association: bool
    kind: str
    title: str
    body: str
    industry_code: str
    region_code: str
    quantity: str
    budget: Decimal | None
    valid_until: date
    published_at: datetime | None
    enterprise: str
    visibility: str
    contact: str
    image_ids: list[int]

    @staticmethod
    def resolve_image_ids(obj: ListingView) -> list[int]:
        """The listing's pictures (``/network/images/{listing_image_id}?listing_id=``)."""
        if obj.same_association:
            return selectors.listing_image_ids(obj.association, obj.id)
        with read_inside(obj.association):
            return selectors.listing_image_ids(obj.association, obj.id)

    @staticmethod
    def resolve_association_slug(obj: ListingView) -> str:
        return obj.association.slug

    @staticmethod
    def resolve_association_name(obj: ListingView) -> str:
        return obj.association.short_name or obj.association.name


class ListingImageOut(Schema):
    id: int
    listing_id: int
    position: int


class ListingIn(Schema):
    kind: str
    title: str
    industry_code: str
    region_code: str
    valid_until: str
    body: str = ""
    quantity: str = ""
    budget: str | None = None
    visibility: str = "association"
    contact: str = ""
    contact_visible_to_members: StrictBool = False


class ListingRenewIn(Schema):
    valid_until: str | None = None


class ListingReportIn(Schema):
    reason: str
    text: str = ""


class ListingReportOut(Schema):
    id: int
    listing_id: int
    platform_wide: bool
    reason: str
    text: str
    outcome: str
    created_at: datetime


class ListingReviewIn(Schema):
    approve: StrictBool
    note: str = ""


class ListingTakeDownIn(Schema):
    reason: str


class ListingReportHandleIn(Schema):
    take_down: StrictBool
    note: str = ""


class ListingBlockIn(Schema):
    listing_id: int
    reason: str


class ListingBlockOut(Schema):
    id: int
    user_id: int
    user_name: str
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_user_name(obj: PosterBlock) -> str:
        return obj.user.name


class ListingSettingsOut(Schema):
    joins_platform: bool
    moderate_before_publishing: bool


class ListingSettingsIn(Schema):
    joins_platform: StrictBool
    moderate_before_publishing: StrictBool


class ListingOfficeQuery(Schema):
    tab: str = "pending"


def _input(payload: ListingIn) -> services.ListingInput:
    return services.ListingInput(
        kind=payload.kind,
        title=payload.title,
        industry_code=payload.industry_code,
        region_code=payload.region_code,
        valid_until=payload.valid_until,
        body=payload.body,
        quantity=payload.quantity,
        budget=payload.budget,
        visibility=payload.visibility,
        contact=payload.contact,
        contact_visible_to_members=payload.contact_visible_to_members,
    )


def _own(request: HttpRequest, listing_id: int) -> Listing:
    require_member(current_role(request))
    return selectors.access_own_listing(
        association=current_association(request),
        user_id=signed_in_user(request).pk,
        listing_id=listing_id,
    )


def _moderator(request: HttpRequest) -> None:
    require_perm(current_role(request), Perm.MODERATE_NETWORK)


@listings_router.get(
    "/listings",
    operation_id="shanghui_network_api_listing_mine",
    response={200: list[ListingOut], **ERRORS},
)
@paginate(Pages)
def listing_mine(request: HttpRequest, slug: Path[str]) -> object:
    """The caller's own listings in the association, any status, newest first."""
    require_member(current_role(request))
    return selectors.my_listings(
        association=current_association(request), user_id=signed_in_user(request).pk
    )


@listings_router.post(
    "/listings",
    operation_id="shanghui_network_api_listing_create",
    response={201: ListingOut, **ERRORS},
)
def listing_create(request: HttpRequest, slug: Path[str], payload: ListingIn) -> Status[object]:
    """Post an offer or a need for the member enterprise the caller represents (published at
    once, or pending where the secretariat reviews first)."""
    require_member(current_role(request))
    listing = services.listing_create(
        association=current_association(request),
        actor=signed_in_user(request),
        data=_input(payload),
    )
    return Status(201, listing)


@listings_router.get(
    "/listings/{listing_id}",
    operation_id="shanghui_network_api_listing_get",
    response={200: ListingViewOut, **ERRORS},
)
def listing_get(request: HttpRequest, slug: Path[str], listing_id: int) -> object:
    """A published listing the caller may see: one of the association's, or another
    association's that reaches it (federation, or the platform network both joined)."""
    require_member(current_role(request))
    return access_listing(
        association=current_association(request),
        viewer_id=signed_in_user(request).pk,
        listing_id=listing_id,
    )


@listings_router.patch(
    "/listings/{listing_id}",
    operation_id="shanghui_network_api_listing_update",
    response={200: ListingOut, **ERRORS},
)
def listing_update(
    request: HttpRequest, slug: Path[str], listing_id: int, payload: ListingIn
) -> object:
    """The poster corrects their listing (every field is sent)."""
    listing = _own(request, listing_id)
    return services.listing_update(
        association=current_association(request),
        actor=signed_in_user(request),
        listing=listing,
        data=_input(payload),
    )


@listings_router.post(
    "/listings/{listing_id}/renew",
    operation_id="shanghui_network_api_listing_renew",
    response={200: ListingOut, **ERRORS},
)
def listing_renew(
    request: HttpRequest, slug: Path[str], listing_id: int, payload: ListingRenewIn
) -> object:
    """Extend the poster's listing (by default 90 days from today; at most a year)."""
    listing = _own(request, listing_id)
    return services.listing_renew(
        association=current_association(request),
        actor=signed_in_user(request),
        listing=listing,
        valid_until=payload.valid_until,
    )


@listings_router.post(
    "/listings/{listing_id}/withdraw",
    operation_id="shanghui_network_api_listing_withdraw",
    response={200: ListingOut, **ERRORS},
)
def listing_withdraw(request: HttpRequest, slug: Path[str], listing_id: int) -> object:
    listing = _own(request, listing_id)
    return services.listing_withdraw(
        association=current_association(request), actor=signed_in_user(request), listing=listing
    )


@listings_router.post(
    "/listings/{listing_id}/report",
    operation_id="shanghui_network_api_listing_report",
    response={201: ListingReportOut, **ERRORS},
)
def listing_report(
    request: HttpRequest, slug: Path[str], listing_id: int, payload: ListingReportIn
) -> Status[object]:
    """举报 a listing the caller can see."""
    require_member(current_role(request))
    report = moderation.listing_report(
        association=current_association(request),
        actor=signed_in_user(request),
        listing_id=listing_id,
        reason=payload.reason,
        text=payload.text,
    )
    return Status(201, report)


@listings_router.get(
    "/office/listings",
    operation_id="shanghui_network_api_office_listing_list",
    response={200: list[ListingOut], **ERRORS},
)
@paginate(Pages)
def office_listing_list(
    request: HttpRequest, slug: Path[str], filters: Query[ListingOfficeQuery]
) -> object:
    """The association's listings for its secretariat: ``tab`` pending, published,
    taken_down or all."""
    _moderator(request)
    return selectors.office_listings(association=current_association(request), tab=filters.tab)


def _office_listing(request: HttpRequest, listing_id: int) -> Listing:
    _moderator(request)
    return selectors.access_office_listing(
        association=current_association(request), listing_id=listing_id
    )


@listings_router.post(
    "/office/listings/{listing_id}/review",
    operation_id="shanghui_network_api_office_listing_review",
    response={200: ListingOut, **ERRORS},
)
def office_listing_review(
    request: HttpRequest, slug: Path[str], listing_id: int, payload: ListingReviewIn
) -> object:
    listing = _office_listing(request, listing_id)
    return moderation.listing_review(
        association=current_association(request),
        actor=signed_in_user(request),
        listing=listing,
        approve=payload.approve,
        note=payload.note,
    )


@listings_router.post(
    "/office/listings/{listing_id}/take-down",
    operation_id="shanghui_network_api_office_listing_take_down",
    response={200: ListingOut, **ERRORS},
)
def office_listing_take_down(
    request: HttpRequest, slug: Path[str], listing_id: int, payload: ListingTakeDownIn
) -> object:
    listing = _office_listing(request, listing_id)
    return moderation.listing_take_down(
        association=current_association(request),
        actor=signed_in_user(request),
        listing=listing,
        reason=payload.reason,
    )


@listings_router.get(
    "/office/reports",
    operation_id="shanghui_network_api_office_report_list",
    response={200: list[ListingReportOut], **ERRORS},
)
def office_report_list(request: HttpRequest, slug: Path[str]) -> object:
    """Open reports of the association's listings."""
    _moderator(request)
    return selectors.office_reports(association=current_association(request))


@listings_router.post(
    "/office/reports/{report_id}/handle",
    operation_id="shanghui_network_api_office_report_handle",
    response={200: ListingReportOut, **ERRORS},
)
def office_report_handle(
    request: HttpRequest, slug: Path[str], report_id: int, payload: ListingReportHandleIn
) -> ListingReport:
    _moderator(request)
    association = current_association(request)
    report = selectors.access_office_report(association=association, report_id=report_id)
    return moderation.report_handle(
        association=association,
        actor=signed_in_user(request),
        report=report,
        take_down=payload.take_down,
        note=payload.note,
    )


@listings_router.get(
    "/office/blocks",
    operation_id="shanghui_network_api_office_block_list",
    response={200: list[ListingBlockOut], **ERRORS},
)
def office_block_list(request: HttpRequest, slug: Path[str]) -> object:
    _moderator(request)
    return list(selectors.poster_blocks(current_association(request)))


@listings_router.post(
    "/office/blocks",
    operation_id="shanghui_network_api_office_block_create",
    response={201: ListingBlockOut, **ERRORS},
)
def office_block_create(
    request: HttpRequest, slug: Path[str], payload: ListingBlockIn
) -> Status[object]:
    """Stop the poster of one of the association's listings from posting."""
    listing = _office_listing(request, payload.listing_id)
    if listing.poster is None:
        raise Http404
    block = moderation.poster_block(
        association=current_association(request),
        actor=signed_in_user(request),
        user=listing.poster,
        reason=payload.reason,
    )
    return Status(201, block)


@listings_router.delete(
    "/office/blocks/{block_id}",
    operation_id="shanghui_network_api_office_block_delete",
    response={200: OkOut, **ERRORS},
)
def office_block_delete(request: HttpRequest, slug: Path[str], block_id: int) -> OkOut:
    _moderator(request)
    association = current_association(request)
    block = selectors.access_poster_block(association=association, block_id=block_id)
    moderation.poster_unblock(association=association, actor=signed_in_user(request), block=block)
    return OkOut()


@listings_router.get(
    "/settings",
    operation_id="shanghui_network_api_settings_get",
    response={200: ListingSettingsOut, **ERRORS},
)
def settings_get(request: HttpRequest, slug: Path[str]) -> object:
    _moderator(request)
    return network_settings(current_association(request))


@listings_router.put(
    "/settings",
    operation_id="shanghui_network_api_settings_put",
    response={200: ListingSettingsOut, **ERRORS},
)
def settings_put(request: HttpRequest, slug: Path[str], payload: ListingSettingsIn) -> object:
    """Join or leave the platform network (re-indexes the association's platform-wide
    listings at once); review listings before they appear."""
    _moderator(request)
    return network_settings_update(
        association=current_association(request),
        actor=signed_in_user(request),
        joins_platform=payload.joins_platform,
        moderate_before_publishing=payload.moderate_before_publishing,
    )


@listings_router.post(
    "/listings/{listing_id}/images",
    operation_id="shanghui_network_api_listing_image_add",
    response={201: ListingImageOut, **ERRORS},
)
def listing_image_add(
    request: HttpRequest,
    slug: Path[str],
    listing_id: int,
    file: File[UploadedFile | None] = None,
) -> Status[object]:
    """Add a picture to the poster's listing (multipart ``file``, JPEG or PNG; at most six)."""
    listing = _own(request, listing_id)
    upload: DjangoUploadedFile | None = file
    image = services.listing_image_add(
        association=current_association(request),
        actor=signed_in_user(request),
        listing=listing,
        upload=upload,
    )
    return Status(201, image)


class ListingImageQuery(Schema):
    listing_id: int | None = None
    size: str = ""


@listings_router.get(
    "/images/{listing_image_id}",
    operation_id="shanghui_network_api_listing_image",
    response={200: None, **ERRORS},
)
def listing_image(
    request: HttpRequest,
    slug: Path[str],
    listing_image_id: int,
    filters: Query[ListingImageQuery],
) -> HttpResponse:
    """A picture of a listing the caller may see (``listing_id`` for another association's
    listing; ``size=thumb`` for a thumbnail)."""
    role = require_member(current_role(request))
    association = current_association(request)
    home, image = selectors.access_listing_image(
        association=association,
        viewer_id=signed_in_user(request).pk,
        listing_image_id=listing_image_id,
        listing_id=filters.listing_id,
        moderator=has_perm(role, Perm.MODERATE_NETWORK),
    )
    with read_inside(home):
        return picture_response(home, held_file(home, image.file_id), size=filters.size)


@listings_router.delete(
    "/listings/{listing_id}/images/{listing_image_id}",
    operation_id="shanghui_network_api_listing_image_delete",
    response={200: OkOut, **ERRORS},
)
def listing_image_delete(
    request: HttpRequest, slug: Path[str], listing_id: int, listing_image_id: int
) -> OkOut:
    listing = _own(request, listing_id)
    association = current_association(request)
    image = (
        ListingImage.objects.filter(
            association_id=association.pk, listing=listing, pk=listing_image_id
        )
        .select_related("listing")
        .first()
    )
    if image is None:
        raise Http404
    services.listing_image_remove(
        association=association, actor=signed_in_user(request), image=image
    )
    return OkOut()
