"""Invitations to the audience (a background job) and the reminder the day before."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.models import InboxMessage
from shanghui.core.notify import preferences
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import tenant_context
from shanghui.events import messages, selectors
from shanghui.events.models import EVENT_TYPE, Event
from shanghui.events.services import notices
from shanghui.events.tasks import reminders_send
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .factories import make_event, make_member_user, register
from .test_api import api

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_invitations_reach_the_members_through_a_job(side_a: Side, privacy_notice: None) -> None:
    a = side_a.association
    other = make_member_user(a, "受邀者")
    event = make_event(a, side_a.admin, title="招商推介会")
    response = api(side_a.admin).post(
        f"/api/v1/associations/{a.slug}/events/{event.pk}/invitations"
    )
    assert response.status_code == 202, response.content
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgresql:  # as workers connect: under row-level security
            cursor.execute(f"SET ROLE {APP_DB_ROLE}")
        try:
            call_command("db_worker", batch=True, interval=0, startup_delay=False, queue_name="*")
        finally:
            if postgresql:
                cursor.execute("RESET ROLE")
    job = api(side_a.admin).get(f"/api/v1/associations/{a.slug}/jobs/{response.json()['id']}")
    assert job.json()["status"] == "done", job.content
    invited = {m.to for m in notifications.outbox if "招商推介会" in m.text}
    assert {side_a.person.phone, other.phone} <= invited
    with tenant_context(a):  # and the in-app notices of those with an account
        noticed = set(
            InboxMessage.objects.filter(target_type=EVENT_TYPE, target_id=event.pk).values_list(
                "user_id", flat=True
            )
        )
    assert {side_a.member_user.pk, other.pk} <= noticed


def test_chosen_audience_contacts_only_the_chosen(side_a: Side) -> None:
    a = side_a.association
    outsider = make_member_user(a, "局外人")
    event = make_event(a, side_a.admin, audience="chosen")
    from shanghui.events.services import events as event_services
    from shanghui.members.models import Person

    with tenant_context(a):
        person = Person.objects.get(association=a, user=side_a.member_user)
        event_services.audience_set(
            association=a, actor=side_a.admin, event=event,
            data=event_services.AudienceInput(person_ids=[person.pk]),
        )  # fmt: skip
        phones = [c[0] for c in selectors.audience_contacts(association=a, event=event)]
    assert phones == [person.phone] and outsider.phone not in phones


def test_reminder_the_day_before_is_sent_once(
    side_a: Side, django_capture_on_commit_callbacks: Any
) -> None:
    a = side_a.association
    tomorrow = timezone.localtime() + timedelta(days=1)
    event = make_event(a, side_a.admin, title="明日座谈会",
                       starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2))  # fmt: skip
    register(a, event, side_a.member_user)
    run_worker()  # the confirmation
    notifications.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(association=a) == 1
        assert reminders_send(association=a) == 0
    run_worker()
    assert [m.to for m in notifications.outbox if "明日座谈会" in m.text] == [side_a.person.phone]
    with tenant_context(a):
        assert Event.objects.get(pk=event.pk).reminded_at is not None
    out = StringIO()
    call_command("send_event_reminders", "--now", stdout=out)
    assert "已提醒 0 人" in out.getvalue()


def test_a_post_audience_invites_and_admits_the_same_people(side_a: Side) -> None:
    """Whom the invitation reaches and who may then see the event come from one rule: a
    person whose appointment ended is neither invited nor admitted."""
    from datetime import date

    from shanghui.events.services import events as event_services
    from shanghui.members.models import Person
    from shanghui.org.models import Appointment, Post, Term

    a = side_a.association
    former_user = make_member_user(a, "前任副会长")
    event = make_event(a, side_a.admin, audience="chosen", title="副会长座谈")
    with tenant_context(a):
        term = Term.objects.create(
            association=a, name="第五届", number=5, starts_on=date(2024, 1, 1), is_current=True
        )
        post = Post.objects.create(association=a, name="副会长")
        current = Person.objects.get(association=a, user=side_a.member_user)
        former = Person.objects.get(association=a, user=former_user)
        Appointment.objects.create(
            association=a, term=term, post=post, person=current, starts_on=date(2024, 1, 1)
        )
        Appointment.objects.create(
            association=a, term=term, post=post, person=former, starts_on=date(2024, 1, 1),
            ends_on=date(2025, 6, 30),
        )  # fmt: skip
        event_services.audience_set(
            association=a, actor=side_a.admin, event=event,
            data=event_services.AudienceInput(post_ids=[post.pk]),
        )  # fmt: skip
        phones = [c[0] for c in selectors.audience_contacts(association=a, event=event)]
        assert phones == [current.phone]
        assert selectors.may_see(event=event, user=side_a.member_user)
        assert not selectors.may_see(event=event, user=former_user)


def test_an_invitation_keeps_the_preferences_of_someone_without_a_role(side_a: Side) -> None:
    """An account with no role here gets no inbox message (they could not open it), but the
    channels they muted stay muted."""
    a = side_a.association
    outsider = UserFactory(phone="13700009999", email="li@example.cn")
    preferences.preferences_update(
        user=outsider, muted=[f"{messages.INVITATION}/sms"], quiet_start=None, quiet_end=None
    )
    event = make_event(a, side_a.admin, title="读书会")
    notices.invitation(event, [(outsider.phone, outsider.email, outsider.pk)])
    run_worker()
    assert [m.to for m in notifications.outbox if m.channel == "sms"] == []
    assert any("li@example.cn" in m.to for m in mail.outbox)  # email was not muted
    with tenant_context(a):
        assert not InboxMessage.objects.filter(user=outsider).exists()
