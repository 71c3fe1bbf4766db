"""Reads of associations and onboarding applications. A person's roles across associations,
and the platform console's access helpers, are ``accounts.selectors`` (they need roles and the
permission module, which stand above associations)."""

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shanghui.associations.models import Association, OnboardingApplication

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
