"""``{% article_cover_url article "thumb" %}``: an article cover's address, built by
``publishing.pictures.image_url`` (versioned, so the browser keeps it) like every other
article picture address."""

from typing import Any

from django import template

from shanghui.publishing.pictures import image_url

register = template.Library()


@register.simple_tag(takes_context=True)
def article_cover_url(context: dict[str, Any], article: Any, size: str = "") -> str:
    cover = article.cover if article.cover_id else None
    if cover is None:
        return ""
    return image_url(context["request"].association, cover, size=size)
