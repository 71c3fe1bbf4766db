"""Reading the donations ledger: the filtered list and its totals, the years it spans, a
donation's evidence, and the access helpers every lookup driven by user input goes through."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.http import Http404

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.charity.models import Campaign, Donation, DonationEvidence, GiftKind, Partner, Pledge
from shanghui.charity.totals import Totals, association_donations, ledger_totals
from shanghui.core.chinese import normalize_query
from shanghui.core.http import id_or_404, whole_number
from shanghui.core.money import FEN
from shanghui.core.types import Tenant
from shanghui.members.models import Representative
from shanghui.members.selectors import matching_member_ids
from shanghui.org.models import GroupMember


@dataclass(frozen=True)
class DonationFilters:
    """The ledger list's filters as the query string gives them; anything malformed is
    ignored (the list then shows more, never an error page)."""

    year: str = ""
    campaign: str = ""
    kind: str = ""
    channel: str = ""
    q: str = ""

    @classmethod
    def from_mapping(cls, data: object) -> "DonationFilters":
        get = getattr(data, "get", None)
        if get is None:
            return cls()
        return cls(
            **{key: str(get(key, "") or "").strip()[:50] for key in cls.__dataclass_fields__}
        )


def _apply(association: Tenant, qs: QuerySet[Donation], f: DonationFilters) -> QuerySet[Donation]:
    if len(f.year) == 4 and (year := whole_number(f.year)) is not None:
        qs = qs.filter(donated_on__year=year)
    if (campaign_id := whole_number(f.campaign)) is not None:
        qs = qs.filter(campaign_id=campaign_id)
    elif f.campaign == "none":
        qs = qs.filter(campaign__isnull=True)
    if f.kind in GiftKind.values:
        qs = qs.filter(kind=f.kind)
    if f.channel in Donation.Channel.values:
        qs = qs.filter(channel=f.channel)
    text = f.q.strip()
    if text:
        needle = normalize_query(text)
        found = Q(donor_name__icontains=text) | Q(donor_uscc=text.upper())
        found |= Q(acknowledgement_no=text.upper()) | Q(official_receipt_no=text)
        if needle:
            found |= Q(
                donor_member_id__in=matching_member_ids(
                    association=association,  # type: ignore[arg-type]
                    needle=needle,
                    phone_tails=True,
                )
            )
        qs = qs.filter(found)
    return qs


def donations_search(*, association: Tenant, filters: DonationFilters) -> QuerySet[Donation]:
    """The ledger entries of ``association`` matching ``filters``, newest first, reversals
    included (they carry the date of the entry they reverse, so a year's list nets out);
    each row knows whether it ``is_reversed``."""
    qs = _apply(association, association_donations(association), filters)
    reversed_q = Donation.objects.filter(association_id=association.pk, reverses_id=OuterRef("pk"))
    return (
        qs.select_related("campaign", "recorded_by")
        .annotate(is_reversed=Exists(reversed_q))
        .order_by("-donated_on", "-id")
    )


def donations_totals(*, association: Tenant, filters: DonationFilters) -> Totals:
    """The totals of exactly what the list shows (``charity.totals.ledger_totals``), to the
    fen (SQLite's sums come back without their decimals)."""
    totals = ledger_totals(_apply(association, association_donations(association), filters))
    return Totals(
        cash=totals.cash.quantize(FEN), goods=totals.goods.quantize(FEN), entries=totals.entries
    )


def donation_years(*, association: Tenant) -> list[int]:
    """The years from the ledger's latest entry back to its first, newest first: two index
    lookups (the first and the last date) rather than a pass over every entry."""
    span = association_donations(association).aggregate(
        first=Min("donated_on"), last=Max("donated_on")
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


def campaigns_of(association: Tenant) -> QuerySet[Campaign]:
    return Campaign.objects.filter(association_id=association.pk).order_by("-starts_on", "-id")


def partners_of(association: Tenant) -> QuerySet[Partner]:
    return Partner.objects.filter(association_id=association.pk).order_by("name")


def group_members_of(association: Tenant) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(association_id=association.pk).order_by("name", "id")


def open_pledges_of(association: Tenant) -> QuerySet[Pledge]:
    return (
        Pledge.objects.filter(association_id=association.pk, status=Pledge.Status.OPEN)
        .select_related("campaign")
        .order_by("due_on", "id")
    )


def donation_evidence(donation: Donation) -> list[DonationEvidence]:
    return list(
        DonationEvidence.objects.filter(association_id=donation.association_id, donation=donation)
        .select_related("added_by")
        .order_by("created_at", "id")
    )


def donation_reversal(donation: Donation) -> Donation | None:
    """The entry reversing ``donation``, if any."""
    return Donation.objects.filter(
        association_id=donation.association_id, reverses_id=donation.pk
    ).first()


# --- Access -----------------------------------------------------------------------------


def my_donor_filter(*, association: Tenant, user: User) -> Q:
    """Donations a member may read: given by a member they represent, or by themselves as an
    individual donor."""
    represented: QuerySet[Representative, Any] = Representative.objects.filter(
        association_id=association.pk, person__user=user, deleted_at__isnull=True
    ).values("member_id")
    return Q(donor_member_id__in=represented) | Q(donor_person__user=user)


def access_donation(
    *, association: Tenant, actor: User, role: Role | None, donation_id: object
) -> Donation:
    """One ledger entry of ``association``: any for the secretariat (``MANAGE_CHARITY``); for
    anyone else only the donations of the members they represent (or their own as an
    individual) — even an administrator, when ``role`` is None (the member pages). The same
    404 for missing, another association's and not yours."""
    qs = association_donations(association).filter(pk=id_or_404(donation_id))
    if not has_perm(role, Perm.MANAGE_CHARITY):
        qs = qs.filter(my_donor_filter(association=association, user=actor))
    donation = qs.select_related(
        "campaign", "pledge", "recipient", "recorded_by", "reverses", "donor_member"
    ).first()
    if donation is None:
        raise Http404
    return donation


def access_evidence(*, association: Tenant, evidence_id: object) -> DonationEvidence:
    """One evidence file of ``association``'s ledger (the secretariat's pages only); the same
    404 for missing and another association's."""
    evidence = (
        DonationEvidence.objects.filter(association_id=association.pk, pk=id_or_404(evidence_id))
        .select_related("donation")
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence
