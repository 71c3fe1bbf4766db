"""The demo chamber has notices with partial read receipts and replies, one whose 回执
closes next week and that the demo member still has to read, and a draft."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.demo import GDJX
from shanghui.core.tenancy import tenant_context
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.models import Announcement


@pytest.mark.django_db
def test_the_demo_chamber_has_notices_with_partial_receipts() -> None:
    call_command("seed_demo", members=400, stdout=StringIO())
    gdjx = Association.objects.get(slug=GDJX.slug)
    member = User.objects.get(phone=GDJX.member_phone)
    with tenant_context(gdjx):
        sent = Announcement.objects.filter(status="sent")
        assert sent.count() >= 3 and Announcement.objects.filter(status="draft").exists()
        congress = sent.get(title="关于召开2027年会员代表大会的通知")
        figures = selectors.receipt_figures(association=gdjx, announcement=congress)
        assert 0 < figures.people_read < figures.people and figures.replies > 0
        assert 0 < figures.members_read < figures.members
        assert congress.reply_deadline and congress.reply_deadline > timezone.now()
        mine = {a.title: a for a in selectors.my_announcements(association=gdjx, user=member)}
        assert selectors.needs_reply(mine["关于召开2027年会员代表大会的通知"])
