"""The platform portal's news: the public articles that associations share with the portal,
read from the platform table the publish service writes (``PortalNewsItem``) — the portal
never queries an association's own tables."""

from django.db.models import F, QuerySet
from django.urls import reverse

from shanghui.associations.models import Association
from shanghui.publishing.models import PortalNewsItem


def portal_news_items() -> QuerySet[PortalNewsItem]:
    """Newest first, of active associations only, each with its association's slug and name
    (``association_slug``, ``association_name``)."""
    return (
        PortalNewsItem.objects.filter(association__status=Association.Status.ACTIVE)
        .annotate(association_slug=F("association__slug"), association_name=F("association__name"))
        .order_by("-published_at", "-id")
    )


def portal_item_url(item: PortalNewsItem) -> str:
    return reverse(
        "publishing:article",
        kwargs={"association_slug": item.association_slug, "article_id": item.article_id},  # type: ignore[attr-defined]
    )
