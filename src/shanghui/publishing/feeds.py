"""The Atom feed of an association's public news (django.contrib.syndication), at
``/a/<slug>/news/feed/``: the latest public, published articles — what the public site lists."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.publishing.selectors import public_articles

FEED_ITEMS = 20


class PublicNewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, association_slug: str) -> Association:
        # The tenant door found it (and refused unknown or suspended associations).
        return request.association  # type: ignore[attr-defined]

    def title(self, obj: Association) -> str:
        return _("%(name)s · 资讯") % {"name": obj.name}

    def subtitle(self, obj: Association) -> str:
        return obj.introduction[:200]

    def link(self, obj: Association) -> str:
        # The site's public address (/site/ is the same page, for members).
        return reverse("members:home", kwargs={"association_slug": obj.slug})

    def items(self, obj: Association) -> list[Any]:
        articles = list(public_articles(obj)[:FEED_ITEMS])
        for article in articles:  # the links name the association: no query per item
            article.site_slug = obj.slug  # type: ignore[attr-defined]
        return articles

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(item.summary)

    def item_link(self, item: Any) -> str:
        return reverse(
            "publishing:article",
            kwargs={"association_slug": item.site_slug, "article_id": item.pk},
        )

    def item_pubdate(self, item: Any) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Any) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Any) -> str:
        return str(item.author_name)


public_news_feed = PublicNewsFeed()
