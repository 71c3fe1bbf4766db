"""The JSON API of goods distributions and honors, and the public verification API."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.charity.models import Distribution, Honor
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.pictures import photo_like

from .honors_helpers import give_goods, make_campaign, make_school, receipt_upload


def url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/charity{path}"


def post(client: Client, path: str, data: object) -> object:
    return client.post(path, json.dumps(data), content_type="application/json")


def body(response: object) -> dict:  # type: ignore[type-arg]
    return json.loads(response.content)  # type: ignore[attr-defined,no-any-return]


@pytest.mark.django_db
def test_distributions_through_the_api(side_a: Side, side_b: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="100")
    admin = api_client_for(side_a.admin)
    stock = body(admin.get(url(side_a, f"/campaigns/{campaign.pk}/stock")))
    assert stock == [
        {"item": "书包", "unit": "个", "received": "100.00", "distributed": "0.00",
         "in_stock": "100.00"}
    ]  # fmt: skip
    payload = {"recipient_id": school.pk, "item": "书包", "distributed_on": "2026-03-01"}
    path = url(side_a, f"/campaigns/{campaign.pk}/distributions")
    over = post(admin, path, {**payload, "quantity": "100.5"})
    assert over.status_code == 400  # type: ignore[attr-defined]
    assert body(over)["error"]["fields"]["quantity"] == ["发放数量超过库存：“书包”仅剩 100"]
    bad = post(admin, path, {**payload, "quantity": "x", "recipient_id": 999999})
    assert set(body(bad)["error"]["fields"]) == {"quantity", "recipient"}
    created = post(admin, path, {**payload, "quantity": 40})
    assert created.status_code == 201, created.content  # type: ignore[attr-defined]
    handed = body(created)
    assert (handed["quantity"], handed["unit"], handed["recipient_name"]) == (
        "40.00", "个", "乳源县第一中学"
    )  # fmt: skip
    assert handed["has_receipt"] is False
    listed = body(admin.get(url(side_a, f"/distributions?campaign_id={campaign.pk}")))
    assert listed["count"] == 1
    upload = admin.post(
        url(side_a, f"/distributions/{handed['id']}/receipt"), {"file": receipt_upload()}
    )
    assert upload.status_code == 200, upload.content
    assert body(upload)["has_receipt"] is True
    receipt = admin.get(url(side_a, f"/distributions/{handed['id']}/receipt"))
    content = b"".join(receipt.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    reversal = post(
        admin, url(side_a, f"/distributions/{handed['id']}/reversal"), {"reason": "退回"}
    )
    assert body(reversal)["quantity"] == "-40.00"
    member = api_client_for(side_a.member_user)
    assert member.get(url(side_a, "/distributions")).status_code == 403
    other = make_campaign(side_b, "乙市书包")
    assert admin.get(url(side_a, f"/campaigns/{other.pk}/stock")).status_code == 404
    with tenant_context(side_a.association):
        assert Distribution.objects.count() == 2


@pytest.mark.django_db
def test_honors_through_the_api_and_the_public_verification(side_a: Side, side_b: Side) -> None:
    admin = api_client_for(side_a.admin)
    payload = {
        "direction": "given",
        "title": "爱心企业",
        "awarded_by": "甲市江西商会",
        "awarded_on": "2026-05-01",
        "member_id": side_a.member.pk,
        "shown_on_card": True,
    }
    refused = post(admin, url(side_a, "/honors"), {**payload, "awarded_on": "明天"})
    assert body(refused)["error"]["fields"]["awarded_on"] == ["请填写授予日期，例如 2020-09-08"]
    foreign = post(admin, url(side_a, "/honors"), {**payload, "member_id": side_b.member.pk})
    assert body(foreign)["error"]["fields"] == {"member_id": ["未找到该会员"]}
    created = post(admin, url(side_a, "/honors"), payload)
    assert created.status_code == 201  # type: ignore[attr-defined]
    honor = body(created)
    assert (
        honor["certificate_no"].startswith("RY") and honor["recipient_name"] == side_a.member.name
    )
    assert honor["verify_url"].endswith(
        "/charity/verify/" + honor["verify_url"].split("/")[-2] + "/"
    )
    token = honor["verify_url"].rstrip("/").split("/")[-1]
    updated = admin.put(
        url(side_a, f"/honors/{honor['id']}"),
        json.dumps({**payload, "title": "慈善之星"}),
        content_type="application/json",
    )
    assert body(updated)["title"] == "慈善之星"
    photo = SimpleUploadedFile("证书.png", photo_like(fmt="PNG"), content_type="image/png")
    pictured = admin.post(url(side_a, f"/honors/{honor['id']}/image"), {"file": photo})
    assert body(pictured)["has_image"] is True
    image = admin.get(url(side_a, f"/honors/{honor['id']}/image"))
    assert image["Content-Type"] == "image/png"
    pdf = admin.get(url(side_a, f"/honors/{honor['id']}/certificate"))
    assert pdf["Content-Type"] == "application/pdf"
    assert body(admin.get(url(side_a, "/honors?direction=given")))["count"] == 1
    member = api_client_for(side_a.member_user)
    card = body(member.get(url(side_a, f"/members/{side_a.member.pk}/honors")))
    assert [h["title"] for h in card] == ["慈善之星"]  # type: ignore[index]
    assert member.get(url(side_a, f"/members/{side_b.member.pk}/honors")).status_code == 404

    public = Client()  # no token
    verify = f"/api/v1/public/associations/{side_a.association.slug}/charity/verify/{token}"
    shown = public.get(verify)
    assert shown.status_code == 200, shown.content
    assert body(shown)["title"] == "慈善之星"
    assert body(shown)["association_name"] == side_a.association.name
    wrong = f"/api/v1/public/associations/{side_b.association.slug}/charity/verify/{token}"
    assert public.get(wrong).status_code == 404
    revoked = post(admin, url(side_a, f"/honors/{honor['id']}/revocation"), {"reason": "误授"})
    assert body(revoked)["revoked_at"] and body(revoked)["verify_url"] == ""
    assert public.get(verify).status_code == 404
    assert body(member.get(url(side_a, f"/members/{side_a.member.pk}/honors"))) == []  # type: ignore[comparison-overlap]
    assert member.get(url(side_a, "/honors")).status_code == 403
    with tenant_context(side_b.association):
        theirs = Honor.objects.create(
            association=side_b.association,
            direction="received",
            title="乙市荣誉",
            awarded_by="乙市",
            awarded_on="2026-01-01",
        )
    assert admin.get(url(side_a, f"/honors/{theirs.pk}")).status_code == 404
