"""Goods distributions (物资发放) for the secretariat (``charity.manage``): a campaign's stock,
the distributions, recording and reversing one, and the school's receipt."""

from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.models import Distribution
from shanghui.charity.selectors import goods as selectors
from shanghui.charity.services import goods as services
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.storage.files import file_response, held_file

router = Router(tags=["慈善公益"])


class StockOut(Schema):
    item: str
    unit: str
    received: Decimal
    distributed: Decimal
    in_stock: Decimal


class DistributionOut(Schema):
    id: int
    campaign_id: int
    recipient_id: int
    recipient_name: str
    item: str
    quantity: Decimal
    unit: str
    distributed_on: date
    note: str
    reverses_id: int | None
    has_receipt: bool
    recorded_by: str
    created_at: datetime

    @staticmethod
    def resolve_recipient_name(obj: Distribution) -> str:
        return obj.recipient.name

    @staticmethod
    def resolve_has_receipt(obj: Distribution) -> bool:
        return obj.receipt_id is not None

    @staticmethod
    def resolve_recorded_by(obj: Distribution) -> str:
        return obj.recorded_by.name if obj.recorded_by else ""


class DistributionIn(Schema):
    recipient_id: int
    item: str
    quantity: Decimal | str
    distributed_on: str
    unit: str = ""
    note: str = ""


class DistributionQuery(Schema):
    campaign_id: int | None = None


class DistributionReversalIn(Schema):
    reason: str


def _manager(request: HttpRequest) -> None:
    require_perm(current_role(request), Perm.MANAGE_CHARITY)


def _distribution(request: HttpRequest, distribution_id: int) -> Distribution:
    _manager(request)
    return selectors.access_distribution(
        association=current_association(request), distribution_id=distribution_id
    )


@router.get(
    "/campaigns/{campaign_id}/stock",
    operation_id="shanghui_charity_api_campaign_stock",
    response={200: list[StockOut], **ERRORS},
)
def campaign_stock(request: HttpRequest, slug: Path[str], campaign_id: int) -> object:
    """A campaign's goods: received through the association (from the ledger), handed out,
    and left in stock, per item."""
    _manager(request)
    association = current_association(request)
    campaign = selectors.access_goods_campaign(association=association, campaign_id=campaign_id)
    return [
        {
            "item": row.item,
            "unit": row.unit,
            "received": row.received,
            "distributed": row.distributed,
            "in_stock": row.in_stock,
        }
        for row in selectors.campaign_stock(association, campaign)
    ]


@router.get(
    "/distributions",
    operation_id="shanghui_charity_api_distribution_list",
    response={200: list[DistributionOut], **ERRORS},
)
@paginate(Pages)
def distribution_list(
    request: HttpRequest, slug: Path[str], filters: Query[DistributionQuery]
) -> object:
    """Distributions and their reversals, newest first; ``campaign_id`` filters."""
    _manager(request)
    association = current_association(request)
    campaign = (
        selectors.access_goods_campaign(association=association, campaign_id=filters.campaign_id)
        if filters.campaign_id is not None
        else None
    )
    return selectors.distributions_list(association, campaign=campaign)


@router.post(
    "/campaigns/{campaign_id}/distributions",
    operation_id="shanghui_charity_api_distribution_create",
    response={201: DistributionOut, **ERRORS},
)
def distribution_create(
    request: HttpRequest, slug: Path[str], campaign_id: int, payload: DistributionIn
) -> Status[object]:
    """Hand goods the campaign received to a partner (a school). Refused (400, nothing
    written) when the campaign holds less of the item than asked; upload the school's
    receipt afterwards (``POST /distributions/{id}/receipt``)."""
    _manager(request)
    association = current_association(request)
    campaign = selectors.access_goods_campaign(association=association, campaign_id=campaign_id)
    try:
        recipient = selectors.access_partner_choice(
            association=association, partner_id=payload.recipient_id
        )
    except Http404:
        recipient = None
    created = services.distribution_record(
        association=association,
        actor=signed_in_user(request),
        campaign=campaign,
        data=services.DistributionInput(
            recipient=recipient,
            item=payload.item,
            quantity=payload.quantity,
            distributed_on=payload.distributed_on,
            unit=payload.unit,
            note=payload.note,
        ),
    )
    return Status(201, created)


@router.get(
    "/distributions/{distribution_id}",
    operation_id="shanghui_charity_api_distribution",
    response={200: DistributionOut, **ERRORS},
)
def distribution_detail(request: HttpRequest, slug: Path[str], distribution_id: int) -> object:
    return _distribution(request, distribution_id)


@router.post(
    "/distributions/{distribution_id}/reversal",
    operation_id="shanghui_charity_api_distribution_reversal",
    response={201: DistributionOut, **ERRORS},
)
def distribution_reversal(
    request: HttpRequest, slug: Path[str], distribution_id: int, payload: DistributionReversalIn
) -> Status[object]:
    """Correct a wrong distribution with a reversing record; the goods return to stock."""
    found = _distribution(request, distribution_id)
    reversal = services.distribution_reverse(
        association=current_association(request),
        actor=signed_in_user(request),
        distribution=found,
        reason=payload.reason,
    )
    return Status(201, reversal)


@router.get(
    "/distributions/{distribution_id}/receipt",
    operation_id="shanghui_charity_api_distribution_receipt",
    response={200: None, **ERRORS},
)
def distribution_receipt(
    request: HttpRequest, slug: Path[str], distribution_id: int
) -> StreamingHttpResponse:
    """The school's receipt (回执) as uploaded (PDF, JPG or PNG)."""
    found = _distribution(request, distribution_id)
    stored = held_file(current_association(request), found.receipt_id)
    if stored is None:
        raise Http404
    return file_response(current_association(request), stored)


@router.post(
    "/distributions/{distribution_id}/receipt",
    operation_id="shanghui_charity_api_distribution_receipt_upload",
    response={200: DistributionOut, **ERRORS},
)
def distribution_receipt_upload(
    request: HttpRequest,
    slug: Path[str],
    distribution_id: int,
    file: File[UploadedFile | None] = None,
) -> object:
    """Upload the school's receipt (multipart ``file``: PDF, JPG or PNG); a newer one
    replaces it, the last kept as a version."""
    found = _distribution(request, distribution_id)
    upload: DjangoUploadedFile | None = file
    return services.distribution_receipt_attach(
        association=current_association(request),
        actor=signed_in_user(request),
        distribution=found,
        upload=upload,
    )
