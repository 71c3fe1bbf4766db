"""A member's record shows its dues and its event history (issue 13.29), each a panel that
the dues and events apps contribute (core.contributions.MEMBER_PANELS) and load on the page."""

import re
from datetime import date

import pytest
from django.test import Client

from shanghui.core.tenancy import tenant_context
from shanghui.dues.services import payments as payment_services
from shanghui.dues.tests.helpers import make_bill
from shanghui.events.models import CheckinList
from shanghui.events.services import checkin as checkin_services
from shanghui.events.tests.factories import make_event, register
from shanghui.testing.fixtures import Side


def panel_urls(page: str) -> list[str]:
    return re.findall(r'hx-get="([^"]+)" hx-trigger="load"', page)


@pytest.mark.django_db
def test_the_record_shows_what_the_member_paid_and_attended(side_a: Side, admin_a: Client) -> None:
    a, member = side_a.association, side_a.member
    bill = make_bill(a, member, amount="5000", year=2025)
    make_bill(a, member, amount="6000", year=2026)
    with tenant_context(a):
        payment_services.payment_record(
            association=a,
            actor=side_a.admin,
            bill=bill,
            amount="5000",
            method="bank_transfer",
            paid_on=date(2025, 3, 1),
        )
    event = make_event(a, side_a.admin, title="2026 年会")
    registration = register(a, event, side_a.member_user)
    with tenant_context(a):
        hall = CheckinList.objects.filter(association=a, event=event).first() or (
            CheckinList.objects.create(association=a, event=event, name="主会场")
        )
        checkin_services.checkin_record(
            association=a, actor=side_a.admin, checkin_list=hall, registration=registration
        )

    page = admin_a.get(f"/a/{a.slug}/office/members/{member.pk}/").content.decode()
    assert "会费记录" in page and "参加活动" in page
    panels = [admin_a.get(url).content.decode() for url in panel_urls(page)]
    dues_panel, events_panel = panels
    assert "2026" in dues_panel and "2025" in dues_panel
    assert "¥6,000.00" in dues_panel and "2025-03-01" in dues_panel
    assert "2026 年会" in events_panel and "已签到" in events_panel


@pytest.mark.django_db
def test_panels_of_another_associations_member_are_a_404(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client
) -> None:
    a = side_a.association
    for path in ("dues", "events"):
        assert (
            admin_a.get(f"/a/{a.slug}/office/members/{side_b.member.pk}/{path}/").status_code == 404
        )
        assert (
            member_a.get(f"/a/{a.slug}/office/members/{side_a.member.pk}/{path}/").status_code
            == 403
        )
