from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shanghui.core.models import Job
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import FeeSchedule, Payment
from shanghui.members.models import Member
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side

from .helpers import days_ago, make_bill, make_level


def office(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/dues/{path}"


def space(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/dues/{path}"


@pytest.mark.django_db
def test_the_office_pages_show_the_years_figures_and_lists(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    level = make_level(a, "理事单位", "5000")
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
    bill = make_bill(a, side_a.member, amount="125000", year=2026, due_on=days_ago(60), level=level)
    page = admin_a.get(office(side_a), {"year": 2026})
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲市龚氏实业有限公司" in text and "¥12.5万" in text and "逾期未缴" in text
    assert 'title="¥125,000.00"' in text  # the exact amount on hover
    assert "会费" in text  # the nav entry
    for path in ("schedules/", "generate/", "arrears/", f"bills/{bill.pk}/"):
        response = admin_a.get(office(side_a, path))
        assert response.status_code == 200, path
    assert "甲市龚氏实业有限公司" in admin_a.get(office(side_a, "arrears/")).content.decode()


@pytest.mark.django_db
def test_members_get_403_in_the_office(side_a: Side, member_a: Client) -> None:
    bill = make_bill(side_a.association, side_a.member)
    for path in ("", "schedules/", "arrears/", f"bills/{bill.pk}/"):
        assert member_a.get(office(side_a, path)).status_code == 403, path
    response = member_a.post(office(side_a, f"bills/{bill.pk}/payments/"), {"amount": "1"})
    assert response.status_code == 403
    with tenant_context(side_a.association):
        assert not Payment.objects.exists()


@pytest.mark.django_db
def test_recording_a_payment_on_the_bill_page(side_a: Side, admin_a: Client) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    path = office(side_a, f"bills/{bill.pk}/payments/")
    form = {"method": "bank_transfer", "paid_on": str(timezone.localdate()), "reference": "HX1"}
    bad = admin_a.post(path, {**form, "amount": "5000.01"})
    assert bad.status_code == 400
    assert "金额超过未缴金额 ¥5,000.00，不能多收" in bad.content.decode()
    good = admin_a.post(path, {**form, "amount": "5000"}, follow=True)
    assert "已登记缴费，收据编号" in good.content.decode()
    with tenant_context(side_a.association):
        bill.refresh_from_db()
        payment = Payment.objects.get()
    assert bill.status == "paid"
    receipt = admin_a.get(office(side_a, f"payments/{payment.pk}/receipt.pdf"))
    assert receipt["Content-Type"] == "application/pdf"
    reversed_ = admin_a.post(
        office(side_a, f"payments/{payment.pk}/reverse/"), {"reason": "录错会员"}, follow=True
    )
    assert "已冲正该笔缴费" in reversed_.content.decode()
    with tenant_context(side_a.association):
        bill.refresh_from_db()
    assert bill.status == "open"


@pytest.mark.django_db
def test_saving_fee_schedules_validates_every_level_first(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    first = make_level(a, "理事单位", "5000")
    second = make_level(a, "会员单位", "1000")
    path = office(side_a, "schedules/?year=2027")
    bad = admin_a.post(
        path,
        {
            "form": "schedules",
            "year": "2027",
            f"level_{first.pk}": "6000",
            f"level_{second.pk}": "x",
        },
    )
    assert "请填写有效的金额" in bad.content.decode()
    with tenant_context(a):
        assert not FeeSchedule.objects.exists()  # the valid amount was not saved either
    admin_a.post(
        path,
        {
            "form": "schedules",
            "year": "2027",
            f"level_{first.pk}": "6000",
            f"level_{second.pk}": "0",
        },
    )
    with tenant_context(a):
        assert sorted(FeeSchedule.objects.values_list("amount", flat=True)) == [0, 6000]


@pytest.mark.django_db(transaction=True)
def test_generating_bills_shows_a_progress_page(side_a: Side, privacy_notice: None) -> None:
    from shanghui.testing.fixtures import client_for

    admin = client_for(side_a.admin)
    a = side_a.association
    level = make_level(a, "会员单位", "1000")
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
    response = admin.post(office(side_a, "generate/"), {"year": "2026", "due_on": "2026-03-31"})
    assert response.status_code == 302
    with tenant_context(a):
        job = Job.objects.get()
    assert response["Location"] == office(side_a, f"generate/{job.pk}/")
    assert "排队中" in admin.get(response["Location"]).content.decode()
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    done = admin.get(response["Location"]).content.decode()
    assert "已完成" in done and "已生成 2026 年度账单 1 张" in done
    bad = admin.post(office(side_a, "generate/"), {"year": "2026", "due_on": "2029-01-01"})
    assert "应缴日期应在该年度前后一年之内" in bad.content.decode()


@pytest.mark.django_db
def test_a_member_sees_their_own_bills_and_receipts_on_the_phone(
    side_a: Side, member_a: Client, admin_a: Client
) -> None:
    a = side_a.association
    mine = make_bill(a, side_a.member, amount="5000", due_on=days_ago(10))
    others = make_bill(a, MemberFactory(association=a, name="别人的贸易公司"), amount="100")
    admin_a.post(
        office(side_a, f"bills/{mine.pk}/payments/"),
        {"amount": "2000", "method": "cash", "paid_on": str(timezone.localdate())},
    )
    home = member_a.get(f"/a/{a.slug}/").content.decode()
    assert f'href="{space(side_a)}"' in home and "我的会费" in home  # reached from the home grid
    page = member_a.get(space(side_a)).content.decode()
    assert "甲市龚氏实业有限公司" in page and "¥3,000.00 会费待缴" in page.replace("尚有 ", "")
    assert "别人的贸易公司" not in page
    detail = member_a.get(space(side_a, f"bills/{mine.pk}/"))
    assert "收据 PDF" in detail.content.decode()
    assert member_a.get(space(side_a, f"bills/{others.pk}/")).status_code == 404
    with tenant_context(a):
        payment = Payment.objects.get(bill=mine)
    receipt = member_a.get(space(side_a, f"receipts/{payment.pk}.pdf"))
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    online = member_a.post(space(side_a, f"bills/{mine.pk}/pay-online/"), follow=True)
    assert "暂未开通在线支付" in online.content.decode()
    no_certificate = member_a.get(space(side_a, f"bills/{mine.pk}/certificate.pdf"), follow=True)
    assert "尚未缴清，暂不能出具会员证书" in no_certificate.content.decode()


@pytest.mark.django_db
def test_an_admin_sees_only_their_own_bills_on_the_member_pages(
    side_a: Side, admin_a: Client
) -> None:
    bill = make_bill(side_a.association, side_a.member)
    assert admin_a.get(space(side_a, f"bills/{bill.pk}/")).status_code == 404
    assert admin_a.get(office(side_a, f"bills/{bill.pk}/")).status_code == 200


@pytest.mark.django_db
def test_the_arrears_list_totals_what_is_owed(side_a: Side, admin_a: Client) -> None:
    a = side_a.association
    make_bill(a, side_a.member, amount="30000", year=2025, due_on=days_ago(400))
    make_bill(a, MemberFactory(association=a, name="赣南脐橙有限公司"), due_on=days_ago(20))
    make_bill(
        a,
        MemberFactory(association=a, name="未到期公司"),
        due_on=timezone.localdate() + timedelta(1),
    )
    text = admin_a.get(office(side_a, "arrears/")).content.decode()
    assert "共 2 张逾期账单" in text and "¥3.5万" in text
    assert "未到期公司" not in text
    filtered = admin_a.get(office(side_a, "arrears/"), {"min_days": "365"}).content.decode()
    assert "甲市龚氏实业有限公司" in filtered and "赣南脐橙有限公司" not in filtered


@pytest.mark.django_db
def test_staff_see_the_fee_schedule_but_only_an_administrator_changes_it(side_a: Side) -> None:
    from shanghui.accounts.models import Role
    from shanghui.testing.factories import RoleFactory, UserFactory
    from shanghui.testing.fixtures import client_for

    a = side_a.association
    level = make_level(a, "理事单位", "5000")
    clerk = UserFactory(name="秘书处干事")
    RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    staff = client_for(clerk)
    page = staff.get(office(side_a, "schedules/?year=2027"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "会费标准和规则由管理员设置" in text and "保存会费标准" not in text
    refused = staff.post(
        office(side_a, "schedules/?year=2027"),
        {"form": "schedules", "year": "2027", f"level_{level.pk}": "1"},
    )
    assert refused.status_code == 403
    api = client_for(clerk)
    base = f"/api/v1/associations/{a.slug}/dues"
    assert api.get(f"{base}/schedules").status_code == 200
    put = api.put(
        f"{base}/schedules",
        {"level_id": level.pk, "year": 2027, "amount": "1"},
        content_type="application/json",
    )
    assert put.status_code == 403
    policy = {"arrears_after_days": 1, "due_month": 3, "due_day": 31, "payee_note": ""}
    assert api.put(f"{base}/policy", policy, content_type="application/json").status_code == 403
    with tenant_context(a):
        assert not FeeSchedule.objects.exists()
