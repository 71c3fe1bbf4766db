"""What the public sees of an association's charity work (公益信息公开): nothing until the
association turns disclosure on (``CharitySettings.disclose_publicly``); then its totals (the
whole ledger), its public campaigns, the honors it received and marked public, and the honor
roll (光荣榜) of donors who agreed to be named. Never a beneficiary, a note, a recipient
student or an anonymous donor's name.

The lookups by a visitor's input go through ``access_public_campaign``: the same 404 for an
unknown campaign, another association's, a campaign not public, and an association that does
not disclose."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404

from shanghui.charity.models import Campaign, CampaignPartner, CharitySettings, Donation, Honor
from shanghui.charity.selectors.dashboard import ledger_years
from shanghui.charity.totals import (
    LEDGER,
    Totals,
    association_donations,
    ledger_rows,
    roomy_aggregation,
    rows_totals,
)
from shanghui.core.cache_versions import cached
from shanghui.core.http import id_or_404
from shanghui.core.regions import region_display_name
from shanghui.core.types import Tenant

HONOR_ROLL_PAGE = 200
HONOR_ROLL_PREVIEW = 30


def charity_settings(association: Tenant) -> CharitySettings:
    """The association's charity settings; unsaved defaults (nothing disclosed) before the
    first save."""
    found = CharitySettings.objects.filter(association_id=association.pk).first()
    return found or CharitySettings(association_id=association.pk)


def discloses(association: Tenant) -> bool:
    return CharitySettings.objects.filter(
        association_id=association.pk, disclose_publicly=True
    ).exists()


def require_disclosure(association: Tenant) -> CharitySettings:
    """The settings of an association that discloses; 404 otherwise (as for an unknown
    address: a visitor cannot tell an association that keeps its figures to itself)."""
    found = CharitySettings.objects.filter(
        association_id=association.pk, disclose_publicly=True
    ).first()
    if found is None:
        raise Http404
    return found


def public_campaigns(association: Tenant) -> list[Campaign]:
    return list(
        Campaign.objects.filter(association_id=association.pk, is_public=True).order_by(
            "-starts_on", "-id"
        )
    )


def access_public_campaign(*, association: Tenant, campaign_id: object) -> Campaign:
    """A campaign a visitor may see: public, of an association that discloses. The same 404
    for anything else."""
    pk = id_or_404(campaign_id)
    require_disclosure(association)
    campaign = Campaign.objects.filter(association_id=association.pk, pk=pk, is_public=True).first()
    if campaign is None:
        raise Http404
    return campaign


@dataclass(frozen=True)
class RollEntry:
    """A donor on the honor roll: the name recorded with the gifts, their sum net of nothing
    (reversed gifts are left out whole) and how many."""

    name: str
    total: Decimal
    gifts: int


def _honor_roll(
    association: Tenant, campaign_id: int | None, public_ids: tuple[int, ...], limit: int
) -> list[RollEntry]:
    roomy_aggregation()
    donations = association_donations(association).filter(
        name_public=True, anonymous=False, reverses__isnull=True
    )
    if campaign_id is not None:
        donations = donations.filter(campaign_id=campaign_id)
    else:
        donations = donations.filter(Q(campaign__isnull=True) | Q(campaign_id__in=public_ids))
    reversed_ = Donation.objects.filter(association_id=association.pk, reverses=OuterRef("pk"))
    rows = (
        donations.filter(~Exists(reversed_))
        .values("donor_name")
        .annotate(total=Sum("amount"), gifts=Count("id"))
        .order_by("-total", "donor_name")[:limit]
    )
    return [RollEntry(row["donor_name"], row["total"], row["gifts"]) for row in rows]


def honor_roll(
    association: Tenant, *, campaign: Campaign | None = None, limit: int = HONOR_ROLL_PAGE
) -> list[RollEntry]:
    """光荣榜: donors who agreed to be named (``name_public``) and did not give anonymously,
    largest first — of one public campaign, or of the association's public campaigns and the
    gifts to no campaign. A gift that was reversed is left out. Cached until the ledger
    changes (the public campaigns are part of the key)."""
    campaign_id = campaign.pk if campaign is not None else None
    public_ids: tuple[int, ...] = ()
    if campaign_id is None:
        public_ids = tuple(
            Campaign.objects.filter(association_id=association.pk, is_public=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    scope = f"c{campaign_id}" if campaign_id is not None else "a" + "-".join(map(str, public_ids))
    return cached(
        association.pk,
        (LEDGER,),
        f"charity.honor_roll.{limit}.{scope}",
        lambda: _honor_roll(association, campaign_id, public_ids, limit),
    )


@dataclass(frozen=True)
class PublicCampaign:
    campaign: Campaign
    received: Totals


@dataclass(frozen=True)
class YearTotal:
    year: int
    totals: Totals


@dataclass
class PublicDisclosure:
    """The public page of an association's charity work."""

    settings: CharitySettings
    totals: Totals
    organized: Decimal
    reported: Decimal
    by_year: list[YearTotal] = field(default_factory=list)
    campaigns: list[PublicCampaign] = field(default_factory=list)
    honors: list[Honor] = field(default_factory=list)
    honor_roll: list[RollEntry] = field(default_factory=list)


def public_honors(association: Tenant) -> list[Honor]:
    """Honors the association received and marked public, not revoked."""
    return list(
        Honor.objects.filter(
            association_id=association.pk,
            direction=Honor.Direction.RECEIVED,
            is_public=True,
            revoked_at__isnull=True,
        ).order_by("-awarded_on", "-id")
    )


def public_disclosure(
    association: Tenant, *, roll_limit: int = HONOR_ROLL_PREVIEW
) -> PublicDisclosure:
    """The association's disclosure page; 404 unless it discloses. The totals are the whole
    ledger's (every gift, of public campaigns or not: the association's record)."""
    settings = require_disclosure(association)
    rows = ledger_rows(association)
    organized = rows_totals(r for r in rows if r.channel == Donation.Channel.ORGANIZED).total
    campaigns = public_campaigns(association)
    return PublicDisclosure(
        settings=settings,
        totals=rows_totals(rows),
        organized=organized,
        reported=rows_totals(r for r in rows if r.channel == Donation.Channel.REPORTED).total,
        by_year=[
            YearTotal(year, rows_totals(r for r in rows if r.year == year))
            for year in ledger_years(rows)
        ],
        campaigns=[
            PublicCampaign(c, rows_totals(r for r in rows if r.campaign_id == c.pk))
            for c in campaigns
        ],
        honors=public_honors(association),
        honor_roll=honor_roll(association, limit=roll_limit),
    )


def campaign_partner_names(association: Tenant, campaign: Campaign) -> list[str]:
    return list(
        CampaignPartner.objects.filter(association_id=association.pk, campaign_id=campaign.pk)
        .order_by("partner__name")
        .values_list("partner__name", flat=True)
    )


def campaign_regions(campaign: Campaign) -> list[str]:
    return [region_display_name(code) for code in campaign.region_codes or [] if code]
