"""The events app's part of the secretariat's to-do list (``core.contributions.TODOS``):
events that need someone to act —

- ``registrations``: registrations waiting for approval, at events not yet over nor cancelled;
- ``publish``: drafts that start within seven days, which nobody can register for yet;
- ``minutes``: governance meetings (理事会, 会长办公会, or any event with a quorum rule) held in
  the last 90 days whose minutes (会议纪要) are not written. Older ones are not asked for:
  minutes are written in the weeks after a meeting, and a long history would otherwise stay
  on the list for ever.

The counts come from one query; the event list filters by the same conditions (``?needs=``).
"""

from datetime import datetime, timedelta

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.contributions import TodoItem
from shanghui.events.models import Event, Minutes, Registration

PUBLISH_WITHIN = timedelta(days=7)
MINUTES_WITHIN = timedelta(days=90)
GOVERNANCE_KINDS = (Event.Kind.COUNCIL, Event.Kind.PRESIDENT_OFFICE)
NEEDS = ("registrations", "publish", "minutes")

# The kinds of data (``core.cache_versions``) the counts depend on. ``events``: an event's
# status, times, kind or quorum rule, and its minutes (``services.events``, ``services.after``);
# ``registrations``: a registration entering or leaving "pending" (``services.registration``).
EVENTS_VERSION = "events"
REGISTRATIONS_VERSION = "registrations"


def _conditions(now: datetime) -> dict[str, Q]:
    """Each need as a condition on events annotated by ``_annotated``."""
    return {
        "registrations": Q(pending__gt=0, ends_at__gte=now) & ~Q(status=Event.Status.CANCELLED),
        "publish": Q(
            status=Event.Status.DRAFT, starts_at__gte=now, starts_at__lte=now + PUBLISH_WITHIN
        ),
        "minutes": Q(
            Q(kind__in=GOVERNANCE_KINDS) | ~Q(quorum_rule=""),
            status=Event.Status.PUBLISHED,
            ends_at__lt=now,
            ends_at__gte=now - MINUTES_WITHIN,
            has_minutes=False,
        ),
    }


def _annotated(association: Association, now: datetime) -> QuerySet[Event]:
    """The association's events that may need something (not over, or over recently), each
    with its number of pending registrations and whether its minutes are written."""
    pending = (
        Registration.objects.filter(
            association=association, event=OuterRef("pk"), status=Registration.Status.PENDING
        )
        .order_by()
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    written = Minutes.objects.filter(association=association, event=OuterRef("pk")).exclude(body="")
    return (
        Event.objects.filter(association=association, ends_at__gte=now - MINUTES_WITHIN)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(
            pending=Coalesce(Subquery(pending, output_field=IntegerField()), 0),
            has_minutes=Exists(written),
        )
    )


def events_needing(
    *, association: Association, need: str, now: datetime | None = None
) -> QuerySet[Event]:
    """The association's events with ``need`` (one of ``NEEDS``), soonest first."""
    now = now or timezone.now()
    return _annotated(association, now).filter(_conditions(now)[need]).order_by("starts_at", "id")


def event_todos(association: Association, *, now: datetime | None = None) -> list[TodoItem]:
    now = now or timezone.now()
    conditions = _conditions(now)
    row = _annotated(association, now).aggregate(
        registrations=Coalesce(Sum("pending", filter=conditions["registrations"]), 0),
        **{
            f"{need}_{what}": aggregate("id", filter=condition)
            for need, condition in conditions.items()
            for what, aggregate in (("events", Count), ("first", Min))
        },
    )
    slug = {"association_slug": association.slug}
    listing = reverse("events:office_list", kwargs=slug)

    def url(need: str, view: str, query: str = "") -> str:
        if row[f"{need}_events"] == 1:  # one event: straight to it
            return reverse(view, kwargs={**slug, "event_id": row[f"{need}_first"]}) + query
        return f"{listing}?needs={need}"

    items = []
    if row["registrations"]:
        items.append(
            TodoItem(
                _("报名待审核"),
                row["registrations"],
                url("registrations", "events:office_event", "?status=pending"),
            )
        )
    if row["publish_events"]:
        items.append(
            TodoItem(
                _("7 天内开始、尚未发布"),
                row["publish_events"],
                url("publish", "events:office_event"),
            )
        )
    if row["minutes_events"]:
        items.append(
            TodoItem(
                _("会议已结束、纪要未写"),
                row["minutes_events"],
                url("minutes", "events:office_minutes"),
            )
        )
    return items
