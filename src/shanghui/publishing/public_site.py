"""What an association's public site (官网, ``/a/<slug>/`` for visitors and ``/a/<slug>/site/``)
shows: its latest public news, upcoming public events, leadership, member showcase and
contact. Everything here is for anyone to see: public articles only, public events only when
the calendar is published, names of post holders only when the organisation chart is
published, and of the members only the enterprises that agreed to be shown (their public
fields, never a person's data)."""

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from shanghui.associations.models import Association
from shanghui.core.cache_versions import cached
from shanghui.core.uploads import picture_version
from shanghui.events import selectors as events
from shanghui.members.models import Member
from shanghui.members.selectors import showcase_members
from shanghui.org import selectors as org
from shanghui.publishing.selectors import public_articles

HOME_NEWS = 6
HOME_EVENTS = 4
HOME_LEADERS = 12
HOME_SHOWCASE = 12


# Names shown per post: a council of a large chamber holds hundreds of 理事; the organisation
# chart page lists them all.
LEADER_NAMES = 8


@dataclass(frozen=True)
class Leader:
    post: str
    names: list[str]
    more: int  # holders not named here


@dataclass
class PublicHome:
    association: Association
    news: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    showcase: list[Member] = field(default_factory=list)
    calendar_published: bool = False
    chart_published: bool = False

    @property
    def banner_version(self) -> str:
        return picture_version(self.association.banner_id)


def site_flags(association: Association) -> tuple[bool, bool]:
    """Whether the public calendar and the organisation chart are published (the site's
    navigation links only to pages that exist)."""
    return (
        events.calendar_published(association=association),
        org.chart_published(association=association),
    )


def site_menu(association: Association) -> dict[str, bool]:
    """What the site's frame (``publishing/public/_site.html``) needs to link the public
    calendar and the organisation chart, when they are published."""
    calendar, chart = site_flags(association)
    return {"site_calendar": calendar, "site_chart": chart}


def public_home(association: Association) -> PublicHome:
    """The public home's content, in a handful of small queries."""
    calendar, chart_on = site_flags(association)
    home = PublicHome(
        association=association, calendar_published=calendar, chart_published=chart_on
    )
    home.news = list(public_articles(association)[:HOME_NEWS])
    if calendar:
        home.events = list(
            events.upcoming(events.public_events(association=association))[:HOME_EVENTS]
        )
    if chart_on:
        # The council's roster of a large chamber is hundreds of appointments (64 of the
        # home's 112 ms in a profile): kept a minute, as org's services mark no change of it.
        # Unpublishing the chart hides it at once (``chart_on`` is read fresh).
        home.leaders = cached(
            association.pk, (), "publishing.site_leaders", lambda: leaders(association), timeout=60
        )
    if association.showcase_enabled:
        home.showcase = list(
            showcase_members(association=association).only(
                "id", "name", "industry_code", "main_products", "logo_id", "association_id"
            )[:HOME_SHOWCASE]
        )
        for member in home.showcase:  # its logo's URL names its version: cached for long
            member.logo_version = picture_version(member.logo_id)  # type: ignore[attr-defined]
    return home


def leaders(association: Association) -> list[Leader]:
    """The current term's posts, the council's first and the secretariat's last, with the
    names of their holders (at most ``LEADER_NAMES`` each); [] without a published chart."""
    chart = org.org_chart(association=association)
    if chart is None:
        return []
    posts = sorted(chart.posts, key=lambda p: (p.is_secretariat, not p.is_council))
    return [
        Leader(p.name, p.names[:LEADER_NAMES], max(0, len(p.names) - LEADER_NAMES))
        for p in posts[:HOME_LEADERS]
    ]


def access_showcased_member(*, association: Association, member_id: int) -> Member:
    """A member the public site shows (for its logo); the same 404 for any other id."""
    if not association.showcase_enabled or not 0 < member_id < 2**63:
        raise Http404
    member = showcase_members(association=association).filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member
