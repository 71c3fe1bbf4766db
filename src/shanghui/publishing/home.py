"""The news panel of a member's home (``core.contributions.MEMBER_HOME``): the latest articles
the member may read."""

from typing import Any

from shanghui.publishing.selectors import published_articles

SHOWN = 3


def news_panel(request: Any) -> dict[str, Any] | None:
    """None when the association has published nothing the member may read."""
    articles = list(published_articles(request.association, viewer_role=request.role)[:SHOWN])
    if not articles:
        return None
    return {"articles": articles}
