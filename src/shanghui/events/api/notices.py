"""The signed-in person's own things under /events: their in-app notices (list, unread
count, mark read) and their calendar subscription URL (get, reset)."""

from django.http import HttpRequest
from ninja import Path, Query
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.events import feeds, selectors
from shanghui.events.api.base import events_router, member
from shanghui.events.api.schemas import (
    CalendarFeedOut,
    EventNoticeOut,
    EventNoticeQuery,
    EventNoticesReadIn,
    EventNoticesReadOut,
)
from shanghui.events.services import events as event_services
from shanghui.events.services import notices as notice_services


@events_router.get("/notices", response={200: list[EventNoticeOut], **ERRORS})
@paginate(Pages)
def notice_list(request: HttpRequest, slug: Path[str], query: Query[EventNoticeQuery]) -> object:
    """The caller's notices (报名结果、候补递补、活动变更、签到员 …), newest first; listing
    does not mark them read."""
    association, _role = member(request)
    qs = selectors.my_notices(association=association, user=signed_in_user(request))
    return qs.filter(read_at__isnull=True) if query.unread else qs


@events_router.post("/notices/read", response={200: EventNoticesReadOut, **ERRORS})
def notices_read(request: HttpRequest, slug: Path[str], payload: EventNoticesReadIn) -> object:
    """Mark the caller's notices read: those of ``ids``, or all when ``ids`` is left out."""
    association, _role = member(request)
    marked = notice_services.notices_mark_read(
        association=association, actor=signed_in_user(request), ids=payload.ids
    )
    unread = selectors.unread_notice_count(association=association, user=signed_in_user(request))
    return {"marked": marked, "unread": unread}


@events_router.get("/notices/unread-count", response={200: EventNoticesReadOut, **ERRORS})
def notices_unread(request: HttpRequest, slug: Path[str]) -> object:
    """How many of the caller's notices are unread (``marked`` is always 0 here)."""
    association, _role = member(request)
    unread = selectors.unread_notice_count(association=association, user=signed_in_user(request))
    return {"marked": 0, "unread": unread}


def _feed(request: HttpRequest) -> dict[str, str]:
    association, _role = member(request)
    url, webcal = feeds.feed_urls(association=association, user=signed_in_user(request))
    return {"url": url, "webcal_url": webcal}


@events_router.get("/calendar-feed", response={200: CalendarFeedOut, **ERRORS})
def calendar_feed(request: HttpRequest, slug: Path[str]) -> object:
    """The caller's calendar subscription URL: every event they may see, for calendar apps
    (which fetch it without signing in — keep it private)."""
    return _feed(request)


@events_router.post("/calendar-feed/reset", response={200: CalendarFeedOut, **ERRORS})
def calendar_feed_reset(request: HttpRequest, slug: Path[str]) -> object:
    """A new subscription URL; the previous one stops working at once."""
    association, _role = member(request)
    event_services.calendar_feed_reset(association=association, actor=signed_in_user(request))
    return _feed(request)
