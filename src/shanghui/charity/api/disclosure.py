"""Totals and disclosure in the API.

Tenant (MANAGE_CHARITY), under ``/api/v1/associations/{slug}/charity/``: ``totals`` (the
dashboard's figures, ``?year=``), ``settings`` (read, replace) and ``reports/{year}`` (the
yearly report PDF).

Public (anyone), under ``/api/v1/public/associations/{slug}/charity``: the disclosure of an
association that discloses, a public campaign (``/campaigns/{campaign_id}``) and the honor
roll (``/honor-roll``) — 404 otherwise, as the pages answer. Amounts are strings of the exact
figure in 元 with the disclosure text (万/亿) beside them."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from pydantic import StrictBool

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.charity.report import yearly_report_pdf
from shanghui.charity.selectors import disclosure as public
from shanghui.charity.selectors.dashboard import Split, dashboard_figures
from shanghui.charity.services.disclosure import charity_settings_update
from shanghui.charity.templatetags.charity_money import disclosed, with_cash
from shanghui.charity.totals import Totals, campaign_progress
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response

disclosure_router = Router(tags=["慈善公益"])
public_disclosure_router = Router(tags=["慈善公益（公开）"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class DisclosureTotalsOut(Schema):
    """Exact figures in 元 (strings of two decimals) and their disclosure texts."""

    total: Decimal
    cash: Decimal
    goods: Decimal
    entries: int
    total_text: str
    headline: str


def totals_out(totals: Totals, *, at_least: bool = False) -> dict[str, object]:
    return {
        "total": totals.total,
        "cash": totals.cash,
        "goods": totals.goods,
        "entries": totals.entries,
        "total_text": disclosed(totals.total, at_least=at_least),
        "headline": with_cash(totals, at_least=at_least),
    }


class SplitOut(Schema):
    label: str
    cash: Decimal
    goods: Decimal
    total: Decimal


def split_out(split: Split) -> dict[str, object]:
    return {"label": split.label, "cash": split.cash, "goods": split.goods, "total": split.total}


class DonorOut(Schema):
    name: str
    donor_kind: str
    anonymous: bool
    total: Decimal
    gifts: int


class DashboardOut(Schema):
    year: int | None
    years: list[int]
    totals: DisclosureTotalsOut
    organized: Decimal
    reported: Decimal
    gifts: int
    reversals: int
    by_year: list[SplitOut]
    by_campaign: list[SplitOut]
    top_donors: list[DonorOut]


class YearQuery(Schema):
    year: int | None = Field(None, ge=1950, le=2100)


@disclosure_router.get(
    "/totals",
    operation_id="shanghui_charity_api_totals",
    response={200: DashboardOut, **ERRORS},
)
def totals(request: HttpRequest, slug: Path[str], query: Query[YearQuery]) -> object:
    """The dashboard's figures (统计) for ``year`` or every year: totals, cash and goods,
    organized and reported, by year, by campaign, the top donors. Every amount is a sum of
    the ledger, reversals included."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    figures = dashboard_figures(current_association(request), query.year)
    return {
        "year": figures.year,
        "years": figures.years,
        "totals": totals_out(figures.totals),
        "organized": figures.organized,
        "reported": figures.reported,
        "gifts": figures.gifts,
        "reversals": figures.reversals,
        "by_year": [split_out(s) for s in figures.by_year],
        "by_campaign": [split_out(s) for s in figures.by_campaign],
        "top_donors": [d.__dict__ for d in figures.top_donors],
    }


class SettingsIO(Schema):
    disclose_publicly: StrictBool = False
    public_intro: str = ""


@disclosure_router.get(
    "/settings",
    operation_id="shanghui_charity_api_settings",
    response={200: SettingsIO, **ERRORS},
)
def settings_read(request: HttpRequest, slug: Path[str]) -> object:
    """公开与共享: whether the association discloses its charity work publicly."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    return public.charity_settings(current_association(request))


@disclosure_router.put(
    "/settings",
    operation_id="shanghui_charity_api_settings_update",
    response={200: SettingsIO, **ERRORS},
)
def settings_update(request: HttpRequest, slug: Path[str], payload: SettingsIO) -> object:
    """Turns public disclosure on or off and sets the public page's introduction."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    return charity_settings_update(
        association=current_association(request),
        actor=signed_in_user(request),
        disclose_publicly=payload.disclose_publicly,
        public_intro=payload.public_intro,
    )


@disclosure_router.get(
    "/reports/{year}",
    operation_id="shanghui_charity_api_report",
    response={200: None, **ERRORS},
    openapi_extra=PDF_RESPONSE,
)
def report(request: HttpRequest, slug: Path[str], year: int) -> HttpResponse:
    """年度公益报告 of ``year`` as PDF (the CJK font embedded)."""
    require_perm(current_role(request), Perm.MANAGE_CHARITY)
    if not 1950 <= year <= timezone.localdate().year + 1:
        raise Http404
    content = yearly_report_pdf(current_association(request), year)
    return attachment_response(content, f"charity-report-{year}.pdf", inline=True)


# --- Public ---------------------------------------------------------------------------------


class RollOut(Schema):
    name: str
    total: Decimal
    total_text: str


def roll_out(entries: list[public.RollEntry]) -> list[dict[str, object]]:
    return [{"name": e.name, "total": e.total, "total_text": disclosed(e.total)} for e in entries]


class PublicCampaignItemOut(Schema):
    id: int
    title: str
    status: str
    starts_on: date
    ends_on: date | None
    received: DisclosureTotalsOut


class PublicHonorOut(Schema):
    title: str
    awarded_by: str
    awarded_on: date


class YearOut(Schema):
    year: int
    totals: DisclosureTotalsOut


class PublicDisclosureOut(Schema):
    name: str
    intro: str
    totals: DisclosureTotalsOut
    organized: Decimal
    reported: Decimal
    by_year: list[YearOut]
    campaigns: list[PublicCampaignItemOut]
    honors: list[PublicHonorOut]
    honor_roll: list[RollOut]


@public_disclosure_router.get(
    "/charity",
    operation_id="shanghui_charity_api_public",
    auth=None,
    response={200: PublicDisclosureOut, **ERRORS},
)
def public_charity(request: HttpRequest, slug: Path[str]) -> object:
    """公益信息公开, for anyone: the totals (``total_text`` floored: 超25亿元), by year, the
    public campaigns, the honors received, the first names of the honor roll. 404 unless the
    association discloses."""
    association = current_association(request)
    found = public.public_disclosure(association)
    return {
        "name": association.name,
        "intro": found.settings.public_intro,
        "totals": totals_out(found.totals, at_least=True),
        "organized": found.organized,
        "reported": found.reported,
        "by_year": [{"year": y.year, "totals": totals_out(y.totals)} for y in found.by_year],
        "campaigns": [
            {
                "id": c.campaign.pk,
                "title": c.campaign.title,
                "status": c.campaign.status,
                "starts_on": c.campaign.starts_on,
                "ends_on": c.campaign.ends_on,
                "received": totals_out(c.received),
            }
            for c in found.campaigns
        ],
        "honors": found.honors,
        "honor_roll": roll_out(found.honor_roll),
    }


class ItemOut(Schema):
    item: str
    unit: str
    quantity: Decimal


class PublicCampaignOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    starts_on: date
    ends_on: date | None
    goal_amount: Decimal | None
    goal_item: str
    goal_quantity: Decimal | None
    goal_unit: str
    received: DisclosureTotalsOut
    amount_percent: int | None
    items: list[ItemOut]
    partners: list[str]
    regions: list[str]
    public_fundraising_url: str
    honor_roll: list[RollOut]


@public_disclosure_router.get(
    "/charity/campaigns/{campaign_id}",
    operation_id="shanghui_charity_api_public_campaign",
    auth=None,
    response={200: PublicCampaignOut, **ERRORS},
)
def public_campaign(request: HttpRequest, slug: Path[str], campaign_id: int) -> object:
    """A public campaign's progress (exact and in 万/亿), items, partners, regions, the link to
    its partner's fundraising page, its honor roll. 404 unless the association discloses and
    the campaign is public."""
    association = current_association(request)
    campaign = public.access_public_campaign(association=association, campaign_id=campaign_id)
    progress = campaign_progress(association, campaign)
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "summary": campaign.summary,
        "status": campaign.status,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "goal_amount": campaign.goal_amount,
        "goal_item": campaign.goal_item,
        "goal_quantity": campaign.goal_quantity,
        "goal_unit": campaign.goal_unit,
        "received": totals_out(progress.received),
        "amount_percent": progress.amount_percent,
        "items": [i.__dict__ for i in progress.items],
        "partners": public.campaign_partner_names(association, campaign),
        "regions": public.campaign_regions(campaign),
        "public_fundraising_url": campaign.public_fundraising_url,
        "honor_roll": roll_out(public.honor_roll(association, campaign=campaign)),
    }


@public_disclosure_router.get(
    "/charity/honor-roll",
    operation_id="shanghui_charity_api_public_honor_roll",
    auth=None,
    response={200: list[RollOut], **ERRORS},
)
def public_honor_roll(request: HttpRequest, slug: Path[str]) -> object:
    """光荣榜: donors who agreed to be named, largest first. 404 unless the association
    discloses."""
    association = current_association(request)
    public.require_disclosure(association)
    return roll_out(public.honor_roll(association))
