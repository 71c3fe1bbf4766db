"""The associations' 供需对接 report and the deal follow-up: a deal between members of two
associations counts in both reports; two weeks later both sides are asked once whether it
closed; 对接会 (matchmaking events) show on the report and to members."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shanghui.core.inbox import person_inbox
from shanghui.core.tenancy import person_context, tenant_context
from shanghui.events.models import Event
from shanghui.network.models import Deal
from shanghui.network.selectors.access import access_listing
from shanghui.network.selectors.reports import (
    dashboard_figures,
    matchmaking_events,
    network_report,
)
from shanghui.network.services.conversations import conversation_start
from shanghui.network.services.deals import deal_mark
from shanghui.testing.database import as_app_role
from shanghui.testing.fixtures import Side

from .conversation_helpers import platform_pair


def _deal(side_a: Side, side_b: Side) -> Deal:
    listing = platform_pair(side_a, side_b)
    with tenant_context(side_b.association):
        view = access_listing(
            association=side_b.association, viewer_id=side_b.member_user.pk, listing_id=listing.pk
        )
        started = conversation_start(
            association=side_b.association, actor=side_b.member_user, listing=view, text="你好"
        )
    with tenant_context(side_a.association):
        return deal_mark(actor=side_a.member_user, conversation=started.conversation, value=None)


@pytest.mark.django_db
def test_a_deal_counts_in_both_reports_and_is_followed_up_once(
    side_a: Side, side_b: Side, admin_a: Client
) -> None:
    with as_app_role():
        deal = _deal(side_a, side_b)
        with tenant_context(side_a.association):
            deal_mark(actor=side_a.member_user, conversation=deal.conversation, value=None)
            a = network_report(association=side_a.association, year=timezone.localdate().year)
            figures = dashboard_figures(side_a.association)["network_figures"]
        with tenant_context(side_b.association):
            b = network_report(association=side_b.association, year=timezone.localdate().year)
        assert (a.total.listings, a.total.conversations_as_poster, a.total.deals) == (1, 1, 1)
        assert (b.total.listings, b.total.conversations_as_inquirer, b.total.deals) == (0, 1, 1)
        assert figures["deals"] == 1
        page = admin_a.get(f"/a/{side_a.association.slug}/office/network/report/")
        assert page.status_code == 200
        assert "对接成功数" in page.content.decode()
        dashboard = admin_a.get(f"/a/{side_a.association.slug}/office/").content.decode()
        assert "今年对接成功" in dashboard

    Deal.objects.filter(pk=deal.pk).update(marked_at=timezone.now() - timedelta(days=15))
    with as_app_role():
        out = io.StringIO()
        call_command("network_deal_follow_up", stdout=out)
        assert "已回访成交 1 笔" in out.getvalue()
        call_command("network_deal_follow_up", stdout=io.StringIO())  # asks nobody twice
        for side in (side_a, side_b):
            with person_context(side.member_user):
                asked = [
                    m for m in person_inbox(side.member_user) if m.kind == "network.deal_follow_up"
                ]
            assert len(asked) == 1
            assert f"/deals/{deal.pk}/answer/" in asked[0].link
    answer = Client()
    answer.force_login(side_b.member_user)
    with as_app_role():
        url = f"/a/{side_b.association.slug}/network/deals/{deal.pk}/answer/"
        assert answer.get(url).status_code == 200
        assert answer.post(url, {"answer": "closed"}).status_code == 302
        with person_context(side_b.member_user):
            assert Deal.objects.get().inquirer_answer == "closed"
        # The poster says at the follow-up it did not close after all: it leaves both counts.
        poster = Client()
        poster.force_login(side_a.member_user)
        url = f"/a/{side_a.association.slug}/network/deals/{deal.pk}/answer/"
        assert poster.post(url, {"answer": "not_closed"}).status_code == 302
        for side in (side_a, side_b):
            with tenant_context(side.association):
                year = timezone.localdate().year
                assert network_report(association=side.association, year=year).total.deals == 0


@pytest.mark.django_db
def test_matchmaking_events_show_on_the_report_and_to_members(
    side_a: Side, admin_a: Client
) -> None:
    starts = timezone.now() + timedelta(days=10)
    with tenant_context(side_a.association):
        Event.objects.create(
            association=side_a.association,
            kind=Event.Kind.MATCHMAKING,
            title="建材行业供需对接会",
            status=Event.Status.PUBLISHED,
            audience=Event.Audience.MEMBERS,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
        )
        shown = matchmaking_events(
            association=side_a.association, role=None, user=side_a.member_user
        )
    assert [e.title for e in shown] == ["建材行业供需对接会"]
    page = admin_a.get(f"/a/{side_a.association.slug}/office/network/report/?year={starts.year}")
    assert "建材行业供需对接会" in page.content.decode()
