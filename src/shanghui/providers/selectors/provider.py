"""Reads of providers: the operator's console, the provider back office (inside the provider's
context — every lookup filters by the provider as well, so an id of another provider is the
same 404 as a missing one) and a person's own providers."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from shanghui.accounts.models import User
from shanghui.accounts.selectors import access_platform_operator
from shanghui.core.tenancy import person_context
from shanghui.providers.models import Lead, LeadNote, Offer, Provider, ProviderUser

# --- The operator ---------------------------------------------------------------------------


def providers_for_operator(*, status: str = "") -> QuerySet[Provider]:
    qs = Provider.objects.select_related("applicant").order_by("-created_at", "-id")
    if status in Provider.Status.values:
        qs = qs.filter(status=status)
    return qs


def access_provider_for_operator(*, actor: User, provider_id: int) -> Provider:
    """Platform operators only; everyone else gets the same 404 as for a missing id."""
    access_platform_operator(actor=actor)
    provider = Provider.objects.select_related("applicant").filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    return provider


def applications_of_person(user: User) -> QuerySet[Provider]:
    """The providers a person applied for, newest first (the apply page shows their state)."""
    return Provider.objects.filter(applicant=user).order_by("-created_at", "-id")


# --- The back office (inside provider_context) ------------------------------------------------


def provider_offers(provider: Provider) -> QuerySet[Offer]:
    return Offer.objects.filter(provider=provider).order_by("-updated_at", "-id")


def access_offer(*, provider: Provider, offer_id: int) -> Offer:
    offer = Offer.objects.filter(provider=provider, pk=offer_id).select_related("provider").first()
    if offer is None:
        raise Http404
    return offer


def provider_leads(provider: Provider, *, status: str = "") -> QuerySet[Lead]:
    qs = (
        Lead.objects.filter(provider=provider)
        .select_related("offer", "association")
        .order_by("-created_at", "-id")
    )
    if status in Lead.Status.values:
        qs = qs.filter(status=status)
    return qs


def access_lead(*, provider: Provider, lead_id: int) -> Lead:
    lead = (
        Lead.objects.filter(provider=provider, pk=lead_id)
        .select_related("offer", "association", "provider")
        .first()
    )
    if lead is None:
        raise Http404
    return lead


def lead_notes(lead: Lead) -> QuerySet[LeadNote]:
    return LeadNote.objects.filter(provider=lead.provider, lead=lead).select_related("author")


def provider_users(provider: Provider) -> QuerySet[ProviderUser]:
    return (
        ProviderUser.objects.filter(provider=provider)
        .select_related("user")
        .order_by("kind", "created_at", "id")
    )


def access_provider_user(*, provider: Provider, provider_user_id: int) -> ProviderUser:
    found = (
        ProviderUser.objects.filter(provider=provider, pk=provider_user_id)
        .select_related("user", "provider")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class BackOfficeFigures:
    leads_by_status: list[tuple[str, str, int]]  # (status, label, count)
    leads_total: int
    offers_published: int
    offers_total: int
    rating_count: int
    rating_average: float | None


def back_office_figures(provider: Provider) -> BackOfficeFigures:
    counts = {
        row["status"]: row["n"]
        for row in Lead.objects.filter(provider=provider)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    }
    by_status = [(value, str(label), counts.get(value, 0)) for value, label in Lead.Status.choices]
    offers = list(
        Offer.objects.filter(provider=provider).values_list(
            "status", "rating_count", "rating_total"
        )
    )
    rating_count = sum(row[1] for row in offers)
    rating_total = sum(row[2] for row in offers)
    return BackOfficeFigures(
        leads_by_status=by_status,
        leads_total=sum(counts.values()),
        offers_published=sum(1 for row in offers if row[0] == Offer.Status.PUBLISHED),
        offers_total=len(offers),
        rating_count=rating_count,
        rating_average=round(rating_total / rating_count, 1) if rating_count else None,
    )


# --- A person's own providers ----------------------------------------------------------------


def providers_of_person(user: User) -> list[Provider]:
    """The approved providers whose back office ``user`` works in (their own ProviderUser rows,
    read in their person scope)."""
    if not user.is_authenticated:
        return []
    with person_context(user):
        ids = list(ProviderUser.objects.filter(user=user).values_list("provider_id", flat=True))
    return list(
        Provider.objects.filter(pk__in=ids, status=Provider.Status.APPROVED).order_by("name")
    )
