"""The campaign, partner and pledge pages: the secretariat's desk and the member's phone."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.charity.models import Campaign, DonorKind, GiftKind, Partner, Pledge
from shanghui.charity.services import campaigns as services
from shanghui.charity.services.donations import DonorInput, GiftInput, donation_record
from shanghui.core.contributions import personal_links
from shanghui.core.tenancy import tenant_context
from shanghui.testing.fixtures import Side

from .test_campaigns_services import make_campaign


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/charity/{path}"


def space(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/charity/{path}"


def _pledge(side: Side, campaign: Campaign, amount: str = "80000") -> Pledge:
    with tenant_context(side.association):
        return services.pledge_create(
            association=side.association,
            actor=side.admin,
            campaign=campaign,
            donor=DonorInput(kind=DonorKind.MEMBER, member=side.member),
            data=services.PledgeInput(
                kind=GiftKind.CASH, amount=amount, due_on=timezone.localdate()
            ),
        )


@pytest.mark.django_db
def test_the_secretariat_creates_a_campaign_and_sees_its_progress(
    side_a: Side, admin_a: Client
) -> None:
    a = side_a.association
    with tenant_context(a):
        school = Partner.objects.create(association=a, name="乳源中学", kind=Partner.Kind.SCHOOL)
    listing = admin_a.get(office(side_a, "campaigns/"))
    assert listing.status_code == 200
    assert "慈善公益" in listing.content.decode()  # the back office's nav entry
    form = {
        "title": "乳源·阳江·陆河助学",
        "status": "active",
        "starts_on": "2026-01-01",
        "goal_amount": "1,500,000",
        "region_add": "440000",
        "region_add_city": "440200",
        "region_add_county": "440232",
        "partners": [str(school.pk)],
        "pledge_deadline": str(timezone.localdate() + timedelta(days=30)),
    }
    bad = admin_a.post(office(side_a, "campaigns/new/"), {**form, "goal_amount": "一百万"})
    assert bad.status_code == 400
    assert "请填写有效的金额，例如 5000 或 5000.00" in bad.content.decode()
    with tenant_context(a):
        assert not Campaign.objects.exists()
    created = admin_a.post(office(side_a, "campaigns/new/"), {**form, "then": "regions"})
    with tenant_context(a):
        campaign = Campaign.objects.get()
    assert created["Location"] == office(side_a, f"campaigns/{campaign.pk}/edit/")
    assert campaign.region_codes == ["440232"]
    # Adding a second region on the edit page keeps the first.
    edit = admin_a.get(created["Location"])
    assert "乳源瑶族自治县" in edit.content.decode()
    admin_a.post(
        created["Location"],
        {**form, "regions_kept": ["440232"], "region_add": "441700", "region_add_city": ""},
    )
    with tenant_context(a):
        campaign.refresh_from_db()
        donation_record(
            association=a,
            actor=side_a.admin,
            donor=DonorInput(kind=DonorKind.OUTSIDE, name="爱心人士"),
            gift=GiftInput(kind=GiftKind.CASH, amount=Decimal("300000")),
            donated_on=timezone.localdate(),
            campaign=campaign,
        )
    assert campaign.region_codes == ["440232", "441700"]
    _pledge(side_a, campaign)
    page = admin_a.get(office(side_a, f"campaigns/{campaign.pk}/")).content.decode()
    assert "¥30万" in page and "20%" in page and "乳源中学" in page
    assert "甲市龚氏实业有限公司" in page and "爱心人士" in page and "阳江市" in page
    listing = admin_a.get(office(side_a, "campaigns/"), {"status": "active"}).content.decode()
    assert "乳源·阳江·陆河助学" in listing and "20%" in listing


@pytest.mark.django_db
def test_partners_are_added_and_changed(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    added = admin_a.post(
        office(side_a, "partners/"), {"name": "广东省慈善总会", "kind": "charity_federation"}
    )
    assert added.status_code == 302
    twice = admin_a.post(office(side_a, "partners/"), {"name": "广东省慈善总会", "kind": "other"})
    assert twice.status_code == 400 and "已有同名的合作机构" in twice.content.decode()
    with tenant_context(a):
        partner = Partner.objects.get()
    admin_a.post(
        office(side_a, f"partners/{partner.pk}/edit/"),
        {"name": "广东省慈善总会", "kind": "charity_federation", "issues_official_receipts": "on"},
    )
    with tenant_context(a):
        partner.refresh_from_db()
    assert partner.issues_official_receipts
    assert "可开具" in admin_a.get(office(side_a, "partners/")).content.decode()


@pytest.mark.django_db
def test_pledges_in_the_office_schedule_and_cancel(side_a: Side, admin_a: Client) -> None:
    campaign = make_campaign(side_a)
    new = admin_a.post(
        office(side_a, f"campaigns/{campaign.pk}/pledges/new/"),
        {"kind": "cash", "amount": "30000", "due_on": "2026-12-31"},
    )
    assert new.status_code == 400
    assert "请填写认捐会员，或填写其他认捐方名称" in new.content.decode()
    unknown = admin_a.post(
        office(side_a, f"campaigns/{campaign.pk}/pledges/new/"),
        {"member": "乙市", "kind": "cash", "amount": "30000", "due_on": "2026-12-31"},
    )
    assert "没有找到该会员，请检查名称或会员编号" in unknown.content.decode()
    by_name = admin_a.post(
        office(side_a, f"campaigns/{campaign.pk}/pledges/new/"),
        {"member": "龚氏实业", "kind": "cash", "amount": "10000", "due_on": "2026-12-31"},
    )
    assert by_name.status_code == 302
    with tenant_context(side_a.association):
        assert Pledge.objects.get().donor_member_id == side_a.member.pk
        Pledge.objects.all().delete()
    admin_a.post(
        office(side_a, f"campaigns/{campaign.pk}/pledges/new/"),
        {"donor_name": "深圳某爱心企业", "kind": "cash", "amount": "30000", "due_on": "2026-12-31"},
    )
    with tenant_context(side_a.association):
        pledge = Pledge.objects.get()
    assert pledge.donor_kind == "outside"
    path = office(side_a, f"pledges/{pledge.pk}/schedule/")
    bad = admin_a.post(path, {"due_on": ["2026-06-30", "2026-12-31"], "amount": ["10000", "1"]})
    assert bad.status_code == 400
    assert "各期金额合计 ¥10,001.00，应等于认捐金额 ¥30,000.00" in bad.content.decode()
    good = admin_a.post(
        path, {"due_on": ["2026-06-30", "2026-12-31", ""], "amount": ["10000", "20000", ""]}
    )
    assert good.status_code == 302
    page = admin_a.get(office(side_a, f"pledges/{pledge.pk}/")).content.decode()
    assert "¥20,000.00" in page and "2026-06-30" in page
    assert "深圳某爱心企业" in admin_a.get(office(side_a, "pledges/")).content.decode()
    admin_a.post(office(side_a, f"pledges/{pledge.pk}/cancel/"), {"reason": "企业变更"})
    with tenant_context(side_a.association):
        pledge.refresh_from_db()
    assert pledge.status == "cancelled"


@pytest.mark.django_db
def test_a_member_pledges_on_the_phone_and_sees_it_in_my_charity(
    side_a: Side, member_a: Client
) -> None:
    open_one = make_campaign(side_a)
    draft = make_campaign(side_a, title="筹备中的秘密项目", status=Campaign.Status.PLANNED)
    listing = member_a.get(space(side_a, "campaigns/")).content.decode()
    assert "乳源·阳江·陆河助学" in listing and "筹备中的秘密项目" not in listing
    assert member_a.get(space(side_a, f"campaigns/{draft.pk}/")).status_code == 404
    page = member_a.get(space(side_a, f"campaigns/{open_one.pk}/")).content.decode()
    assert "我要认捐" in page
    path = space(side_a, f"campaigns/{open_one.pk}/pledge/")
    assert member_a.get(path).status_code == 200
    due = str(timezone.localdate() + timedelta(days=10))
    bad = member_a.post(
        path, {"member": side_a.member.pk, "kind": "cash", "amount": "1e5", "due_on": due}
    )
    assert bad.status_code == 400 and "不要使用科学计数法" in bad.content.decode()
    with tenant_context(side_a.association):
        assert not Pledge.objects.exists()
    done = member_a.post(
        path, {"member": side_a.member.pk, "kind": "cash", "amount": "50000", "due_on": due}
    )
    assert done.status_code == 302 and done["Location"] == space(side_a, "mine/")
    mine = member_a.get(space(side_a, "mine/")).content.decode()
    assert "乳源·阳江·陆河助学" in mine and "¥50,000.00" in mine and "已到位 ¥0.00" in mine
    links = personal_links(association_slug=side_a.association.slug, role=_role(side_a))
    assert any(link.url == space(side_a, "mine/") for link in links)


def _role(side: Side) -> object:
    from shanghui.accounts.models import Role

    with tenant_context(side.association):
        return Role.objects.get(association=side.association, user=side.member_user)


@pytest.mark.django_db
def test_no_pledge_button_after_the_deadline(side_a: Side, member_a: Client) -> None:
    late = make_campaign(side_a, pledge_deadline=date(2020, 1, 1))
    assert "我要认捐" not in member_a.get(space(side_a, f"campaigns/{late.pk}/")).content.decode()
    refused = member_a.post(
        space(side_a, f"campaigns/{late.pk}/pledge/"),
        {"member": side_a.member.pk, "kind": "cash", "amount": "1", "due_on": "2030-01-01"},
        follow=True,
    )
    assert "该项目目前不接受认捐" in refused.content.decode()


@pytest.mark.django_db
def test_members_get_403_in_the_office(side_a: Side, member_a: Client) -> None:
    campaign = make_campaign(side_a)
    pledge = _pledge(side_a, campaign)
    for path in (
        "campaigns/",
        "campaigns/new/",
        f"campaigns/{campaign.pk}/",
        f"campaigns/{campaign.pk}/edit/",
        "partners/",
        "pledges/",
        f"pledges/{pledge.pk}/",
    ):
        assert member_a.get(office(side_a, path)).status_code == 403, path
    refused = member_a.post(office(side_a, f"pledges/{pledge.pk}/cancel/"), {"reason": "x"})
    assert refused.status_code == 403


@pytest.mark.django_db
def test_another_associations_ids_are_404(side_a: Side, side_b: Side, admin_a: Client) -> None:
    campaign = make_campaign(side_b, title="乙市秘密项目")
    pledge = _pledge(side_b, campaign, amount="76543.21")
    with tenant_context(side_b.association):
        partner = Partner.objects.create(association=side_b.association, name="乙市中学")
    member = Client()
    member.force_login(side_a.member_user)
    for client, paths in (
        (
            admin_a,
            [
                office(side_a, f"campaigns/{campaign.pk}/"),
                office(side_a, f"campaigns/{campaign.pk}/edit/"),
                office(side_a, f"campaigns/{campaign.pk}/pledges/new/"),
                office(side_a, f"partners/{partner.pk}/edit/"),
                office(side_a, f"pledges/{pledge.pk}/"),
            ],
        ),
        (
            member,
            [
                space(side_a, f"campaigns/{campaign.pk}/"),
                space(side_a, f"campaigns/{campaign.pk}/pledge/"),
            ],
        ),
    ):
        for path in paths:
            response = client.get(path)
            assert response.status_code == 404, path
            assert "乙市秘密项目" not in response.content.decode()
    for path in (f"pledges/{pledge.pk}/cancel/", f"pledges/{pledge.pk}/schedule/"):
        assert admin_a.post(office(side_a, path), {"reason": "x"}).status_code == 404
    with tenant_context(side_b.association):
        pledge.refresh_from_db()
    assert pledge.status == "open"


@pytest.mark.django_db
def test_a_bad_edit_changes_nothing(side_a: Side, admin_a: Client) -> None:
    campaign = make_campaign(side_a, partners=[])
    path = office(side_a, f"campaigns/{campaign.pk}/edit/")
    bad = admin_a.post(
        path,
        {
            "title": "改名",
            "status": "active",
            "starts_on": "2026-01-01",
            "goal_amount": "-100",
            "goal_quantity": "50",
            "regions_kept": [],
        },
    )
    text = bad.content.decode()
    assert bad.status_code == 400
    assert "金额不能为负数" in text
    with tenant_context(side_a.association):
        campaign.refresh_from_db()
    assert campaign.title == "乳源·阳江·陆河助学"
    assert campaign.region_codes == ["440232", "441700", "441523"]


def test_every_audit_code_of_this_part_has_a_label() -> None:
    from shanghui.core.audit import action_label

    codes = [
        "charity.campaign.create",
        "charity.campaign.update",
        "charity.partner.create",
        "charity.partner.update",
        "charity.pledge.create",
        "charity.pledge.cancel",
        "charity.pledge.schedule",
    ]
    assert all(str(action_label(code)) != code for code in codes)
