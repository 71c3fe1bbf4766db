"""A member's network pages on the phone: the network home (search listings across the
network), match suggestions for their own listing, the business directory by industry and
another association's enterprise."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.industries import divisions
from shanghui.core.regions import provinces
from shanghui.network.models import ListingKind
from shanghui.network.selectors.directory import (
    access_enterprise,
    directory_entries,
    directory_groups,
)
from shanghui.network.selectors.matching import access_own_listing, match_suggestions
from shanghui.network.selectors.search import NetworkFilters, network_search


def listing_url(association_slug: str, listing_id: int) -> str:
    """The listing page (part L's ``network:listing``), or "" where it is not installed."""
    try:
        return reverse(
            "network:listing",
            kwargs={"association_slug": association_slug, "listing_id": listing_id},
        )
    except NoReverseMatch:
        return ""


def filters_from(params: dict[str, str]) -> NetworkFilters:
    return NetworkFilters(
        q=params.get("q", "")[:60],
        kind=params.get("kind", ""),
        industry=params.get("industry", "")[:3],
        region=params.get("region", "")[:6],
    )


@login_required
@require_GET
def home(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The network home: a search box with filters, and the listings found."""
    require_member(request.role)
    filters = filters_from(request.GET)
    hits = network_search(association=request.association, filters=filters)
    rows = [(hit, listing_url(association_slug, hit.listing_id)) for hit in hits]
    return render(
        request,
        "network/member/home.html",
        {
            "filters": filters,
            "rows": rows,
            "kinds": ListingKind.choices,
            "industries": divisions(),
            "provinces": provinces(),
            "searched": bool(filters.q or filters.kind or filters.industry or filters.region),
        },
    )


def _from_match(url: str) -> str:
    """The listing opened from a suggestion carries ``from=match`` on to its 我要洽谈, so the
    association's report counts the conversation as brought about by matching."""
    return f"{url}?from=match" if url else ""


@login_required
@require_GET
def matches(request: TenantRequest, association_slug: str, listing_id: int) -> HttpResponse:
    """Ranked suggestions for the member's own listing, each with its reasons."""
    require_member(request.role)
    listing = access_own_listing(
        association=request.association,
        user_id=signed_in_user(request).pk,
        listing_id=listing_id,
    )
    suggestions = match_suggestions(association=request.association, listing=listing)
    rows = [
        (match, _from_match(listing_url(association_slug, match.listing_id or 0)))
        for match in suggestions.listings
    ]
    return render(
        request,
        "network/member/matches.html",
        {"listing": listing, "rows": rows, "enterprises": suggestions.enterprises},
    )


@login_required
@require_GET
def directory(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Enterprises that opted in to the platform showcase, grouped by industry."""
    require_member(request.role)
    industry = request.GET.get("industry", "")[:3]
    q = request.GET.get("q", "")[:60]
    entries = directory_entries(association=request.association, industry=industry, q=q)
    return render(
        request,
        "network/member/directory.html",
        {
            "groups": directory_groups(entries),
            "industry": industry,
            "q": q,
            "industries": divisions(),
        },
    )


@login_required
@require_GET
def enterprise(request: TenantRequest, association_slug: str, enterprise_id: int) -> HttpResponse:
    require_member(request.role)
    view = access_enterprise(association=request.association, enterprise_id=enterprise_id)
    return render(request, "network/member/enterprise.html", {"enterprise": view})
