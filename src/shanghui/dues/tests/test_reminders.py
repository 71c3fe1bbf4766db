"""催缴 from the arrears list (13.28): one bill, the ticked ones or everything the filters
select, on the page and through the API, under the daily command's rule (each bill at most
once every seven days), the messages through the outbox, the last reminder on every row."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.models import AuditEntry, OutboxMessage
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill
from shanghui.testing.database import as_app_role
from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.worker import run_worker

from .helpers import api_client, body, days_ago, make_bill


def arrears(side: Side, path: str = "") -> str:
    return f"/a/{side.association.slug}/office/dues/arrears/{path}"


def api(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/dues/arrears/reminders"


def owing(side: Side, name: str, phone: str, *, days: int = 40, year: int = 2026) -> DuesBill:
    """A member with a representative who can be reached, and a bill overdue by ``days``."""
    a = side.association
    member = MemberFactory(association=a, name=name)
    person = PersonFactory(association=a, name=f"{name[:2]}代表", phone=phone)
    RepresentativeFactory(association=a, member=member, person=person)
    return make_bill(a, member, due_on=days_ago(days), year=year)


def reminded_at(side: Side, bill: DuesBill) -> Any:
    with tenant_context(side.association):
        return DuesBill.objects.get(pk=bill.pk).last_reminded_at


def texts(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_one_row_is_reminded_from_the_arrears_list(side_a: Side, admin_a: Client) -> None:
    first = owing(side_a, "萍乡安源煤业有限公司", "13911110001")
    second = owing(side_a, "吉安井冈蜜柚合作社", "13911110002")
    page = texts(admin_a.get(arrears(side_a), {"q": "", "year": "2026"}))
    assert page.count('name="only"') == 2, "a 催缴 button on every row"
    assert "未催缴" in page

    response = admin_a.post(arrears(side_a, "remind/"), {"only": first.pk, "year": "2026"})
    assert response.status_code == 302
    assert response["Location"].endswith("/office/dues/arrears/?year=2026")  # the list as it was
    page = texts(admin_a.get(response["Location"]))
    assert "已向 1 张账单的会员发送催缴提醒" in page
    assert reminded_at(side_a, first) is not None and reminded_at(side_a, second) is None
    today = timezone.localdate().isoformat()
    assert f">{today}</time>" in page and "7 天内已催缴" in page
    assert page.count('name="only"') == 1, "the reminded row has no button this week"

    run_worker()
    assert [m.to for m in notifications.outbox if m.channel == "sms"] == ["13911110001"]
    assert "萍乡安源煤业有限公司 2026 年度会费尚欠 ¥5,000.00" in notifications.outbox[0].text
    with tenant_context(side_a.association):
        entry = AuditEntry.objects.get(action="dues.reminders")
    assert entry.actor == side_a.admin and entry.data == {"bills": [first.pk]}
    assert entry.target_id == str(first.pk)


@pytest.mark.django_db
def test_many_are_reminded_and_those_reminded_this_week_are_skipped(
    side_a: Side, admin_a: Client
) -> None:
    old = owing(side_a, "萍乡安源煤业有限公司", "13911110001")
    recent = owing(side_a, "吉安井冈蜜柚合作社", "13911110002")
    nobody = make_bill(side_a.association, MemberFactory(association=side_a.association))
    with tenant_context(side_a.association):
        DuesBill.objects.filter(pk=old.pk).update(
            last_reminded_at=timezone.now() - timedelta(days=8)
        )
        DuesBill.objects.filter(pk=recent.pk).update(
            last_reminded_at=timezone.now() - timedelta(days=3)
        )

    response = admin_a.post(
        arrears(side_a, "remind/"),
        {"scope": "selected", "bill": [old.pk, recent.pk, nobody.pk]},
        follow=True,
    )
    page = texts(response)
    assert "已向 1 张账单的会员发送催缴提醒" in page
    assert "1 张账单 7 天内已催缴过，本次跳过" in page
    assert "1 张账单的会员没有留手机号或邮箱的会员代表或联络人，未能提醒" in page
    with tenant_context(side_a.association):
        assert OutboxMessage.objects.count() == 1  # the old one's representative only
    assert reminded_at(side_a, nobody) is None  # nobody was told: not marked as reminded

    nothing = admin_a.post(arrears(side_a, "remind/"), {"scope": "selected"}, follow=True)
    assert "请先勾选要催缴的账单" in texts(nothing)


@pytest.mark.django_db
def test_the_filtered_list_is_reminded_as_a_whole(side_a: Side, admin_a: Client) -> None:
    this_year = owing(side_a, "萍乡安源煤业有限公司", "13911110001", year=2026)
    last_year = owing(side_a, "吉安井冈蜜柚合作社", "13911110002", days=400, year=2025)
    response = admin_a.post(
        arrears(side_a, "remind/"), {"scope": "filtered", "min_days": "365"}, follow=True
    )
    assert "已向 1 张账单的会员发送催缴提醒" in texts(response)
    assert reminded_at(side_a, last_year) is not None
    assert reminded_at(side_a, this_year) is None


@pytest.mark.django_db
def test_the_api_reminds_as_the_page_does(side_a: Side, side_b: Side) -> None:
    bill = owing(side_a, "萍乡安源煤业有限公司", "13911110001")
    paid = owing(side_a, "吉安井冈蜜柚合作社", "13911110002")
    with tenant_context(side_a.association):
        DuesBill.objects.filter(pk=paid.pk).update(status=DuesBill.Status.PAID)
    foreign = owing(side_b, "乙市某公司", "13911110003")
    admin = api_client(side_a.admin)

    answer = admin.post(
        api(side_a),
        {"bill_ids": [bill.pk, paid.pk, foreign.pk, 2**70]},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert body(answer) == {
        "reminded": [bill.pk],
        "recent": [],
        "no_contact": [],
        "not_overdue": [paid.pk, foreign.pk],  # another association's bill: as if none
    }
    again = admin.post(api(side_a), {"filters": {}}, content_type="application/json")
    assert body(again)["recent"] == [bill.pk] and body(again)["reminded"] == []
    assert reminded_at(side_b, foreign) is None

    for wrong in ({}, {"bill_ids": []}, {"bill_ids": [bill.pk], "filters": {}}):
        refused = admin.post(api(side_a), wrong, content_type="application/json")
        assert refused.status_code == 400, (wrong, refused.content)
        assert body(refused)["error"]["fields"]["bill_ids"]
    member = api_client(side_a.member_user)
    assert (
        member.post(api(side_a), {"filters": {}}, content_type="application/json").status_code
        == 403
    )
    stranger = api_client(side_b.admin)
    assert (
        stranger.post(api(side_a), {"filters": {}}, content_type="application/json").status_code
        == 404
    )


@pytest.mark.django_db
def test_members_and_strangers_cannot_remind(side_a: Side, side_b: Side) -> None:
    bill = owing(side_a, "萍乡安源煤业有限公司", "13911110001")
    assert (
        client_for(side_a.member_user)
        .post(arrears(side_a, "remind/"), {"only": bill.pk})
        .status_code
        == 403
    )
    assert (
        client_for(side_b.admin).post(arrears(side_a, "remind/"), {"only": bill.pk}).status_code
        == 404
    )
    # An administrator of B naming A's bill on B's own list reminds nothing.
    response = client_for(side_b.admin).post(
        arrears(side_b, "remind/"), {"only": bill.pk}, follow=True
    )
    assert "无需催缴" in texts(response)
    assert reminded_at(side_a, bill) is None


@pytest.mark.django_db
def test_reminding_works_as_the_application_role(side_a: Side, admin_a: Client) -> None:
    bill = owing(side_a, "萍乡安源煤业有限公司", "13911110001")
    with as_app_role():
        response = admin_a.post(arrears(side_a, "remind/"), {"only": bill.pk}, follow=True)
        assert "已向 1 张账单的会员发送催缴提醒" in texts(response)
    assert reminded_at(side_a, bill) is not None
    run_worker()
    assert [m.to for m in notifications.outbox if m.channel == "sms"] == ["13911110001"]
