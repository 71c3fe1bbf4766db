"""Campaigns, partners and pledges: what the services accept, what they refuse (with a clear
Chinese message, changing nothing), and that a pledge's progress is read from the ledger."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shanghui.charity.models import (
    Campaign,
    CampaignPartner,
    DonorKind,
    GiftKind,
    Partner,
    Pledge,
    PledgeInstallment,
)
from shanghui.charity.selectors import campaigns as selectors
from shanghui.charity.services import campaigns as services
from shanghui.charity.services.donations import (
    DonorInput,
    GiftInput,
    donation_record,
    donation_reverse,
)
from shanghui.core.audit import action_label
from shanghui.core.models import AuditEntry as AuditLog
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side


def _today() -> date:
    return timezone.localdate()


def make_campaign(side: Side, **overrides: object) -> Campaign:
    data = {
        "title": "乳源·阳江·陆河助学",
        "starts_on": date(2026, 1, 1),
        "status": Campaign.Status.ACTIVE,
        "goal_amount": "1,500,000",
        "region_codes": ["440232", "441700", "441523"],
        "pledge_deadline": _today() + timedelta(days=30),
        **overrides,
    }
    with tenant_context(side.association):
        return services.campaign_create(
            association=side.association,
            actor=side.admin,
            data=services.CampaignInput(**data),  # type: ignore[arg-type]
        )


def member_donor(side: Side) -> DonorInput:
    return DonorInput(kind=DonorKind.MEMBER, member=side.member)


@pytest.mark.django_db
def test_a_campaign_is_created_with_regions_partners_and_an_audit_entry(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        red_cross = services.partner_save(
            association=a,
            actor=side_a.admin,
            data=services.PartnerInput(
                name="广东省红十字会", kind=Partner.Kind.RED_CROSS, region_code="440000"
            ),
        )
    campaign = make_campaign(side_a, partners=[red_cross], goal_item="书包", goal_quantity="10,000")
    with tenant_context(a):
        campaign.refresh_from_db()
        assert campaign.goal_amount == Decimal("1500000.00")
        assert campaign.goal_quantity == Decimal("10000.00")
        assert campaign.region_codes == ["440232", "441700", "441523"]
        assert selectors.campaign_partners(campaign) == [red_cross]
        assert selectors.campaign_regions(campaign)[0][1].endswith("乳源瑶族自治县")
        entry = AuditLog.objects.filter(action="charity.campaign.create").get()
    assert str(action_label(entry.action)) == "创建公益项目"


@pytest.mark.django_db
def test_bad_campaign_input_is_refused_with_every_message_and_nothing_written(
    side_a: Side,
) -> None:
    a = side_a.association
    bad = services.CampaignInput(
        title="",
        starts_on="2026-05-01",
        ends_on="2026-04-01",
        goal_amount="10.005",
        goal_quantity="1e3",
        region_codes=["440232", "999999"],
        public_fundraising_url="javascript:alert(1)",
        status="deleted",
    )
    with tenant_context(a), pytest.raises(ValidationError) as caught:
        services.campaign_create(association=a, actor=side_a.admin, data=bad)
    errors = caught.value.message_dict
    assert errors["title"] == ["请填写项目名称"]
    assert errors["goal_amount"] == ["金额最多保留两位小数（精确到分）"]
    assert errors["goal_quantity"] == ["请直接填写数量，不要使用科学计数法"]
    assert errors["region_codes"] == ["地区代码 999999 无效（应为 6 位行政区划代码）"]
    assert "public_fundraising_url" in errors and "status" in errors
    with tenant_context(a):
        assert not Campaign.objects.exists()
    # The period is checked once every field reads well.
    with tenant_context(a), pytest.raises(ValidationError) as caught:
        services.campaign_create(
            association=a,
            actor=side_a.admin,
            data=services.CampaignInput(title="助学", starts_on="2026-05-01", ends_on="2026-04-01"),
        )
    assert caught.value.message_dict == {"ends_on": ["结束日期不能早于开始日期"]}


@pytest.mark.django_db
def test_a_campaign_refuses_another_associations_partner(side_a: Side, side_b: Side) -> None:
    with tenant_context(side_b.association):
        foreign = Partner.objects.create(association=side_b.association, name="乙市慈善总会")
    with tenant_context(side_a.association), pytest.raises(ValidationError) as caught:
        services.campaign_create(
            association=side_a.association,
            actor=side_a.admin,
            data=services.CampaignInput(title="助学", starts_on="2026-01-01", partners=[foreign]),
        )
    assert caught.value.message_dict == {"partners": ["请选择本会的合作机构"]}


@pytest.mark.django_db
def test_updating_a_campaign_changes_fields_and_partners(side_a: Side) -> None:
    a = side_a.association
    campaign = make_campaign(side_a)
    with tenant_context(a):
        school = Partner.objects.create(association=a, name="乳源中学", kind=Partner.Kind.SCHOOL)
        services.campaign_update(
            association=a,
            actor=side_a.admin,
            campaign=campaign,
            data=services.CampaignInput(
                title="乳源助学",
                starts_on=date(2026, 1, 1),
                status=Campaign.Status.CLOSED,
                region_codes=["440232"],
                partners=[school],
            ),
        )
        campaign.refresh_from_db()
        assert (campaign.title, campaign.status, campaign.goal_amount) == (
            "乳源助学",
            "closed",
            None,
        )
        assert CampaignPartner.objects.filter(campaign=campaign).count() == 1
        entry = AuditLog.objects.get(action="charity.campaign.update")
    assert "partners" in entry.data["changed"] and "title" in entry.data["changed"]


@pytest.mark.django_db
def test_partner_names_are_unique_and_codes_checked(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        services.partner_save(
            association=a, actor=side_a.admin, data=services.PartnerInput(name="广东省慈善总会")
        )
        with pytest.raises(ValidationError) as caught:
            services.partner_save(
                association=a,
                actor=side_a.admin,
                data=services.PartnerInput(
                    name=" 广东省慈善总会 ", uscc="123", region_code="12", kind="bank"
                ),
            )
        assert set(caught.value.message_dict) == {"kind", "uscc", "region_code"}
        with pytest.raises(ValidationError) as caught:
            services.partner_save(
                association=a, actor=side_a.admin, data=services.PartnerInput(name="广东省慈善总会")
            )
        assert caught.value.message_dict == {"name": ["已有同名的合作机构"]}
        assert Partner.objects.count() == 1


@pytest.mark.django_db
def test_a_member_pledges_until_the_deadline_and_the_ledger_fulfils_it(side_a: Side) -> None:
    a = side_a.association
    campaign = make_campaign(side_a)
    with tenant_context(a):
        pledge = services.pledge_create(
            association=a,
            actor=side_a.member_user,
            campaign=campaign,
            donor=member_donor(side_a),
            data=services.PledgeInput(kind=GiftKind.CASH, amount="50,000", due_on=_today()),
            by_member=True,
        )
        assert (pledge.donor_name, pledge.amount, pledge.status) == (
            "甲市龚氏实业有限公司",
            Decimal("50000.00"),
            "open",
        )
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=member_donor(side_a),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("50000")),
            donated_on=_today(),
            pledge=pledge,
        )
        pledge.refresh_from_db()
        assert pledge.status == "fulfilled"
        (row,) = selectors.my_pledges(association=a, user=side_a.member_user)
        assert row.received == Decimal("50000.00")
        # A fulfilled pledge is not cancelled; after a reversal it is open again and may be.
        with pytest.raises(ValidationError, match="已履行"):
            services.pledge_cancel(association=a, actor=side_a.admin, pledge=pledge, reason="x")
        gift = pledge.donations.get()
        donation_reverse(association=a, actor=side_a.admin, donation=gift, reason="退回")
        pledge.refresh_from_db()
        assert pledge.status == "open"
        services.pledge_cancel(association=a, actor=side_a.admin, pledge=pledge, reason="企业困难")
        pledge.refresh_from_db()
        assert pledge.status == "cancelled" and "企业困难" in pledge.note


@pytest.mark.django_db
def test_members_may_not_pledge_after_the_deadline_or_to_a_draft(side_a: Side) -> None:
    a = side_a.association
    late = make_campaign(side_a, pledge_deadline=_today() - timedelta(days=1))
    draft = make_campaign(side_a, status=Campaign.Status.PLANNED, title="筹备中的项目")
    what = services.PledgeInput(kind=GiftKind.CASH, amount="1000", due_on=_today())
    with tenant_context(a):
        for campaign in (late, draft):
            with pytest.raises(ValidationError) as caught:
                services.pledge_create(
                    association=a,
                    actor=side_a.member_user,
                    campaign=campaign,
                    donor=member_donor(side_a),
                    data=what,
                    by_member=True,
                )
            assert caught.value.messages == ["该项目目前不接受认捐"]
        # The secretariat may still take a late pledge down.
        services.pledge_create(
            association=a, actor=side_a.admin, campaign=late, donor=member_donor(side_a), data=what
        )
        assert Pledge.objects.count() == 1


@pytest.mark.django_db
def test_bad_pledges_are_refused_field_by_field(side_a: Side) -> None:
    a = side_a.association
    campaign = make_campaign(side_a)
    cases = [
        (services.PledgeInput(kind="cheque", amount="1"), {"kind"}),
        (services.PledgeInput(kind=GiftKind.CASH, amount="0", due_on=_today()), {"amount"}),
        (
            services.PledgeInput(kind=GiftKind.CASH, amount="-5", due_on="2026-13-01"),
            {"amount", "due_on"},
        ),
        (
            services.PledgeInput(kind=GiftKind.GOODS, item="", quantity="-3", due_on=_today()),
            {"item", "quantity"},
        ),
        (
            services.PledgeInput(
                kind=GiftKind.CASH, amount="100", due_on=_today() - timedelta(days=1)
            ),
            {"due_on"},
        ),
    ]
    with tenant_context(a):
        for data, fields in cases:
            with pytest.raises(ValidationError) as caught:
                services.pledge_create(
                    association=a,
                    actor=side_a.member_user,
                    campaign=campaign,
                    donor=member_donor(side_a),
                    data=data,
                    by_member=True,
                )
            assert set(caught.value.message_dict) == fields, data
        goods = services.pledge_create(
            association=a,
            actor=side_a.member_user,
            campaign=campaign,
            donor=member_donor(side_a),
            data=services.PledgeInput(
                kind=GiftKind.GOODS, item="书包", quantity="2,000", unit="个", due_on=_today()
            ),
            by_member=True,
        )
        assert (goods.amount, goods.quantity) == (Decimal("0"), Decimal("2000"))
        assert Pledge.objects.count() == 1
        # Goods are counted in items: 2,000 bags received fulfil it, whatever their value.
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=member_donor(side_a),
            gift=GiftInput(
                kind=GiftKind.GOODS,
                amount=Decimal("50000"),
                item="书包",
                quantity=Decimal("2000"),
                unit="个",
                value_basis="market",
            ),
            donated_on=_today(),
            pledge=goods,
        )
        row = selectors.pledges_search(association=a).get()
        assert (row.status, row.received_quantity, row.received) == (
            "fulfilled",
            Decimal("2000"),
            Decimal("50000"),
        )


@pytest.mark.django_db
def test_an_installment_schedule_sums_to_the_pledge(side_a: Side) -> None:
    a = side_a.association
    campaign = make_campaign(side_a)
    today = _today()
    with tenant_context(a):
        pledge = services.pledge_create(
            association=a,
            actor=side_a.admin,
            campaign=campaign,
            donor=member_donor(side_a),
            data=services.PledgeInput(kind=GiftKind.CASH, amount="30000", due_on=today),
        )
        rows = [
            services.InstallmentInput(due_on=today - timedelta(days=10), amount="10000"),
            services.InstallmentInput(due_on=today + timedelta(days=60), amount="10000"),
        ]
        with pytest.raises(ValidationError) as caught:
            services.pledge_schedule_set(
                association=a, actor=side_a.admin, pledge=pledge, installments=rows
            )
        assert caught.value.messages == ["各期金额合计 ¥20,000.00，应等于认捐金额 ¥30,000.00"]
        with pytest.raises(ValidationError) as caught:
            services.pledge_schedule_set(
                association=a,
                actor=side_a.admin,
                pledge=pledge,
                installments=[services.InstallmentInput(due_on="", amount="abc")],
            )
        assert caught.value.messages == ["第 1 期：请填写到期日"]
        assert not PledgeInstallment.objects.exists()
        last = today + timedelta(days=120)
        rows.append(services.InstallmentInput(due_on=last, amount="10000"))
        services.pledge_schedule_set(
            association=a, actor=side_a.admin, pledge=pledge, installments=rows
        )
        found = selectors.pledges_search(association=a).get()
        assert found.due_on == last
        assert selectors.pledge_is_overdue(found)  # the first installment is past due
        assert [line.state for line in selectors.pledge_schedule(found)] == [
            "overdue",
            "due",
            "due",
        ]
        assert selectors.pledges_search(
            association=a, filters=selectors.PledgeFilters(overdue="1")
        ).exists()
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=member_donor(side_a),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("12000")),
            donated_on=today,
            pledge=pledge,
        )
        found = selectors.pledges_search(association=a).get()
        assert not selectors.pledge_is_overdue(found)
        assert [line.state for line in selectors.pledge_schedule(found)] == [
            "paid",
            "partial",
            "due",
        ]
        assert AuditLog.objects.filter(action="charity.pledge.schedule").count() == 1


@pytest.mark.django_db
def test_the_access_helpers_answer_404_for_another_association(side_a: Side, side_b: Side) -> None:
    from django.http import Http404

    campaign = make_campaign(side_b)
    with tenant_context(side_b.association):
        partner = Partner.objects.create(association=side_b.association, name="乙市中学")
        pledge = services.pledge_create(
            association=side_b.association,
            actor=side_b.admin,
            campaign=campaign,
            donor=member_donor(side_b),
            data=services.PledgeInput(kind=GiftKind.CASH, amount="1", due_on=_today()),
        )
    a = side_a.association
    with tenant_context(a):
        for call in (
            lambda: selectors.access_campaign(association=a, role=None, campaign_id=campaign.pk),
            lambda: selectors.access_partner(association=a, partner_id=partner.pk),
            lambda: selectors.access_partner(association=a, partner_id="x"),
            lambda: selectors.access_pledge(
                association=a, actor=side_a.admin, role=None, pledge_id=pledge.pk
            ),
        ):
            with pytest.raises(Http404):
                call()
