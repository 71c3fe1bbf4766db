"""Links of the platform portal's news (read by ``selectors.portal_news`` from the platform
table the publish service writes, ``PortalNewsItem``: the portal never queries an
association's own tables)."""

from django.urls import reverse

from shanghui.publishing.models import PortalNewsItem


def portal_item_url(item: PortalNewsItem) -> str:
    return reverse(
        "publishing:article",
        kwargs={"association_slug": item.association_slug, "article_id": item.article_id},  # type: ignore[attr-defined]
    )
