"""Every link sent to a person opens for that person (issue 13.3): each test follows the link
in the message actually sent — as its recipient, or with a fresh anonymous client for
someone without an account — and gets the page, not a 404 or a sign-in form. The usual case
that failed: the secretariat registers someone without an account for an event that is not
public, and the SMS linked to the public calendar."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from shanghui.accounts.models import Role
from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.events import selectors, tickets
from shanghui.events.models import Event, Registration
from shanghui.events.services import notices
from shanghui.events.services import registration as registration_services
from shanghui.events.tasks import send_invitations
from shanghui.testing.factories import PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.worker import run_worker

from .factories import make_event, register
from .test_api import api, base, post

pytestmark = pytest.mark.django_db


def _link_sent_to(phone: str, containing: str) -> str:
    """The path of the link in the last message to ``phone`` that says ``containing``."""
    run_worker()
    texts = [m.text for m in notifications.outbox if m.to == phone and containing in m.text]
    assert texts, [m.text for m in notifications.outbox]
    found = re.search(r"https?://\S+", texts[-1])
    assert found, texts[-1]
    return urlsplit(found.group(0)).path


def _on_behalf(side: Side, event: Event, name: str, phone: str) -> Registration:
    body = {"on_behalf": True, "name": name, "phone": phone}
    answer = post(api(side.admin), f"{base(side)}/{event.pk}/registrations", body)
    assert answer.status_code == 201, answer.content
    with tenant_context(side.association):
        return Registration.objects.get(pk=answer.json()["id"])


def test_someone_registered_by_the_secretariat_opens_their_ticket_without_an_account(
    side_a: Side,
) -> None:
    event = make_event(side_a.association, side_a.admin, title="理事会扩大会议")  # members only
    registration = _on_behalf(side_a, event, "熊建国", "13900005555")
    path = _link_sent_to("13900005555", "报名")
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "理事会扩大会议" in html and "熊建国" in html
    assert tickets.display_code(registration.code) in html and "data:image/svg+xml" in html
    assert page["Cache-Control"] == "private, no-store"


def test_a_waitlisted_guest_moved_up_opens_the_link_of_the_promotion(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=1, title="闭门座谈")
    held = register(a, event, side_a.member_user)
    waiting = _on_behalf(side_a, event, "候补嘉宾", "13900006666")
    assert waiting.status == "waitlisted"
    run_worker()
    with tenant_context(a):
        registration_services.registration_cancel(
            association=a, actor=side_a.member_user, registration=held
        )
    path = _link_sent_to("13900006666", "递补")
    html = Client().get(path).content.decode()
    assert "候补嘉宾" in html and "已报名" in html and "data:image/svg+xml" in html


def test_a_member_gets_the_member_page_and_loses_it_with_their_role(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, title="会员沙龙")
    register(a, event, side_a.member_user)
    path = _link_sent_to(side_a.person.phone, "会员沙龙")
    assert path == f"/a/{a.slug}/events/{event.pk}/"
    page = client_for(side_a.member_user).get(path)
    assert page.status_code == 200 and "我的报名" in page.content.decode()

    # Without a role here the member page would not open: the signed page instead.
    with tenant_context(a):
        Role.objects.filter(association=a, user=side_a.member_user).update(is_active=False)
        registration = Registration.objects.get(event=event)
        notices.reminder(registration)
    path = _link_sent_to(side_a.person.phone, "提醒")
    assert "/events/pass/" in path
    assert Client().get(path).status_code == 200


def test_an_invitation_opens_for_members_and_for_people_without_an_account(
    side_a: Side,
) -> None:
    a = side_a.association
    # A representative the secretariat entered, who has never signed in.
    offline = PersonFactory(association=a, name="庄先生", phone="13900007777", user=None)
    RepresentativeFactory(association=a, member=side_a.member, person=offline)
    event = make_event(a, side_a.admin, title="年度招商推介会")
    with tenant_context(a):
        assert "13900007777" in [
            c[0] for c in selectors.audience_contacts(association=a, event=event)
        ]
    from shanghui.core.jobs import job_start

    job_start(
        association=a, actor=side_a.admin, kind="events.invite", label="邀请",
        task=send_invitations, event_id=event.pk,
    )  # fmt: skip
    guest_path = _link_sent_to("13900007777", "年度招商推介会")
    page = Client().get(guest_path)
    assert page.status_code == 200 and "年度招商推介会" in page.content.decode()
    assert "联系秘书处" in page.content.decode()  # how to register without an account
    member_path = _link_sent_to(side_a.person.phone, "年度招商推介会")
    assert client_for(side_a.member_user).get(member_path).status_code == 200


def test_a_forged_or_foreign_link_opens_nothing(side_a: Side, side_b: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    registration = _on_behalf(side_a, event, "熊建国", "13900005555")
    key = tickets.pass_key(registration.token)
    client = Client()
    assert client.get(f"/a/{side_a.association.slug}/events/pass/{key}/").status_code == 200
    assert client.get(f"/a/{side_a.association.slug}/events/pass/{key[:-2]}xx/").status_code == 404
    # The ticket's own QR text is not a key to the page.
    qr = tickets.qr_text(registration.token)
    assert client.get(f"/a/{side_a.association.slug}/events/pass/{qr}/").status_code == 404
    assert client.get(f"/a/{side_b.association.slug}/events/pass/{key}/").status_code == 404
    invited = tickets.invitation_key(side_a.association.pk, event.pk)
    assert (
        client.get(f"/a/{side_a.association.slug}/events/{event.pk}/invited/{invited}/").status_code
        == 200
    )
    assert (
        client.get(f"/a/{side_b.association.slug}/events/{event.pk}/invited/{invited}/").status_code
        == 404
    )
    other = make_event(side_a.association, side_a.admin, publish=False)
    assert (
        client.get(f"/a/{side_a.association.slug}/events/{other.pk}/invited/{invited}/").status_code
        == 404
    )


def test_an_invitation_to_join_opens_without_an_account(side_a: Side) -> None:
    from shanghui.accounts.services.account import user_get_or_create
    from shanghui.accounts.services.invitations import invitation_send

    user, _created = user_get_or_create(phone="13900008888", name="新会员")
    with tenant_context(side_a.association):
        invitation_send(
            association=side_a.association, actor=side_a.admin, user=user, role_kind="member"
        )
    path = _link_sent_to("13900008888", "邀请")
    page = Client().get(path)
    assert page.status_code == 200 and "设置密码" in page.content.decode()
