"""Campaigns, partners and pledges in the JSON API (under /api/v1/associations/{slug}/charity/).
Endpoints are thin: they call the same services and selectors as the pages. The secretariat
(``charity.manage``) manages everything; a member reads campaigns in progress, pledges for
the members they represent and reads their own pledges and donations (``/mine``)."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.models import Campaign, DonorKind, GiftKind, Partner, Pledge
from shanghui.charity.selectors import campaigns as selectors
from shanghui.charity.services import campaigns as services
from shanghui.charity.services.donations import DonorInput
from shanghui.charity.totals import CampaignProgress, campaign_progress, ledger_totals
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import id_or_404
from shanghui.members.selectors import access_member

campaigns_router = Router(tags=["慈善公益"])
CENT = Decimal("0.01")


def cents(amount: object) -> Decimal:
    """An amount as the API writes money: two decimals ("0.00", not "0")."""
    return Decimal(str(amount or 0)).quantize(CENT)


# --- Schemas ------------------------------------------------------------------------------


class CharityPartnerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    uscc: str
    region_code: str
    issues_official_receipts: bool

    @staticmethod
    def resolve_kind_label(obj: Partner) -> str:
        return str(obj.get_kind_display())


class CharityPartnerIn(Schema):
    name: str = Field(max_length=200)
    kind: str = Partner.Kind.OTHER
    uscc: str = Field("", max_length=50)
    region_code: str = Field("", max_length=12)
    issues_official_receipts: bool = False


class CampaignOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    status_label: str
    starts_on: date
    ends_on: date | None
    goal_amount: Decimal | None
    goal_item: str
    goal_quantity: Decimal | None
    goal_unit: str
    region_codes: list[str]
    pledge_deadline: date | None
    public_fundraising_url: str
    is_public: bool
    received: Decimal

    @staticmethod
    def resolve_status_label(obj: Campaign) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_received(obj: Campaign) -> Decimal:
        # Lists annotate it (campaigns_search); a detail sets it from campaign_progress.
        return cents(getattr(obj, "received", 0))


class CampaignItemOut(Schema):
    item: str
    unit: str
    quantity: Decimal


class CampaignProgressOut(Schema):
    cash: Decimal
    goods: Decimal
    total: Decimal
    entries: int
    pledged_open: Decimal
    amount_percent: int | None
    quantity_percent: int | None
    goal_item_received: Decimal
    items: list[CampaignItemOut]


class CampaignDetailOut(CampaignOut):
    partners: list[CharityPartnerOut]
    progress: CampaignProgressOut
    takes_pledges: bool

    @staticmethod
    def resolve_partners(obj: Campaign) -> list[Partner]:
        return selectors.campaign_partners(obj)

    @staticmethod
    def resolve_takes_pledges(obj: Campaign) -> bool:
        return services.campaign_takes_pledges(obj)

    @staticmethod
    def resolve_progress(obj: Campaign) -> dict[str, object]:
        progress: CampaignProgress = getattr(obj, "progress", None) or campaign_progress(
            obj.association, obj
        )
        return {
            "cash": cents(progress.received.cash),
            "goods": cents(progress.received.goods),
            "total": cents(progress.received.total),
            "entries": progress.received.entries,
            "pledged_open": cents(progress.pledged_open),
            "amount_percent": progress.amount_percent,
            "quantity_percent": progress.quantity_percent,
            "goal_item_received": progress.goal_item_received,
            "items": [
                {"item": row.item, "unit": row.unit, "quantity": row.quantity}
                for row in progress.items
            ],
        }


class CampaignIn(Schema):
    title: str = Field(max_length=200)
    summary: str = Field("", max_length=10000)
    status: str = Campaign.Status.PLANNED
    starts_on: date
    ends_on: date | None = None
    goal_amount: Decimal | str | None = None
    goal_item: str = Field("", max_length=100)
    goal_quantity: Decimal | str | None = None
    goal_unit: str = Field("", max_length=20)
    region_codes: list[str] = Field(default_factory=list, max_length=100)
    partner_ids: list[StrictInt] = Field(default_factory=list, max_length=100)
    pledge_deadline: date | None = None
    public_fundraising_url: str = Field("", max_length=400)
    is_public: bool = False


class CampaignQuery(Schema):
    status: str = ""
    q: str = ""
    year: str = ""


class PledgeInstallmentOut(Schema):
    id: int
    due_on: date
    amount: Decimal


class PledgeOut(Schema):
    id: int
    campaign_id: int
    campaign_title: str
    donor_kind: str
    donor_member_id: int | None
    donor_name: str
    anonymous: bool
    kind: str
    amount: Decimal
    item: str
    quantity: Decimal | None
    unit: str
    due_on: date
    status: str
    status_label: str
    note: str
    received: Decimal
    received_quantity: Decimal | None
    is_overdue: bool
    created_at: datetime

    @staticmethod
    def resolve_campaign_title(obj: Pledge) -> str:
        return obj.campaign.title

    @staticmethod
    def resolve_status_label(obj: Pledge) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_received(obj: Pledge) -> Decimal:
        return cents(getattr(obj, "received", 0))

    @staticmethod
    def resolve_received_quantity(obj: Pledge) -> Decimal | None:
        if obj.kind != GiftKind.GOODS:
            return None
        return cents(getattr(obj, "received_quantity", 0))

    @staticmethod
    def resolve_is_overdue(obj: Pledge) -> bool:
        return selectors.pledge_is_overdue(obj)


class PledgeDetailOut(PledgeOut):
    installments: list[PledgeInstallmentOut]

    @staticmethod
    def resolve_installments(obj: Pledge) -> list[object]:
        return [line.installment for line in selectors.pledge_schedule(obj)]


class PledgeIn(Schema):
    """A member pledges for ``member_id`` (a member they represent; may be left out when they
    represent one). The secretariat gives ``member_id`` or ``donor_name`` (an outside donor)."""

    member_id: StrictInt | None = None
    donor_name: str = Field("", max_length=200)
    anonymous: bool = False
    kind: str
    amount: Decimal | str | None = None
    item: str = Field("", max_length=100)
    quantity: Decimal | str | None = None
    unit: str = Field("", max_length=20)
    due_on: date
    note: str = Field("", max_length=600)


class PledgeQuery(Schema):
    campaign: str = ""
    status: str = ""
    q: str = ""
    overdue: str = ""


class PledgeCancelIn(Schema):
    reason: str = Field(max_length=400)


class PledgeInstallmentIn(Schema):
    due_on: date
    amount: Decimal | str


class PledgeScheduleIn(Schema):
    installments: list[PledgeInstallmentIn] = Field(max_length=100)


class MyCharityDonationOut(Schema):
    id: int
    campaign_id: int | None
    donor_name: str
    kind: str
    amount: Decimal
    item: str
    quantity: Decimal | None
    unit: str
    donated_on: date
    channel: str
    recipient_name: str
    reverses_id: int | None


class MyCharityOut(Schema):
    pledges: list[PledgeOut]
    donations: list[MyCharityDonationOut]
    total: Decimal
    cash: Decimal
    goods: Decimal


# --- Campaigns ----------------------------------------------------------------------------


def _manager(request: HttpRequest) -> None:
    require_perm(current_role(request), Perm.MANAGE_CHARITY)


def _campaign_input(request: HttpRequest, payload: CampaignIn) -> services.CampaignInput:
    association = current_association(request)
    partners = [
        selectors.access_partner(association=association, partner_id=pk)
        for pk in dict.fromkeys(payload.partner_ids)
    ]
    data = payload.dict(exclude={"partner_ids"})
    return services.CampaignInput(**data, partners=partners)


@campaigns_router.get(
    "/campaigns",
    operation_id="shanghui_charity_api_campaign_list",
    response={200: list[CampaignOut], **ERRORS},
)
@paginate(Pages)
def campaign_list(request: HttpRequest, slug: Path[str], filters: Query[CampaignQuery]) -> object:
    """Campaigns, newest first, each with what the ledger received. The secretariat sees
    every campaign and may filter; a member sees the campaigns in progress."""
    role = require_member(current_role(request))
    association = current_association(request)
    if has_perm(role, Perm.MANAGE_CHARITY):
        return selectors.campaigns_search(
            association=association, filters=selectors.CampaignFilters(**filters.dict())
        )
    return selectors.campaigns_open(association=association)


@campaigns_router.post(
    "/campaigns",
    operation_id="shanghui_charity_api_campaign_create",
    response={201: CampaignDetailOut, **ERRORS},
)
def campaign_create(request: HttpRequest, slug: Path[str], payload: CampaignIn) -> Status[object]:
    """Create a campaign: goal in money (``goal_amount``) and/or items, period, beneficiary
    regions (GB/T 2260 codes), partners (``partner_ids``), pledge deadline."""
    _manager(request)
    campaign = services.campaign_create(
        association=current_association(request),
        actor=signed_in_user(request),
        data=_campaign_input(request, payload),
    )
    return Status(201, _detail(campaign))


def _detail(campaign: Campaign) -> Campaign:
    """``campaign`` ready for ``CampaignDetailOut``: its progress read from the ledger once."""
    progress = campaign_progress(campaign.association, campaign)
    campaign.progress = progress  # type: ignore[attr-defined]
    campaign.received = progress.received.total  # type: ignore[attr-defined]
    return campaign


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    role = require_member(current_role(request))
    return selectors.access_campaign(
        association=current_association(request), role=role, campaign_id=campaign_id
    )


@campaigns_router.get(
    "/campaigns/{campaign_id}",
    operation_id="shanghui_charity_api_campaign_detail",
    response={200: CampaignDetailOut, **ERRORS},
)
def campaign_detail(request: HttpRequest, slug: Path[str], campaign_id: int) -> object:
    """A campaign with its partners and its progress against the goal, read from the ledger
    (cash, goods value, items received, open pledges)."""
    return _detail(_campaign(request, campaign_id))


@campaigns_router.put(
    "/campaigns/{campaign_id}",
    operation_id="shanghui_charity_api_campaign_update",
    response={200: CampaignDetailOut, **ERRORS},
)
def campaign_update(
    request: HttpRequest, slug: Path[str], campaign_id: int, payload: CampaignIn
) -> object:
    """Change every field of a campaign (send them all, as in ``POST /campaigns``)."""
    _manager(request)
    campaign = _campaign(request, campaign_id)
    services.campaign_update(
        association=current_association(request),
        actor=signed_in_user(request),
        campaign=campaign,
        data=_campaign_input(request, payload),
    )
    return _detail(campaign)


# --- Partners -----------------------------------------------------------------------------


@campaigns_router.get(
    "/partners",
    operation_id="shanghui_charity_api_partner_list",
    response={200: list[CharityPartnerOut], **ERRORS},
)
@paginate(Pages)
def partner_list(request: HttpRequest, slug: Path[str], kind: str = "") -> object:
    """The partner organizations (红十字会, 慈善总会, schools …), by name; ``kind`` filters."""
    _manager(request)
    return selectors.partners_list(association=current_association(request), kind=kind[:30])


@campaigns_router.post(
    "/partners",
    operation_id="shanghui_charity_api_partner_create",
    response={201: CharityPartnerOut, **ERRORS},
)
def partner_create(
    request: HttpRequest, slug: Path[str], payload: CharityPartnerIn
) -> Status[object]:
    _manager(request)
    partner = services.partner_save(
        association=current_association(request),
        actor=signed_in_user(request),
        data=services.PartnerInput(**payload.dict()),
    )
    return Status(201, partner)


def _partner(request: HttpRequest, partner_id: int) -> Partner:
    _manager(request)
    return selectors.access_partner(association=current_association(request), partner_id=partner_id)


@campaigns_router.get(
    "/partners/{partner_id}",
    operation_id="shanghui_charity_api_partner_detail",
    response={200: CharityPartnerOut, **ERRORS},
)
def partner_detail(request: HttpRequest, slug: Path[str], partner_id: int) -> Partner:
    return _partner(request, partner_id)


@campaigns_router.put(
    "/partners/{partner_id}",
    operation_id="shanghui_charity_api_partner_update",
    response={200: CharityPartnerOut, **ERRORS},
)
def partner_update(
    request: HttpRequest, slug: Path[str], partner_id: int, payload: CharityPartnerIn
) -> Partner:
    partner = _partner(request, partner_id)
    return services.partner_save(
        association=current_association(request),
        actor=signed_in_user(request),
        data=services.PartnerInput(**payload.dict()),
        partner=partner,
    )


# --- Pledges ------------------------------------------------------------------------------


@campaigns_router.get(
    "/pledges",
    operation_id="shanghui_charity_api_pledge_list",
    response={200: list[PledgeOut], **ERRORS},
)
@paginate(Pages)
def pledge_list(request: HttpRequest, slug: Path[str], filters: Query[PledgeQuery]) -> object:
    """Pledges with what the ledger received against each. The secretariat sees every pledge
    (filters: ``campaign`` id, ``status``, ``q`` donor, ``overdue=1``); a member sees those
    of the members they represent."""
    role = require_member(current_role(request))
    association = current_association(request)
    if has_perm(role, Perm.MANAGE_CHARITY):
        return selectors.pledges_search(
            association=association, filters=selectors.PledgeFilters(**filters.dict())
        )
    return selectors.my_pledges(association=association, user=signed_in_user(request))


@campaigns_router.post(
    "/campaigns/{campaign_id}/pledges",
    operation_id="shanghui_charity_api_pledge_create",
    response={201: PledgeDetailOut, **ERRORS},
)
def pledge_create(
    request: HttpRequest, slug: Path[str], campaign_id: int, payload: PledgeIn
) -> Status[object]:
    """Pledge (认捐) to a campaign. A member pledges for a member they represent while the
    campaign takes pledges (in progress, before its pledge deadline); the secretariat records
    a pledge for any member or outside donor."""
    role = require_member(current_role(request))
    association = current_association(request)
    user = signed_in_user(request)
    campaign = _campaign(request, campaign_id)
    data = services.PledgeInput(
        **payload.dict(include={"kind", "amount", "item", "quantity", "unit", "due_on", "note"})
    )
    if has_perm(role, Perm.MANAGE_CHARITY):
        if payload.member_id is not None:
            member = access_member(
                association=association, member_id=id_or_404(payload.member_id), directory=False
            )
            donor = DonorInput(kind=DonorKind.MEMBER, member=member, anonymous=payload.anonymous)
        else:
            donor = DonorInput(
                kind=DonorKind.OUTSIDE, name=payload.donor_name, anonymous=payload.anonymous
            )
        by_member = False
    else:
        mine = selectors.members_for_pledge(association=association, user=user)
        if payload.member_id is None and len(mine) == 1:
            member = mine[0]
        else:
            found = next((m for m in mine if m.pk == payload.member_id), None)
            if found is None:
                raise ValidationError({"member_id": _("请选择您所代表的会员")})
            member = found
        donor = DonorInput(kind=DonorKind.MEMBER, member=member)
        by_member = True
    pledge = services.pledge_create(
        association=association,
        actor=user,
        campaign=campaign,
        donor=donor,
        data=data,
        by_member=by_member,
    )
    return Status(201, _pledge(request, pledge.pk))


def _pledge(request: HttpRequest, pledge_id: int) -> Pledge:
    role = require_member(current_role(request))
    return selectors.access_pledge(
        association=current_association(request),
        actor=signed_in_user(request),
        role=role,
        pledge_id=pledge_id,
    )


@campaigns_router.get(
    "/pledges/{pledge_id}",
    operation_id="shanghui_charity_api_pledge_detail",
    response={200: PledgeDetailOut, **ERRORS},
)
def pledge_detail(request: HttpRequest, slug: Path[str], pledge_id: int) -> Pledge:
    """A pledge with its installment schedule and what the ledger received against it."""
    return _pledge(request, pledge_id)


@campaigns_router.post(
    "/pledges/{pledge_id}/cancel",
    operation_id="shanghui_charity_api_pledge_cancel",
    response={200: PledgeDetailOut, **ERRORS},
)
def pledge_cancel(
    request: HttpRequest, slug: Path[str], pledge_id: int, payload: PledgeCancelIn
) -> Pledge:
    """Cancel an open pledge, with a reason; what it already received stays in the ledger."""
    _manager(request)
    pledge = _pledge(request, pledge_id)
    services.pledge_cancel(
        association=current_association(request),
        actor=signed_in_user(request),
        pledge=pledge,
        reason=payload.reason,
    )
    return _pledge(request, pledge_id)


@campaigns_router.put(
    "/pledges/{pledge_id}/installments",
    operation_id="shanghui_charity_api_pledge_schedule",
    response={200: PledgeDetailOut, **ERRORS},
)
def pledge_schedule(
    request: HttpRequest, slug: Path[str], pledge_id: int, payload: PledgeScheduleIn
) -> Pledge:
    """Replace the installment schedule of an open pledge; the amounts must sum to the
    pledge's amount. An empty list removes the schedule."""
    _manager(request)
    pledge = _pledge(request, pledge_id)
    services.pledge_schedule_set(
        association=current_association(request),
        actor=signed_in_user(request),
        pledge=pledge,
        installments=[
            services.InstallmentInput(due_on=row.due_on, amount=row.amount)
            for row in payload.installments
        ],
    )
    return _pledge(request, pledge_id)


@campaigns_router.get(
    "/mine",
    operation_id="shanghui_charity_api_mine",
    response={200: MyCharityOut, **ERRORS},
)
def mine(request: HttpRequest, slug: Path[str]) -> dict[str, object]:
    """我的公益: the pledges and donations of the members the caller represents (and their
    own as a person), with the totals of those donations."""
    require_member(current_role(request))
    association = current_association(request)
    user = signed_in_user(request)
    donations = selectors.my_donations(association=association, user=user)
    totals = ledger_totals(donations)
    return {
        "pledges": list(selectors.my_pledges(association=association, user=user)[:200]),
        "donations": list(donations[:200]),
        "total": cents(totals.total),
        "cash": cents(totals.cash),
        "goods": cents(totals.goods),
    }
