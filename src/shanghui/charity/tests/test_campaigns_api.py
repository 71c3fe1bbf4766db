"""Campaigns, partners and pledges through the JSON API."""

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.charity.models import Campaign, DonorKind, GiftKind, Partner, Pledge
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for

from .test_campaigns_services import make_campaign


def url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/charity{path}"


def body(response: Any) -> Any:
    return json.loads(response.content)


def send(client: Client, method: str, path: str, data: object) -> Any:
    return getattr(client, method)(path, data, content_type="application/json")


@pytest.mark.django_db
def test_the_secretariat_manages_campaigns_and_partners(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    partner = send(admin, "post", url(side_a, "/partners"), {"name": "乳源中学", "kind": "school"})
    assert partner.status_code == 201, partner.content
    partner_id = body(partner)["id"]
    campaign = {
        "title": "小书包行动",
        "status": "active",
        "starts_on": "2026-01-01",
        "goal_item": "书包",
        "goal_quantity": "10000",
        "goal_unit": "个",
        "region_codes": ["440232"],
        "partner_ids": [partner_id],
    }
    bad = send(
        admin,
        "post",
        url(side_a, "/campaigns"),
        {**campaign, "goal_amount": "1.005", "region_codes": ["123"]},
    )
    assert bad.status_code == 400
    assert set(body(bad)["error"]["fields"]) == {"goal_amount", "region_codes"}
    created = send(admin, "post", url(side_a, "/campaigns"), campaign)
    assert created.status_code == 201, created.content
    data = body(created)
    assert data["partners"][0]["name"] == "乳源中学"
    assert (data["goal_quantity"], data["progress"]["total"]) == ("10000.00", "0.00")
    with tenant_context(side_a.association):
        donation_record(
            association=side_a.association,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.OUTSIDE, name="爱心企业"),
            gift=GiftInput(
                kind=GiftKind.GOODS,
                amount=Decimal("60000"),
                item="书包",
                quantity=Decimal("2000"),
                unit="个",
                value_basis="invoice",
            ),
            donated_on=timezone.localdate(),
            campaign=Campaign.objects.get(),
        )
    detail = body(admin.get(url(side_a, f"/campaigns/{data['id']}")))
    assert detail["progress"]["goods"] == "60000.00"
    assert detail["progress"]["quantity_percent"] == 20
    updated = send(
        admin, "put", url(side_a, f"/campaigns/{data['id']}"), {**campaign, "status": "closed"}
    )
    assert body(updated)["status"] == "closed"
    listed = body(admin.get(url(side_a, "/campaigns"), {"status": "closed"}))
    assert [row["received"] for row in listed["items"]] == ["60000.00"]
    renamed = send(
        admin,
        "put",
        url(side_a, f"/partners/{partner_id}"),
        {"name": "乳源县中学", "kind": "school"},
    )
    assert body(renamed)["name"] == "乳源县中学"
    assert body(admin.get(url(side_a, "/partners"), {"kind": "school"}))["count"] == 1


@pytest.mark.django_db
def test_a_member_reads_open_campaigns_and_pledges_for_their_member(side_a: Side) -> None:
    open_one = make_campaign(side_a)
    make_campaign(side_a, title="筹备中", status=Campaign.Status.PLANNED)
    member = api_client_for(side_a.member_user)
    assert [c["title"] for c in body(member.get(url(side_a, "/campaigns")))["items"]] == [
        "乳源·阳江·陆河助学"
    ]
    assert send(member, "post", url(side_a, "/campaigns"), {}).status_code in (403, 422)
    due = str(timezone.localdate() + timedelta(days=5))
    path = url(side_a, f"/campaigns/{open_one.pk}/pledges")
    bad = send(member, "post", path, {"kind": "cash", "amount": "0", "due_on": due})
    assert bad.status_code == 400
    assert body(bad)["error"]["fields"] == {"amount": ["金额必须大于 0"]}
    made = send(member, "post", path, {"kind": "cash", "amount": "8888.88", "due_on": due})
    assert made.status_code == 201, made.content
    pledge = body(made)
    assert (pledge["donor_name"], pledge["amount"], pledge["received"]) == (
        "甲市龚氏实业有限公司",
        "8888.88",
        "0.00",
    )
    # A member does not cancel or schedule; they read their own.
    refused = send(member, "post", url(side_a, f"/pledges/{pledge['id']}/cancel"), {"reason": "x"})
    assert refused.status_code == 403
    assert body(member.get(url(side_a, "/pledges")))["count"] == 1
    mine = body(member.get(url(side_a, "/mine")))
    assert [p["id"] for p in mine["pledges"]] == [pledge["id"]] and mine["total"] == "0.00"


@pytest.mark.django_db
def test_the_secretariat_schedules_and_cancels_a_pledge(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    admin = api_client_for(side_a.admin)
    made = send(
        admin,
        "post",
        url(side_a, f"/campaigns/{campaign.pk}/pledges"),
        {"member_id": side_a.member.pk, "kind": "cash", "amount": "20000", "due_on": "2026-12-31"},
    )
    pledge_id = body(made)["id"]
    path = url(side_a, f"/pledges/{pledge_id}/installments")
    wrong = send(admin, "put", path, {"installments": [{"due_on": "2026-06-30", "amount": "1"}]})
    assert wrong.status_code == 400
    assert "应等于认捐金额 ¥20,000.00" in body(wrong)["error"]["message"]
    rows = [{"due_on": "2026-06-30", "amount": "5000"}, {"due_on": "2027-03-31", "amount": 15000}]
    scheduled = body(send(admin, "put", path, {"installments": rows}))
    assert [i["amount"] for i in scheduled["installments"]] == ["5000.00", "15000.00"]
    assert scheduled["due_on"] == "2027-03-31"
    cancelled = send(admin, "post", url(side_a, f"/pledges/{pledge_id}/cancel"), {"reason": "撤回"})
    assert body(cancelled)["status"] == "cancelled"
    assert body(admin.get(url(side_a, "/pledges"), {"status": "cancelled"}))["count"] == 1


@pytest.mark.django_db
def test_another_associations_objects_are_404(side_a: Side, side_b: Side) -> None:
    campaign = make_campaign(side_b)
    with tenant_context(side_b.association):
        partner = Partner.objects.create(association=side_b.association, name="乙市中学")
        pledge = Pledge.objects.create(
            association=side_b.association,
            campaign=campaign,
            donor_kind=DonorKind.MEMBER,
            donor_member=side_b.member,
            donor_name=side_b.member.name,
            kind=GiftKind.CASH,
            amount=Decimal("100"),
            due_on=timezone.localdate(),
        )
    own = make_campaign(side_a)
    admin = api_client_for(side_a.admin)
    for path in (f"/campaigns/{campaign.pk}", f"/partners/{partner.pk}", f"/pledges/{pledge.pk}"):
        assert admin.get(url(side_a, path)).status_code == 404, path
    assert (
        send(
            admin, "post", url(side_a, f"/pledges/{pledge.pk}/cancel"), {"reason": "x"}
        ).status_code
        == 404
    )
    # B's member id on A's campaign, and B's partner on A's campaign.
    refused = send(
        admin,
        "post",
        url(side_a, f"/campaigns/{own.pk}/pledges"),
        {"member_id": side_b.member.pk, "kind": "cash", "amount": "1", "due_on": "2026-12-31"},
    )
    assert refused.status_code == 404
    moved = send(
        admin,
        "put",
        url(side_a, f"/campaigns/{own.pk}"),
        {"title": "x", "starts_on": "2026-01-01", "partner_ids": [partner.pk]},
    )
    assert moved.status_code == 404
    with tenant_context(side_a.association):
        own.refresh_from_db()
    assert own.title == "乳源·阳江·陆河助学"
