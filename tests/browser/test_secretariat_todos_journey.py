"""The secretariat's pages as a clerk meets them (issue 13.27, 13.28, 13.30): the dashboard
lists the work waiting — applications, overdue bills, events — with counts on the sidebar;
from there 催缴 on the arrears list reminds one bill and shows when; the application review
has one form per decision, the rejection apart. On a desktop and on a phone."""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.dues.models import DuesBill
from shanghui.members.models import MembershipApplication
from shanghui.testing.factories import PASSWORD, MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def sign_in(page: Any, url: str, phone: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_phone", phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def waiting_work(side: Side) -> MembershipApplication:
    """Six applications to decide, and one bill 40 days overdue whose representative can be
    reached; returns the first application."""
    a = side.association
    with tenant_context(a):
        applications = [
            MembershipApplication.objects.create(
                association=a,
                kind="enterprise",
                name=name,
                applicant_name="申请人",
                applicant_phone=f"1370000000{i}",
            )
            for i, name in enumerate(
                [
                    "九江庐山茶业有限公司",
                    "上饶婺源旅游有限公司",
                    "景德镇陶瓷文化有限公司",
                    "鹰潭铜业加工有限公司",
                    "新余光伏科技有限公司",
                    "抚州临川文化传媒有限公司",
                ]
            )
        ]
        member = MemberFactory(association=a, name="萍乡安源煤业有限公司")
        person = PersonFactory(association=a, name="钟安源", phone="13911110001")
        RepresentativeFactory(association=a, member=member, person=person)
        DuesBill.objects.create(
            association=a,
            member=member,
            year=2026,
            amount=5000,
            due_on=timezone.localdate() - timedelta(days=40),
        )
    return applications[0]


def test_the_clerk_sees_the_work_reminds_a_bill_and_rejects_apart(
    live_server: Any, desktop_page: Any, side_a: Side, tmp_path: Path
) -> None:
    application = waiting_work(side_a)
    slug = side_a.association.slug
    page = desktop_page
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations are answered yes
    sign_in(page, live_server.url, side_a.admin.phone or "")

    page.goto(f"{live_server.url}/a/{slug}/office/")
    todo = page.locator(".todo")
    assert re.search(r"入会申请\s*待审核\s*6", todo.inner_text())
    assert re.search(r"会费\s*逾期未缴的账单\s*1", todo.inner_text())
    assert (
        page.locator(".office__nav a", has_text="入会申请").locator(".nav-badge").inner_text()
        == "6"
    )
    assert page.locator(".office__nav a", has_text="会费").locator(".nav-badge").inner_text() == "1"
    statuses = page.locator("section", has_text="会员状态").inner_text()
    assert re.search(r"申请中\s*6", statuses)
    shot(page, tmp_path, "todos-dashboard-desktop")

    page.click(".todo__item:has-text('逾期未缴的账单')")
    page.wait_for_url(re.compile(r"/office/dues/arrears/"))
    row = page.locator("tr", has_text="萍乡安源煤业有限公司")
    assert "未催缴" in row.inner_text()
    row.get_by_role("button", name=re.compile("催缴 萍乡安源煤业有限公司")).click()
    page.wait_for_load_state("load")
    assert "已向 1 张账单的会员发送催缴提醒" in page.inner_text("body")
    row = page.locator("tr", has_text="萍乡安源煤业有限公司")
    assert timezone.localdate().isoformat() in row.inner_text()
    assert "7 天内已催缴" in row.inner_text() and row.get_by_role("button").count() == 0
    shot(page, tmp_path, "todos-arrears-reminded-desktop")
    run_worker()
    assert [m.to for m in notifications.outbox if m.channel == "sms"] == ["13911110001"]

    page.goto(f"{live_server.url}/a/{slug}/office/applications/{application.pk}/")
    approve = page.locator("form", has=page.locator("button[value=approve]"))
    reject = page.locator(".danger-zone form")
    assert approve.locator("textarea").count() == 0
    assert reject.locator("textarea").count() == 1
    assert (
        page.locator("form", has=page.locator("button[value=request_info]"))
        .locator("textarea[name=request]")
        .count()
        == 1
    )
    # The approval and the rejection are far apart, not one above the other's text box.
    gap = reject.bounding_box()["y"] - approve.bounding_box()["y"]
    assert gap > 200
    shot(page, tmp_path, "review-desktop")
    reject.locator("textarea").fill("经营范围与本会宗旨不符")
    reject.get_by_role("button", name="驳回申请").click()
    page.wait_for_url(re.compile(r"/office/applications/$"))
    assert "已驳回并通知申请人" in page.inner_text("body")
    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.decision_reason == "经营范围与本会宗旨不符"
    assert (
        page.locator(".office__nav a", has_text="入会申请").locator(".nav-badge").inner_text()
        == "5"
    )


def test_the_same_pages_on_a_phone(
    live_server: Any, phone_page: Any, side_a: Side, tmp_path: Path
) -> None:
    application = waiting_work(side_a)
    slug = side_a.association.slug
    page = phone_page
    sign_in(page, live_server.url, side_a.admin.phone or "")
    width = page.viewport_size["width"]
    for path, name in (
        ("office/", "todos-dashboard-phone"),
        ("office/dues/arrears/", "todos-arrears-phone"),
        (f"office/applications/{application.pk}/", "review-phone"),
    ):
        page.goto(f"{live_server.url}/a/{slug}/{path}")
        # Nothing wider than the phone: the page does not scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        shot(page, tmp_path, name)
    page.goto(f"{live_server.url}/a/{slug}/office/")
    assert re.search(r"入会申请\s*待审核\s*6", page.locator(".todo").inner_text())
