"""The secretariat's distribution pages: stock and list, recording (refusing more than the
stock, with the message on the form), reversing, the receipt; members get 403, another
association's ids 404."""

import pytest
from django.test import Client

from shanghui.charity.models import Distribution
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .honors_helpers import give_goods, make_campaign, make_school, receipt_upload


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/distributions/{path}"


@pytest.mark.django_db
def test_recording_a_distribution_on_the_pages(side_a: Side, admin_a: Client) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="100")
    listing = admin_a.get(office(side_a))
    text = listing.content.decode()
    assert listing.status_code == 200
    assert "小书包行动" in text and "书包" in text and "100个" in text
    form = admin_a.get(office(side_a, f"new/?campaign={campaign.pk}"))
    assert form.status_code == 200 and "乳源县第一中学" in form.content.decode()
    data = {
        "campaign": campaign.pk,
        "recipient": school.pk,
        "item": "书包",
        "distributed_on": "2026-03-01",
        "note": "开学发放",
    }
    over = admin_a.post(office(side_a, "new/"), {**data, "quantity": "101"})
    assert over.status_code == 400
    assert "发放数量超过库存：“书包”仅剩 100" in over.content.decode()
    bad = admin_a.post(office(side_a, "new/"), {**data, "quantity": "很多"})
    assert "请填写有效的数量，例如 100 或 2.5" in bad.content.decode()
    with tenant_context(side_a.association):
        assert not Distribution.objects.exists()
    done = admin_a.post(
        office(side_a, "new/"), {**data, "quantity": "30", "receipt": receipt_upload()}, follow=True
    )
    page = done.content.decode()
    assert "已登记发放：书包 30个 → 乳源县第一中学" in page
    assert "70个" in page  # left in stock
    with tenant_context(side_a.association):
        handed = Distribution.objects.get()
    receipt = admin_a.get(office(side_a, f"{handed.pk}/receipt/"))
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    reversed_ = admin_a.post(
        office(side_a, f"{handed.pk}/reverse/"), {"reason": "学校退回"}, follow=True
    )
    assert "已冲正该发放记录，物资回到库存" in reversed_.content.decode()
    assert "100个" in reversed_.content.decode()


@pytest.mark.django_db
def test_uploading_a_receipt_later(side_a: Side, admin_a: Client) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="10")
    with tenant_context(side_a.association):
        handed = Distribution.objects.create(
            association=side_a.association,
            campaign=campaign,
            recipient=school,
            item="书包",
            quantity=5,
            distributed_on="2026-03-01",
        )
    assert admin_a.get(office(side_a, f"{handed.pk}/receipt/")).status_code == 404
    refused = admin_a.post(office(side_a, f"{handed.pk}/receipt/"), {}, follow=True)
    assert "请选择回执文件" in refused.content.decode()
    ok = admin_a.post(
        office(side_a, f"{handed.pk}/receipt/"), {"receipt": receipt_upload()}, follow=True
    )
    assert "已上传接收单位回执" in ok.content.decode()
    assert admin_a.get(office(side_a, f"{handed.pk}/receipt/")).status_code == 200


@pytest.mark.django_db
def test_members_get_403_and_other_associations_ids_404(
    side_a: Side, side_b: Side, admin_a: Client, member_a: Client
) -> None:
    campaign_a = make_campaign(side_a)
    give_goods(side_a, campaign_a)
    campaign_b = make_campaign(side_b, "乙市书包")
    school_b = make_school(side_b, "乙市学校")
    give_goods(side_b, campaign_b, quantity="10")
    with tenant_context(side_b.association):
        theirs = Distribution.objects.create(
            association=side_b.association,
            campaign=campaign_b,
            recipient=school_b,
            item="书包",
            quantity=1,
            distributed_on="2026-03-01",
        )
    for path in ("", "new/"):
        assert member_a.get(office(side_a, path)).status_code == 403
    assert admin_a.get(office(side_a, f"?campaign={campaign_b.pk}")).status_code == 404
    assert admin_a.get(office(side_a, f"new/?campaign={campaign_b.pk}")).status_code == 404
    assert admin_a.get(office(side_a, f"{theirs.pk}/receipt/")).status_code == 404
    assert admin_a.post(office(side_a, f"{theirs.pk}/reverse/"), {"reason": "x"}).status_code == 404
    school_a = make_school(side_a)
    foreign_school = admin_a.post(
        office(side_a, "new/"),
        {"campaign": campaign_a.pk, "recipient": school_b.pk, "item": "书包", "quantity": "1",
         "distributed_on": "2026-03-01"},
    )  # fmt: skip
    assert foreign_school.status_code == 400
    assert school_a.pk != school_b.pk
    with tenant_context(side_b.association):
        assert Distribution.objects.count() == 1
