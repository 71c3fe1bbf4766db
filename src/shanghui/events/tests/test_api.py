"""The events API: the secretariat creates and publishes, members register (Idempotency-Key
retries get the first answer), see their ticket, staff check in; B's member gets 404."""

import json
from typing import Any

import pytest
from django.test import Client

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.tenancy import tenant_context
from shanghui.events import tickets
from shanghui.events.models import CheckinList, Registration
from shanghui.testing.fixtures import Side

from .factories import make_event, make_member_user, register

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def base(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/events"


def test_create_publish_register_idempotently_and_check_in(side_a: Side) -> None:
    admin = api(side_a.admin)
    created = post(admin, base(side_a), {
        "title": "赣商论坛", "kind": "forum", "starts_at": "2030-05-01T09:00",
        "ends_at": "2030-05-01T12:00", "capacity": 1, "questions": ["饮食禁忌"],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    event_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert admin.post(f"{base(side_a)}/{event_id}/publish").json()["status"] == "published"

    member = api(side_a.member_user)
    url = f"{base(side_a)}/{event_id}/registrations"
    first = post(member, url, {"answers": {"q1": "无"}}, **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "confirmed"
    retry = post(member, url, {"answers": {"q1": "无"}}, **{"Idempotency-Key": "k-1"})
    assert (retry.status_code, retry.json()["id"]) == (201, first.json()["id"])
    again = post(member, url, {}, **{"Idempotency-Key": "k-2"})
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    # The same key on another event is refused, not answered with this event's registration.
    second = post(admin, base(side_a), {
        "title": "赣商沙龙", "kind": "forum", "starts_at": "2030-06-01T09:00",
        "ends_at": "2030-06-01T12:00",
    }).json()["id"]  # fmt: skip
    admin.post(f"{base(side_a)}/{second}/publish")
    reused = post(
        member, f"{base(side_a)}/{second}/registrations", {}, **{"Idempotency-Key": "k-1"}
    )
    assert reused.status_code in (400, 422) and "另一个活动" in reused.content.decode()
    with tenant_context(side_a.association):
        assert not Registration.objects.filter(event_id=second).exists()

    other = api(make_member_user(side_a.association, "后来者"))
    assert post(other, url, {}).json()["status"] == "waitlisted"

    registration_id = first.json()["id"]
    ticket = member.get(f"{url}/{registration_id}/ticket").json()
    assert ticket["qr_svg"].startswith("data:image/svg+xml")
    assert other.get(f"{url}/{registration_id}/ticket").status_code == 404

    lists = admin.get(f"{base(side_a)}/{event_id}/checkin-lists").json()
    checkins = f"{base(side_a)}/{event_id}/checkin-lists/{lists[0]['id']}/checkins"
    scanned = post(admin, checkins, {"code": ticket["qr_text"]})
    assert scanned.status_code == 201 and scanned.json()["arrived"] == 1
    assert post(admin, checkins, {"code": ticket["code"]}).status_code == 200
    assert post(member, checkins, {"code": ticket["code"]}).status_code == 403
    attendance = admin.get(f"{base(side_a)}/{event_id}/attendance").json()
    assert (attendance["registered"], attendance["attended"]) == (1, 1)


def test_cancel_promotes_over_the_api(side_a: Side) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, capacity=1)
    url = f"{base(side_a)}/{event.pk}/registrations"
    first = post(api(side_a.member_user), url, {}).json()
    second_user = make_member_user(a, "候补者")
    second = post(api(second_user), url, {}).json()
    assert second["status"] == "waitlisted"
    cancelled = api(side_a.member_user).post(f"{url}/{first['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert api(second_user).get(f"{base(side_a)}/{event.pk}/my-registration").json()["status"] == (
        "confirmed"
    )


def test_staff_register_on_behalf_and_members_cannot(side_a: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    url = f"{base(side_a)}/{event.pk}/registrations"
    body = {"on_behalf": True, "name": "贵宾", "phone": "13800001234", "company": "某集团"}
    assert post(api(side_a.admin), url, body).status_code == 201
    refused = post(api(side_a.member_user), url, body)
    assert refused.status_code == 400 and "秘书处" in refused.json()["error"]["message"]


def test_exports_and_ics(side_a: Side) -> None:
    from icalendar import Calendar

    event = make_event(side_a.association, side_a.admin)
    admin = api(side_a.admin)
    xlsx = admin.get(f"{base(side_a)}/{event.pk}/exports/registrants")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    calendar = Calendar.from_ical(
        api(side_a.member_user).get(f"{base(side_a)}/{event.pk}/ics").content
    )
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert "VTIMEZONE" in calendar.to_ical().decode()


def test_other_association_gets_404(side_a: Side, side_b: Side) -> None:
    event = make_event(side_a.association, side_a.admin)
    outsider = api(side_b.member_user)
    assert outsider.get(f"{base(side_a)}/{event.pk}").status_code == 404
    assert post(outsider, f"{base(side_a)}/{event.pk}/registrations", {}).status_code == 404
    assert outsider.get(f"{base(side_b)}/{event.pk}").status_code == 404
    with tenant_context(side_a.association):
        assert not Registration.objects.exists()
    # B's valid ticket scanned at A's door: not found, and nothing of B's event is shown.
    b_event = make_event(side_b.association, side_b.admin, title="乙市秘密晚宴")
    b_ticket = register(side_b.association, b_event, side_b.member_user)
    with tenant_context(side_a.association):
        hall = CheckinList.objects.get(event=event)
    scanned = post(
        api(side_a.admin),
        f"{base(side_a)}/{event.pk}/checkin-lists/{hall.pk}/checkins",
        {"code": tickets.qr_text(b_ticket.token)},
    )
    assert scanned.status_code == 400 and "未找到" in scanned.content.decode()
    assert "乙市" not in scanned.content.decode()


def test_online_payment_is_refused_until_a_provider_is_connected(side_a: Side) -> None:
    from decimal import Decimal

    from shanghui.events import payments
    from shanghui.events.services import fees as fee_services

    a = side_a.association
    event = make_event(a, side_a.admin, fee="300")
    member = api(side_a.member_user)
    registration = post(member, f"{base(side_a)}/{event.pk}/registrations", {}).json()
    url = f"{base(side_a)}/{event.pk}/registrations/{registration['id']}/online-payment"
    refused = member.post(url)
    assert refused.status_code == 400 and "暂未开通在线支付" in refused.json()["error"]["message"]

    class FakePay:
        code = "fake"

        def start_checkout(self, *, registration: Any, amount: Decimal) -> Any:
            return payments.EventCheckout("fake", f"https://pay.test/{amount}", "R1")

    payments.register_provider(FakePay())
    try:
        checkout = member.post(url)
        assert checkout.status_code == 201 and checkout.json()["url"] == "https://pay.test/300.00"
    finally:
        payments.unregister_provider("fake")
    with tenant_context(a):
        found = Registration.objects.get(pk=registration["id"])
        fee_services.registration_payment_confirm(
            association=a, registration=found, provider="fake", reference="R1"
        )
    assert member.get(url.replace("/online-payment", "")).json()["fee_paid"] is True
