from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill, Payment
from shanghui.members.models import Member
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side

from .helpers import api_client, body, days_ago, make_bill, make_level


def url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}/dues{path}"


def post(client: object, path: str, data: object) -> object:
    return client.post(path, data, content_type="application/json")  # type: ignore[attr-defined]


def payment(amount: str = "1000") -> dict[str, str]:
    return {"amount": amount, "method": "bank_transfer", "paid_on": str(timezone.localdate())}


@pytest.mark.django_db
def test_the_secretariat_records_payments_and_a_member_may_not(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="5000")
    path = url(side_a, f"/bills/{bill.pk}/payments")

    refused = post(api_client(side_a.member_user), path, payment())
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert body(refused)["error"]["code"] == "forbidden"

    admin = api_client(side_a.admin)
    created = post(admin, path, payment("1000.5"))
    assert created.status_code == 201, created.content  # type: ignore[attr-defined]
    assert (body(created)["amount"], body(created)["method_label"]) == ("1000.50", "银行转账")
    over = post(admin, path, payment("4000"))
    assert over.status_code == 400  # type: ignore[attr-defined]
    assert body(over)["error"]["fields"]["amount"] == ["金额超过未缴金额 ¥3,999.50，不能多收"]
    bad = post(admin, path, {**payment(), "amount": "十块钱", "method": "cheque"})
    assert set(body(bad)["error"]["fields"]) == {"amount", "method"}
    detail = body(admin.get(url(side_a, f"/bills/{bill.pk}")))
    assert (detail["paid_amount"], detail["outstanding"], detail["status"]) == (
        "1000.50",
        "3999.50",
        "open",
    )
    assert [p["amount"] for p in detail["payments"]] == ["1000.50"]


@pytest.mark.django_db
def test_a_member_sees_only_the_bills_of_members_they_represent(side_a: Side) -> None:
    a = side_a.association
    mine = make_bill(a, side_a.member)
    others = make_bill(a, MemberFactory(association=a, name="别人的公司"))
    client = api_client(side_a.member_user)
    listed = body(client.get(url(side_a, "/bills")))
    assert [b["id"] for b in listed["items"]] == [mine.pk]
    assert client.get(url(side_a, f"/bills/{others.pk}")).status_code == 404
    assert client.get(url(side_a, f"/bills/{mine.pk}")).status_code == 200
    assert client.get(url(side_a, "/arrears")).status_code == 403
    admin_list = body(api_client(side_a.admin).get(url(side_a, "/bills")))
    assert admin_list["count"] == 2


@pytest.mark.django_db
def test_receipts_for_the_payer_and_the_secretariat_only(side_a: Side) -> None:
    a = side_a.association
    bill = make_bill(a, side_a.member, amount="800")
    admin = api_client(side_a.admin)
    paid = body(post(admin, url(side_a, f"/bills/{bill.pk}/payments"), payment("800")))
    other = make_bill(a, MemberFactory(association=a))
    other_paid = body(post(admin, url(side_a, f"/bills/{other.pk}/payments"), payment("100")))

    member = api_client(side_a.member_user)
    receipt = member.get(url(side_a, f"/payments/{paid['id']}/receipt"))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    assert member.get(url(side_a, f"/payments/{other_paid['id']}/receipt")).status_code == 404
    certificate = member.get(url(side_a, f"/bills/{bill.pk}/certificate"))
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")
    assert member.get(url(side_a, f"/bills/{other.pk}/certificate")).status_code == 404
    unpaid = admin.get(url(side_a, f"/bills/{other.pk}/certificate"))
    assert unpaid.status_code == 400 and "尚未缴清" in body(unpaid)["error"]["message"]


@pytest.mark.django_db
def test_reversal_through_the_api(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member, amount="300")
    admin = api_client(side_a.admin)
    paid = body(post(admin, url(side_a, f"/bills/{bill.pk}/payments"), payment("300")))
    path = url(side_a, f"/payments/{paid['id']}/reversal")
    assert post(api_client(side_a.member_user), path, {"reason": "x"}).status_code == 403
    reversal = post(admin, path, {"reason": "银行退票"})
    assert reversal.status_code == 201
    assert (body(reversal)["amount"], body(reversal)["reverses_id"]) == ("-300.00", paid["id"])
    again = post(admin, path, {"reason": "银行退票"})
    assert (again.status_code, body(again)["error"]["message"]) == (400, "该笔缴费已冲正")
    assert body(admin.get(url(side_a, f"/bills/{bill.pk}")))["status"] == "open"


@pytest.mark.django_db
def test_online_payment_answers_that_it_is_not_available(side_a: Side) -> None:
    bill = make_bill(side_a.association, side_a.member)
    response = post(
        api_client(side_a.member_user), url(side_a, f"/bills/{bill.pk}/online-payments"), {}
    )
    assert response.status_code == 400
    assert "暂未开通在线支付" in body(response)["error"]["message"]


@pytest.mark.django_db
def test_fee_schedules_and_policy(side_a: Side) -> None:
    level = make_level(side_a.association, "理事单位", "5000")
    admin = api_client(side_a.admin)
    rows = body(admin.get(url(side_a, "/schedules"), {"year": 2027}))
    assert rows == [
        {
            "level_id": level.pk,
            "level_name": "理事单位",
            "year": 2027,
            "amount": "5000.00",
            "is_default": True,
        }
    ]
    put = admin.put(
        url(side_a, "/schedules"),
        {"level_id": level.pk, "year": 2027, "amount": 6000},
        content_type="application/json",
    )
    assert (put.status_code, body(put)["amount"]) == (200, "6000.00")
    bad = admin.put(
        url(side_a, "/schedules"),
        {"level_id": level.pk, "year": 1990, "amount": "-1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "year" in body(bad)["error"]["fields"]
    policy = admin.put(
        url(side_a, "/policy"),
        {"arrears_after_days": 60, "due_month": 2, "due_day": 30},
        content_type="application/json",
    )
    assert body(policy)["error"]["fields"] == {"due_day": ["默认应缴日期无效"]}
    member = api_client(side_a.member_user)
    assert member.get(url(side_a, "/schedules")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_bill_run_is_a_background_job_with_progress_and_runs_twice_safely(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    level = make_level(a, "会员单位", "1000")
    with tenant_context(a):
        Member.objects.filter(pk=side_a.member.pk).update(level=level)
    for _ in range(3):
        MemberFactory(association=a, level=level)
    admin = api_client(side_a.admin)
    for round_ in range(2):
        started = post(admin, url(side_a, "/bill-runs"), {"year": 2026, "due_on": "2026-03-31"})
        assert started.status_code == 202, started.content
        call_command("db_worker", batch=True, interval=0, startup_delay=False)
        job = body(admin.get(f"/api/v1/associations/{a.slug}/jobs/{body(started)['id']}"))
        assert (job["status"], job["percent"], job["total"]) == ("done", 100, 4)
        expected = "已生成 2026 年度账单 4 张" if round_ == 0 else "4 位会员已有账单，未重复生成"
        assert expected in job["message"]
    with tenant_context(a):
        assert DuesBill.objects.filter(year=2026).count() == 4
        assert set(DuesBill.objects.values_list("amount", flat=True)) == {Decimal("1000.00")}


@pytest.mark.django_db(transaction=True)
def test_the_arrears_export_is_an_xlsx_with_neutralised_cells(
    side_a: Side, privacy_notice: None
) -> None:
    a = side_a.association
    rogue = MemberFactory(association=a, name='=HYPERLINK("http://evil")公司')
    bill = make_bill(a, rogue, amount="5000", year=2025, due_on=days_ago(100))
    with tenant_context(a):
        Payment.objects.create(
            association=a,
            bill=bill,
            amount=Decimal("1200"),
            method="cash",
            paid_on=timezone.localdate() - timedelta(days=50),
            receipt_no="2026-000001",
        )
        DuesBill.objects.filter(pk=bill.pk).update(paid_amount=Decimal("1200"))
    make_bill(a, side_a.member, amount="100", due_on=timezone.localdate() + timedelta(days=1))
    member = api_client(side_a.member_user)
    assert post(member, url(side_a, "/arrears/exports"), {}).status_code == 403
    admin = api_client(side_a.admin)
    started = post(admin, url(side_a, "/arrears/exports"), {"year": "2025"})
    assert started.status_code == 202
    call_command("db_worker", batch=True, interval=0, startup_delay=False)
    job_id = body(started)["id"]
    response = admin.get(f"/api/v1/associations/{a.slug}/jobs/{job_id}/file")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("会员编号", "会员名称", "会员级别")
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://evil")公司'
    assert rows[1][4:7] == (5000, 1200, 3800)
    assert rows[1][8] == 100  # days overdue


@pytest.mark.django_db
def test_absurd_policy_numbers_are_refused_in_chinese(side_a: Side) -> None:
    response = api_client(side_a.admin).put(
        url(side_a, "/policy"),
        {"arrears_after_days": -8, "due_month": 570433, "due_day": 1285700094674350},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert body(response)["error"]["fields"] == {
        "arrears_after_days": ["天数应在 0 到 365 之间"],
        "due_month": ["月份应在 1 到 12 之间"],
    }
