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


def notices_panel(request: Any) -> dict[str, Any] | None:
    """The member's notices still unread or waiting for their 回执, those needing a reply
    first; None when nothing waits (or the person has no account here to have received any)."""
    from shanghui.publishing.announcement_selectors import awaiting_me, needs_reply

    waiting = awaiting_me(association=request.association, user=request.user, limit=SHOWN)
    if not waiting:
        return None
    return {"rows": [(announcement, needs_reply(announcement)) for announcement in waiting]}
