"""``sitemap.xml`` of an association's public site (django.contrib.sitemaps): its home, the
public pages it publishes and its public articles — nothing a visitor cannot open."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from shanghui.associations.models import Association
from shanghui.publishing.public_site import site_flags
from shanghui.publishing.selectors import public_articles

SITEMAP_ARTICLES = 5000


class PagesSitemap(Sitemap[str]):
    changefreq = "weekly"

    def __init__(self, association: Association) -> None:
        self.association = association

    def items(self) -> list[str]:
        calendar, chart = site_flags(self.association)
        pages = ["members:home", "publishing:articles", "members:member_apply"]
        if calendar:
            pages.append("events:public_calendar")
        if chart:
            pages.append("org:chart")
        return pages

    def location(self, item: str) -> str:
        return reverse(item, kwargs={"association_slug": self.association.slug})


class NewsSitemap(Sitemap[Any]):
    changefreq = "monthly"

    def __init__(self, association: Association) -> None:
        self.association = association

    def items(self) -> Any:
        return (
            public_articles(self.association)
            .select_related(None)
            .only("id", "published_at", "updated_at", "association_id")[:SITEMAP_ARTICLES]
        )

    def location(self, item: Any) -> str:
        return reverse(
            "publishing:article",
            kwargs={"association_slug": self.association.slug, "article_id": item.pk},
        )

    def lastmod(self, item: Any) -> Any:
        return item.updated_at


def site_sitemaps(association: Association) -> dict[str, Sitemap[Any] | type[Sitemap[Any]]]:
    return {"pages": PagesSitemap(association), "news": NewsSitemap(association)}
