from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.demo import GDJX
from shanghui.core.tenancy import tenant_context
from shanghui.events import figures, selectors
from shanghui.events.models import Event, Registration


@pytest.mark.django_db
def test_the_demo_chamber_has_past_and_upcoming_events() -> None:
    call_command("seed_demo", members=400, stdout=StringIO())
    gdjx = Association.objects.get(slug=GDJX.slug)
    with tenant_context(gdjx):
        events = list(Event.objects.all())
        assert len(events) >= 10
        # Meetings start in office hours, Beijing time.
        assert {timezone.localtime(e.starts_at).hour for e in events} <= {9, 14}
        assert selectors.upcoming(Event.objects.all()).count() >= 3
        council = Event.objects.filter(kind="council", starts_at__lt=timezone.now())
        result = figures.quorum(association=gdjx, event=council.get())
        assert result.council_size > 0 and result.reached
        annual = Event.objects.get(title="2026 年度会员大会暨新春年会")
        attendance = figures.event_attendance(association=gdjx, event=annual)
        assert 0 < attendance.attended < attendance.registered
        assert annual.seats_taken <= (annual.capacity or 0)
        # The demo member holds a ticket for an upcoming event.
        assert Registration.objects.filter(
            phone=GDJX.member_phone,
            status="confirmed",
            event__starts_at__gt=timezone.now(),
        ).exists()
        assert selectors.calendar_published(association=gdjx)
        # …and works the door of the coming gala, whose programme is formatted text.
        (gala,) = selectors.my_checkin_events(
            association=gdjx, user=User.objects.get(phone=GDJX.member_phone)
        )
        assert "<strong>" in gala.description
        # Their inbox is not empty: confirmations, a reminder and the door assignment, on
        # the events' notices page as on /me/inbox/.
        member = User.objects.get(phone=GDJX.member_phone)
        kinds = set(
            selectors.my_notices(association=gdjx, user=member).values_list("kind", flat=True)
        )
        assert {"events.registration_confirmed", "events.reminder", "events.checkin_staff"} <= kinds
        assert selectors.unread_notice_count(association=gdjx, user=member) >= 3
