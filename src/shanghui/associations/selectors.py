"""Reads of associations and onboarding applications. A person's roles across associations,
and the platform console's access helpers, are ``accounts.selectors`` (they need roles and the
permission module, which stand above associations)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shanghui.associations.models import Association, OnboardingApplication
from shanghui.core.chinese import normalize_query, search_key

if TYPE_CHECKING:
    pass


def active_associations() -> QuerySet[Association]:
    return Association.objects.filter(status=Association.Status.ACTIVE).order_by("name", "id")


def association_by_slug(slug: str) -> Association:
    """An active association by its public slug, else 404."""
    association = active_associations().filter(slug=slug).first()
    if association is None:
        raise Http404
    return association


def onboarding_applications(*, status: str = "") -> QuerySet[OnboardingApplication]:
    qs = OnboardingApplication.objects.select_related("association", "reviewed_by").order_by(
        "-created_at", "-id"
    )
    return qs.filter(status=status) if status else qs


def platform_overview() -> dict[str, int]:
    counts = Association.objects.aggregate(
        active=Count("id", filter=Q(status=Association.Status.ACTIVE)),
        suspended=Count("id", filter=Q(status=Association.Status.SUSPENDED)),
    )
    counts["pending"] = OnboardingApplication.objects.filter(
        status=OnboardingApplication.Status.PENDING
    ).count()
    return counts


@dataclass(frozen=True)
class PortalFilters:
    """The platform portal's directory filters as the query string gives them."""

    q: str = ""
    kind: str = ""
    region: str = ""  # a province's GB/T 2260 code (its first two digits count)


def portal_directory(filters: PortalFilters) -> QuerySet[Association]:
    """The active associations the portal lists for ``filters``, by name. ``q`` matches the
    full name or the short name in Simplified or Traditional characters, full pinyin or
    initials (``core.chinese.search_key``): the platform holds a few thousand associations at
    most, whose keys are computed once per worker (the readings are cached), so the match
    runs over their names here rather than in an index."""
    qs = active_associations()
    if filters.kind in Association.Kind.values:
        qs = qs.filter(kind=filters.kind)
    if len(filters.region) == 6 and filters.region.isdigit():
        qs = qs.filter(region_code__startswith=filters.region[:2])
    needle = normalize_query(filters.q)
    if needle:
        names = qs.values_list("pk", "name", "short_name")
        return qs.filter(pk__in=[pk for pk, *both in names if needle in search_key(*both)])
    if filters.q.strip():  # only characters no name holds ("_"): nothing, not everything
        return qs.none()
    return qs
