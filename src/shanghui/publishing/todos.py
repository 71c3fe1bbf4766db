"""The publishing app's part of the secretariat's to-do list (``core.contributions.TODOS``):
articles submitted for review, for whoever may publish them. The count is one query, cached
until an article enters or leaves review (``ARTICLES_VERSION``, bumped by the services)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.contributions import TodoItem
from shanghui.publishing.models import Article

ARTICLES_VERSION = "articles"


def article_todos(association: Association) -> list[TodoItem]:
    row = Article.objects.filter(association=association, status=Article.Status.REVIEW).aggregate(
        count=Count("id"), first=Min("id")
    )
    if not row["count"]:
        return []
    slug = {"association_slug": association.slug}
    url = (
        reverse("publishing:office_article", kwargs={**slug, "article_id": row["first"]})
        if row["count"] == 1
        else reverse("publishing:office_articles", kwargs=slug) + "?status=review"
    )
    return [TodoItem(_("资讯待审核"), row["count"], url)]
