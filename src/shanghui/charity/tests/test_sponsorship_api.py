"""The sponsorship API: lists without ID numbers, the masked detail, the audited reveal,
payments booked in the ledger, refusals that change nothing, and 404 for another
association's student."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.charity.models import Beneficiary, Donation
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.pictures import photo_like

from .sponsorship_helpers import adult_id, school, student


def api(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/charity/{path}"


def body(response: Any) -> Any:
    return json.loads(response.content)


def post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_list_detail_and_reveal(side_a: Side) -> None:
    made = student(side_a.association)
    client = api_client_for(side_a.admin)
    listed = client.get(api(side_a, "beneficiaries"))
    assert listed.status_code == 200
    raw = listed.content.decode()
    assert "李小明" in raw and adult_id() not in raw and "id_number" not in raw
    detail = body(client.get(api(side_a, f"beneficiaries/{made.pk}")))
    assert detail["id_number_masked"].startswith("44**") and adult_id() not in json.dumps(detail)
    revealed = client.post(api(side_a, f"beneficiaries/{made.pk}/reveal"))
    assert revealed.status_code == 200 and body(revealed)["id_number"] == adult_id()
    with tenant_context(side_a.association):
        assert AuditEntry.objects.filter(action="charity.beneficiary.reveal").count() == 1


@pytest.mark.django_db
def test_members_get_403_and_another_association_404(side_a: Side, side_b: Side) -> None:
    made = student(side_a.association)
    member = api_client_for(side_a.member_user)
    assert member.get(api(side_a, "beneficiaries")).status_code == 403
    assert member.post(api(side_a, f"beneficiaries/{made.pk}/reveal")).status_code == 403
    other = api_client_for(side_b.admin)
    for path in (f"beneficiaries/{made.pk}", f"beneficiaries/{made.pk}/visits"):
        assert other.get(api(side_b, path)).status_code == 404, path
    response = other.post(api(side_b, f"beneficiaries/{made.pk}/reveal"))
    assert response.status_code == 404 and adult_id() not in response.content.decode()


@pytest.mark.django_db
def test_create_refuses_bad_input_with_a_chinese_message(side_a: Side) -> None:
    client = api_client_for(side_a.admin)
    response = post(client, api(side_a, "beneficiaries"), {"name": "小刚", "id_number": adult_id()})
    assert response.status_code == 400
    assert "单独同意" in body(response)["error"]["message"]
    with tenant_context(side_a.association):
        assert not Beneficiary.objects.exists()
    ok = post(
        client,
        api(side_a, "beneficiaries"),
        {"name": "小刚", "id_number": adult_id(), "sensitive_consent_on": "2025-01-01"},
    )
    assert ok.status_code == 201 and body(ok)["id_number_masked"].endswith(adult_id()[-2:])
    again = post(
        client,
        api(side_a, "beneficiaries"),
        {"name": "小强", "id_number": adult_id(), "sensitive_consent_on": "2025-01-01"},
    )
    assert again.status_code == 400 and "已登记为受助学生" in body(again)["error"]["message"]


@pytest.mark.django_db
def test_sponsorship_schedule_and_payment(side_a: Side, side_b: Side) -> None:
    a = side_a.association
    made = student(a, school=school(a))
    client = api_client_for(side_a.admin)
    foreign = post(
        client,
        api(side_a, f"beneficiaries/{made.pk}/sponsorships"),
        {
            "sponsor_member_id": side_b.member.pk,
            "starts_on": "2025-09-01",
            "amount_per_term": "1000",
        },
    )
    assert foreign.status_code == 400 and "请选择本会的会员" in body(foreign)["error"]["message"]
    created = post(
        client,
        api(side_a, f"beneficiaries/{made.pk}/sponsorships"),
        {
            "sponsor_member_id": side_a.member.pk,
            "starts_on": "2025-09-01",
            "expected_end_on": "2026-07-01",
            "amount_per_term": "1,800.50",
        },
    )
    assert created.status_code == 201
    pair = body(created)["id"]
    scheduled = body(post(client, api(side_a, f"sponsorships/{pair}/schedule"), {}))
    terms = scheduled["disbursements"]
    assert [t["term"] for t in terms] == ["2025年秋季学期", "2026年春季学期"]
    paid = post(
        client, api(side_a, f"disbursements/{terms[0]['id']}/payment"), {"paid_on": "2025-09-02"}
    )
    assert paid.status_code == 200 and body(paid)["donation_id"]
    twice = post(
        client, api(side_a, f"disbursements/{terms[0]['id']}/payment"), {"paid_on": "2025-09-02"}
    )
    assert twice.status_code == 400 and "已登记发放" in body(twice)["error"]["message"]
    with tenant_context(a):
        assert str(Donation.objects.get().amount) == "1800.50"
    overdue = body(client.get(api(side_a, "disbursements/overdue")))
    assert [row["term"] for row in overdue["items"]] == ["2026年春季学期"]


@pytest.mark.django_db
def test_visit_with_photo_and_academic_record(side_a: Side) -> None:
    made = student(side_a.association)
    client = api_client_for(side_a.admin)
    visit = post(
        client,
        api(side_a, f"beneficiaries/{made.pk}/visits"),
        {"visited_on": "2025-05-01", "visitors": "张会长"},
    )
    assert visit.status_code == 201
    portrait = SimpleUploadedFile("p.jpg", photo_like(4), content_type="image/jpeg")
    set_photo = client.post(api(side_a, f"beneficiaries/{made.pk}/photo"), {"photo": portrait})
    assert set_photo.status_code == 200 and body(set_photo)["has_photo"] is True
    assert client.get(api(side_a, f"beneficiaries/{made.pk}/photo")).status_code == 200
    upload = SimpleUploadedFile("v.jpg", photo_like(3), content_type="image/jpeg")
    added = client.post(api(side_a, f"visits/{body(visit)['id']}/photos"), {"photo": upload})
    assert added.status_code == 201
    (photo,) = body(added)["photos"]
    served = client.get(api(side_a, f"visit-photos/{photo['id']}"))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    record = post(
        client,
        api(side_a, f"beneficiaries/{made.pk}/academic-records"),
        {"term": "2025春", "summary": "优秀", "recorded_on": "2025-07-01"},
    )
    assert record.status_code == 201
    assert body(client.get(api(side_a, f"academic-records/{body(record)['id']}")))["summary"] == (
        "优秀"
    )
