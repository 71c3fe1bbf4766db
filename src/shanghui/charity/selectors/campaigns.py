"""Reading campaigns, partners and pledges, and the access helpers every lookup driven by
user input goes through (``access_campaign``, ``access_partner``, ``access_pledge``).

What a pledge has received is always read from the ledger (the donations naming it), never
stored."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.charity.models import (
    Campaign,
    CampaignPartner,
    Donation,
    Partner,
    Pledge,
    PledgeInstallment,
)
from shanghui.core.chinese import normalize_query
from shanghui.core.http import id_or_404, whole_number
from shanghui.core.regions import region_display_name
from shanghui.core.types import Position, Tenant
from shanghui.members.models import Member
from shanghui.members.selectors import my_members

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def _query_text(data: object, key: str) -> str:
    get = getattr(data, "get", None)
    return str(get(key, "") or "").strip()[:50] if get is not None else ""


def manages_charity(role: Position | None) -> bool:
    return has_perm(role, Perm.MANAGE_CHARITY)


# --- Campaigns ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignFilters:
    """List filters as the query string gives them; anything malformed is ignored."""

    status: str = ""
    q: str = ""
    year: str = ""

    @classmethod
    def from_mapping(cls, data: object) -> "CampaignFilters":
        return cls(**{key: _query_text(data, key) for key in cls.__dataclass_fields__})


def _received_by(field: str, column: str = "amount") -> Coalesce:
    """What the ledger holds (cash and the value of goods, reversals netted) for the row's
    campaign or pledge; with ``column="quantity"``, the number of items."""
    ledger = (
        Donation.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(total=Sum(column))
        .values("total")
    )
    return Coalesce(Subquery(ledger, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def campaigns_search(
    *, association: Tenant, filters: CampaignFilters | None = None
) -> QuerySet[Campaign]:
    """Campaigns of ``association``, newest first, each with ``received`` from the ledger."""
    filters = filters or CampaignFilters()
    qs = Campaign.objects.filter(association_id=association.pk)
    if filters.status in Campaign.Status.values:
        qs = qs.filter(status=filters.status)
    if len(filters.year) == 4 and (year := whole_number(filters.year)) is not None:
        qs = qs.filter(starts_on__year__lte=year).filter(
            Q(ends_on__isnull=True) | Q(ends_on__year__gte=year)
        )
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(summary__icontains=filters.q))
    return qs.annotate(received=_received_by("campaign_id")).order_by("-starts_on", "-id")


def campaigns_open(*, association: Tenant) -> QuerySet[Campaign]:
    """What members see: campaigns in progress, newest first, with ``received``."""
    return campaigns_search(
        association=association, filters=CampaignFilters(status=Campaign.Status.ACTIVE)
    )


def access_campaign(*, association: Tenant, role: Position | None, campaign_id: object) -> Campaign:
    """One campaign of ``association``. The secretariat (``charity.manage``) reaches every
    campaign; anyone else only campaigns in progress or closed (a planned one is a draft).
    The same 404 for a malformed id, a missing one, another association's and a draft."""
    qs = Campaign.objects.filter(association_id=association.pk, pk=id_or_404(campaign_id))
    if not manages_charity(role):
        qs = qs.exclude(status=Campaign.Status.PLANNED)
    campaign = qs.first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_partners(campaign: Campaign) -> list[Partner]:
    ids = CampaignPartner.objects.filter(
        association_id=campaign.association_id, campaign_id=campaign.pk
    ).values("partner_id")
    return list(Partner.objects.filter(association_id=campaign.association_id, pk__in=ids))


def campaign_regions(campaign: Campaign) -> list[tuple[str, str]]:
    """(code, full name) of the regions that benefit, in the order they were entered."""
    return [(code, region_display_name(code) or code) for code in campaign.region_codes or []]


def campaign_recent_donations(campaign: Campaign, limit: int = 10) -> list[Donation]:
    return list(
        Donation.objects.filter(association_id=campaign.association_id, campaign_id=campaign.pk)
        .select_related("reverses")
        .order_by("-donated_on", "-id")[:limit]
    )


def bar_percent(percent: int | None) -> int:
    """A progress bar's width: the percentage, at most 100."""
    return max(0, min(100, percent or 0))


def set_percent(campaigns: Iterable[Campaign]) -> None:
    """Sets ``percent`` (of the money goal; None without one) and ``bar`` on campaigns read
    through ``campaigns_search`` (which annotates ``received``)."""
    for campaign in campaigns:
        received = getattr(campaign, "received", ZERO)
        goal = campaign.goal_amount
        percent = int(received * 100 // goal) if goal else None
        campaign.percent = percent  # type: ignore[attr-defined]
        campaign.bar = bar_percent(percent)  # type: ignore[attr-defined]


# --- Partners -----------------------------------------------------------------------------


def partners_list(*, association: Tenant, kind: str = "", q: str = "") -> QuerySet[Partner]:
    qs = Partner.objects.filter(association_id=association.pk)
    if kind in Partner.Kind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.order_by("name", "id")


def access_partner(*, association: Tenant, partner_id: object, kind: str = "") -> Partner:
    """One partner organization of ``association`` (of ``kind`` when given, e.g. a school).
    Partners are the secretariat's records; callers check the permission. The same 404 for a
    malformed id, a missing one, another association's and one of another kind."""
    qs = Partner.objects.filter(association_id=association.pk, pk=id_or_404(partner_id))
    if kind:
        qs = qs.filter(kind=kind)
    partner = qs.first()
    if partner is None:
        raise Http404
    return partner


# --- Pledges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PledgeFilters:
    campaign: str = ""
    status: str = ""
    q: str = ""
    overdue: str = ""  # "1": open pledges with something past due and not received

    @classmethod
    def from_mapping(cls, data: object) -> "PledgeFilters":
        return cls(**{key: _query_text(data, key) for key in cls.__dataclass_fields__})


def _with_figures(qs: QuerySet[Pledge], today: date) -> QuerySet[Pledge]:
    """Each pledge with ``received`` (from the ledger, in 元), ``received_quantity`` (items,
    for goods) and ``due_so_far`` (the installments due before today)."""
    due = (
        PledgeInstallment.objects.filter(pledge_id=OuterRef("pk"), due_on__lt=today)
        .order_by()
        .values("pledge_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return qs.annotate(
        received=_received_by("pledge_id"),
        received_quantity=_received_by("pledge_id", "quantity"),
        due_so_far=Coalesce(Subquery(due, output_field=_MONEY), Value(ZERO), output_field=_MONEY),
    )


def _overdue_q(today: date) -> Q:
    return Q(status=Pledge.Status.OPEN) & (Q(due_on__lt=today) | Q(received__lt=F("due_so_far")))


def pledges_search(
    *,
    association: Tenant,
    filters: PledgeFilters | None = None,
    today: date | None = None,
) -> QuerySet[Pledge]:
    """Pledges of ``association`` by due date, with ``received`` and ``due_so_far``."""
    filters = filters or PledgeFilters()
    today = today or timezone.localdate()
    qs: QuerySet[Pledge] = Pledge.objects.filter(association_id=association.pk).select_related(
        "campaign"
    )
    if (campaign_id := whole_number(filters.campaign)) is not None:
        qs = qs.filter(campaign_id=campaign_id)
    if filters.status in Pledge.Status.values:
        qs = qs.filter(status=filters.status)
    needle = normalize_query(filters.q)
    if needle:
        qs = qs.filter(Q(donor_name__icontains=needle) | Q(donor_uscc__iexact=needle))
    elif filters.q:
        qs = qs.none()
    qs = _with_figures(qs, today)
    if filters.overdue == "1":
        qs = qs.filter(_overdue_q(today))
    return qs.order_by("due_on", "id")


def pledge_is_overdue(pledge: Pledge, today: date | None = None) -> bool:
    """For a pledge read through ``pledges_search``/``access_pledge`` (with its figures)."""
    today = today or timezone.localdate()
    if pledge.status != Pledge.Status.OPEN:
        return False
    received = getattr(pledge, "received", ZERO)
    return pledge.due_on < today or received < getattr(pledge, "due_so_far", ZERO)


def _mine(association: Tenant, user: User) -> Q:
    members = my_members(association=association, user_id=user.pk).values("pk")  # type: ignore[arg-type]
    return Q(donor_member_id__in=members) | Q(pledged_by_id=user.pk)


def access_pledge(
    *, association: Tenant, actor: User, role: Position | None, pledge_id: object
) -> Pledge:
    """One pledge of ``association`` with its figures: any pledge for the secretariat
    (``charity.manage``), only those of the members the actor represents (or that the actor
    made) for anyone else. The same 404 for missing, another association's and not yours."""
    qs = Pledge.objects.filter(
        association_id=association.pk, pk=id_or_404(pledge_id)
    ).select_related("campaign", "pledged_by")
    if not manages_charity(role):
        qs = qs.filter(_mine(association, actor))
    pledge = _with_figures(qs, timezone.localdate()).first()
    if pledge is None:
        raise Http404
    return pledge


@dataclass(frozen=True)
class InstallmentLine:
    """One installment with what the ledger has covered of it (received money is applied to
    the installments in date order)."""

    installment: PledgeInstallment
    covered: Decimal
    state: str  # "paid", "partial", "overdue", "due"

    @property
    def state_label(self) -> str:
        from django.utils.translation import gettext as _

        return {
            "paid": _("已到位"),
            "partial": _("部分到位"),
            "overdue": _("逾期"),
            "due": _("待到期"),
        }[self.state]


def pledge_schedule(pledge: Pledge, today: date | None = None) -> list[InstallmentLine]:
    today = today or timezone.localdate()
    left = max(getattr(pledge, "received", ZERO), ZERO)
    lines = []
    for installment in PledgeInstallment.objects.filter(
        association_id=pledge.association_id, pledge_id=pledge.pk
    ).order_by("due_on", "id"):
        covered = min(left, installment.amount)
        left -= covered
        if covered >= installment.amount:
            state = "paid"
        elif installment.due_on < today and pledge.status == Pledge.Status.OPEN:
            state = "overdue"
        elif covered > 0:
            state = "partial"
        else:
            state = "due"
        lines.append(InstallmentLine(installment, covered, state))
    return lines


def pledge_donations(pledge: Pledge) -> list[Donation]:
    return list(
        Donation.objects.filter(association_id=pledge.association_id, pledge_id=pledge.pk).order_by(
            "donated_on", "id"
        )
    )


# --- A member's 我的公益 -----------------------------------------------------------------


def my_pledges(*, association: Tenant, user: User) -> QuerySet[Pledge]:
    """The pledges of the members ``user`` represents (and those they made), newest first,
    with what the ledger received against each."""
    qs = Pledge.objects.filter(association_id=association.pk).filter(_mine(association, user))
    return _with_figures(qs.select_related("campaign"), timezone.localdate()).order_by(
        "-created_at", "-id"
    )


def my_donations(*, association: Tenant, user: User) -> QuerySet[Donation]:
    """The ledger entries of the members ``user`` represents and of ``user`` as a person,
    newest first (reversals included, so what is shown nets out as the totals do)."""
    members = my_members(association=association, user_id=user.pk).values("pk")  # type: ignore[arg-type]
    return (
        Donation.objects.filter(association_id=association.pk)
        .filter(Q(donor_member_id__in=members) | Q(donor_person__user_id=user.pk))
        .select_related("campaign")
        .order_by("-donated_on", "-id")
    )


def members_named(*, association: Tenant, text: str, limit: int = 6) -> list[Member]:
    """Members of ``association`` that ``text`` names — the secretariat types a member's
    number, credit code or name when it takes a pledge down: exact matches when there are
    any, else names containing it (at most ``limit``)."""
    text = text.strip()
    if not text:
        return []
    members = Member.objects.filter(association_id=association.pk).exclude(
        status=Member.Status.APPLYING
    )
    exact = list(
        members.filter(Q(member_no=text) | Q(uscc=text.upper()) | Q(name=text)).order_by("id")[
            :limit
        ]
    )
    if exact:
        return exact
    return list(members.filter(name__icontains=text).order_by("name", "id")[:limit])


def members_for_pledge(*, association: Tenant, user: User) -> list[Member]:
    """The members ``user`` may pledge for: those they represent."""
    return list(my_members(association=association, user_id=user.pk).order_by("name", "id"))  # type: ignore[arg-type]
