"""The platform portal's news (``publishing.portal``): the latest public articles that
associations share with the portal, each with its link."""

from typing import Any

from shanghui.publishing.portal import portal_item_url
from shanghui.publishing.selectors import portal_news as portal_news_items

PORTAL_NEWS = 8


def portal_news() -> list[Any]:
    items = list(portal_news_items(limit=PORTAL_NEWS))
    for item in items:
        item.url = portal_item_url(item)  # type: ignore[attr-defined]
    return items
