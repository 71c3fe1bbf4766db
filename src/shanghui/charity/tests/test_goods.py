"""Goods distributions: stock is what the ledger received through the association minus what
was handed out; more than the stock is refused with nothing written; a reversal returns the
goods; the school's receipt is kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shanghui.charity.models import Distribution, Donation
from shanghui.charity.selectors.goods import campaign_stock, goods_campaigns, item_stock
from shanghui.charity.services.donations import donation_reverse
from shanghui.charity.services.goods import (
    DistributionInput,
    distribution_receipt_attach,
    distribution_record,
    distribution_reverse,
)
from shanghui.core.models import AuditEntry
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .honors_helpers import give_goods, make_campaign, make_school, receipt_upload


def hand_out(
    side: Side, campaign: object, school: object, quantity: object, **kw: object
) -> Distribution:
    a = side.association
    with tenant_context(a):
        return distribution_record(
            association=a,
            actor=side.admin,
            campaign=campaign,  # type: ignore[arg-type]
            data=DistributionInput(
                recipient=school,  # type: ignore[arg-type]
                item=str(kw.get("item", "书包")),
                quantity=quantity,
                distributed_on=kw.get("distributed_on", date(2026, 3, 1)),
                note=str(kw.get("note", "")),
            ),
            receipt=kw.get("receipt"),  # type: ignore[arg-type]
        )


@pytest.mark.django_db
def test_stock_is_received_through_the_association_minus_handed_out(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="100")
    give_goods(side_a, campaign, quantity="50")
    give_goods(side_a, campaign, item="《论语》", quantity="13", unit="册")
    # A member's own gift, reported to the association, never passed through its hands.
    give_goods(side_a, campaign, quantity="999", channel=Donation.Channel.REPORTED)
    hand_out(side_a, campaign, school, "30")
    with tenant_context(side_a.association):
        rows = {row.item: row for row in campaign_stock(side_a.association, campaign)}
        assert list(goods_campaigns(side_a.association)) == [campaign]
    assert rows["书包"].received == Decimal("150")
    assert rows["书包"].distributed == Decimal("30")
    assert rows["书包"].in_stock == Decimal("120")
    assert rows["书包"].unit == "个"
    assert rows["《论语》"].in_stock == Decimal("13")


@pytest.mark.django_db
def test_more_than_the_stock_is_refused_and_nothing_is_written(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="100")
    hand_out(side_a, campaign, school, "60")
    with pytest.raises(ValidationError) as refused:
        hand_out(side_a, campaign, school, "41")
    assert refused.value.message_dict == {"quantity": ["发放数量超过库存：“书包”仅剩 40"]}
    with pytest.raises(ValidationError) as unknown:
        hand_out(side_a, campaign, school, "1", item="电脑")
    assert "没有可发放的“电脑”" in unknown.value.message_dict["item"][0]
    hand_out(side_a, campaign, school, "40")  # exactly what is left
    with tenant_context(side_a.association):
        assert Distribution.objects.count() == 2
        assert item_stock(side_a.association, campaign, "书包") == 0


@pytest.mark.django_db
def test_a_reversed_donation_lowers_the_stock(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    gift = give_goods(side_a, campaign, quantity="100")
    with tenant_context(side_a.association):
        donation_reverse(
            association=side_a.association, actor=side_a.admin, donation=gift, reason="录错"
        )
    with pytest.raises(ValidationError, match="库存为 0"):
        hand_out(side_a, campaign, school, "1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "请填写有效的数量，例如 100 或 2.5"),
        ("1.234", "数量最多保留两位小数"),
        ("-5", "数量必须大于 0"),
        ("0", "数量必须大于 0"),
        ("1e2", "请直接填写数量，不要使用科学计数法"),
    ],
)
def test_malformed_quantities_are_refused_in_chinese(
    side_a: Side, quantity: str, message: str
) -> None:
    campaign = make_campaign(side_a)
    give_goods(side_a, campaign)
    with pytest.raises(ValidationError) as refused:
        hand_out(side_a, campaign, make_school(side_a), quantity)
    assert refused.value.message_dict["quantity"] == [message]
    with tenant_context(side_a.association):
        assert not Distribution.objects.exists()


@pytest.mark.django_db
def test_another_associations_school_and_a_future_date_are_refused(
    side_a: Side, side_b: Side
) -> None:
    campaign = make_campaign(side_a)
    give_goods(side_a, campaign)
    foreign_school = make_school(side_b, "乙市希望小学")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        hand_out(side_a, campaign, foreign_school, "1", distributed_on=tomorrow)
    assert refused.value.message_dict == {
        "recipient": ["请选择本会的记录"],
        "distributed_on": ["发放日期不能晚于今天"],
    }


@pytest.mark.django_db
def test_a_reversal_returns_the_goods_once(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="10")
    handed = hand_out(side_a, campaign, school, "10")
    a = side_a.association
    with tenant_context(a):
        reversal = distribution_reverse(
            association=a, actor=side_a.admin, distribution=handed, reason="学校退回"
        )
        assert reversal.quantity == Decimal("-10") and reversal.reverses_id == handed.pk
        assert item_stock(a, campaign, "书包") == Decimal("10")
        with pytest.raises(ValidationError, match="已经冲正过了"):
            distribution_reverse(
                association=a, actor=side_a.admin, distribution=handed, reason="再来一次"
            )
        with pytest.raises(ValidationError, match="冲正记录不能再冲正"):
            distribution_reverse(
                association=a, actor=side_a.admin, distribution=reversal, reason="x"
            )
        with pytest.raises(ValidationError, match="请填写冲正原因"):
            distribution_reverse(association=a, actor=side_a.admin, distribution=handed, reason=" ")
        actions = list(AuditEntry.objects.filter(association=a).values_list("action", flat=True))
    assert "charity.distribution.record" in actions
    assert "charity.distribution.reverse" in actions


@pytest.mark.django_db
def test_the_schools_receipt_is_kept_and_checked(side_a: Side) -> None:
    campaign = make_campaign(side_a)
    school = make_school(side_a)
    give_goods(side_a, campaign, quantity="10")
    handed = hand_out(side_a, campaign, school, "5", receipt=receipt_upload())
    assert handed.receipt_id is not None
    a = side_a.association
    fake = SimpleUploadedFile("回执.pdf", b"MZ not a pdf", content_type="application/pdf")
    with tenant_context(a), pytest.raises(ValidationError) as refused:
        distribution_receipt_attach(
            association=a, actor=side_a.admin, distribution=handed, upload=fake
        )
    assert refused.value.message_dict == {"receipt": ["文件内容与扩展名不符"]}
    with tenant_context(a):
        handed.refresh_from_db()
        first = handed.receipt_id
        distribution_receipt_attach(
            association=a, actor=side_a.admin, distribution=handed, upload=receipt_upload("新.pdf")
        )
        handed.refresh_from_db()
    assert handed.receipt_id != first
