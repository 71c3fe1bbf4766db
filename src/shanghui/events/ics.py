"""iCalendar (.ics) files: one event, or a feed of upcoming events."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as IcsEvent

from shanghui.associations.models import Association
from shanghui.events.models import Event
from shanghui.events.services.notices import event_url


def _local(value: datetime) -> datetime:
    return timezone.localtime(value).replace(microsecond=0)


def _vevent(event: Event, *, public: bool) -> IcsEvent:
    item = IcsEvent()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "shanghui"
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", _local(event.starts_at))
    ends = (
        event.ends_at if event.ends_at > event.starts_at else event.starts_at + timedelta(hours=1)
    )
    item.add("dtend", _local(ends))
    item.add("summary", event.title)
    location = " ".join(part for part in (event.venue, event.address) if part) or event.online_url
    if location:
        item.add("location", location)
    item.add(
        "description", "\n".join(p for p in (event.summary, event_url(event, public=public)) if p)
    )
    item.add("url", event_url(event, public=public))
    item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    return item


def calendar_ics(
    association: Association, events: Iterable[Event], *, public: bool, feed: bool = False
) -> bytes:
    """``feed``: a subscribed calendar, which apps fetch again every hour or so."""
    calendar = Calendar()
    calendar.add("prodid", "-//云商会//会务管理//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = association.short_name or association.name
    calendar.add("x-wr-calname", _("%(name)s 活动") % {"name": name})
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    if feed:
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_vevent(event, public=public))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def event_ics(event: Event, *, public: bool = False) -> bytes:
    return calendar_ics(event.association, [event], public=public)
