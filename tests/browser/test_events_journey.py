"""The secretariat creates an event with 2 seats → two members register on phone-sized
screens and a third is waitlisted → one cancels and the third is promoted (and told by SMS)
→ staff check the arrivals in by scanning real QR PNGs (one through the page's own scanner
reading a photo, one decoded here and typed in) → attendance shows the two arrivals."""

import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from shanghui.accounts.models import User
from shanghui.core import notifications
from shanghui.events.tests.factories import make_member_user
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_phone", user.phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def phone(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_create_register_waitlist_promote_scan_and_attend(
    live_server: Any, browser: Any, desktop_page: Any, side_a: Side, tmp_path: Path,
    privacy_notice: None,
) -> None:  # fmt: skip
    base, slug = live_server.url, side_a.association.slug
    desk = desktop_page
    sign_in(desk, base, side_a.admin)
    desk.goto(f"{base}/a/{slug}/office/events/")
    desk.click("#new-event")
    desk.fill("#id_title", "2026 赣商新春联谊会")
    desk.select_option("#id_kind", "social")
    desk.fill("#id_starts_at", "2030-02-10T18:00")
    desk.fill("#id_ends_at", "2030-02-10T21:00")
    desk.fill("#id_venue", "南昌前湖迎宾馆")
    desk.fill("#id_capacity", "2")
    desk.click("#event-form button[type=submit]")
    desk.wait_for_url(re.compile(r"/office/events/\d+/$"))
    event_url = desk.url
    desk.click("#publish")
    desk.wait_for_load_state("load")
    assert "已发布" in desk.inner_text("body")

    members = [make_member_user(side_a.association, n) for n in ("邹一鸣", "熊二娟", "曾三立")]
    pages = []
    for user in members:
        page = phone(browser)
        sign_in(page, base, user)
        page.goto(f"{base}/a/{slug}/")
        page.click("nav.m-tabbar >> text=活动")  # tap 1
        page.click("text=2026 赣商新春联谊会")  # tap 2
        page.click("#register")  # tap 3
        page.wait_for_load_state("load")
        pages.append(page)
    first, second, third = pages
    assert "出示电子票" in first.inner_text("#my-registration")
    assert "出示电子票" in second.inner_text("#my-registration")
    assert "候补" in third.inner_text("#my-registration")

    first.once("dialog", lambda dialog: dialog.accept())
    first.click("#cancel-registration")
    first.wait_for_load_state("load")
    assert "已取消报名" in first.inner_text("body")
    third.reload()
    assert "出示电子票" in third.inner_text("#my-registration")
    assert any(m.to == members[2].phone and "递补" in m.text for m in notifications.outbox)

    # The QR PNGs the two confirmed members can save from their ticket pages.
    qr_files = []
    for n, page in ((2, second), (3, third)):
        page.click("#show-ticket")
        page.wait_for_selector("#ticket-qr")
        png = page.request.get(page.url.replace("/ticket/", "/ticket.png")).body()
        path = tmp_path / f"ticket-{n}.png"
        path.write_bytes(png)
        qr_files.append(path)

    staff = phone(browser)
    sign_in(staff, base, side_a.admin)
    staff.goto(f"{event_url}checkin/")
    staff.click("text=主会场")
    staff.set_input_files("#scan-file", str(qr_files[0]))  # the page's jsQR reads the photo
    staff.wait_for_selector("#checkin-status:has-text('签到成功')")
    assert "熊二娟" in staff.inner_text("#checkin-name")
    (decoded,) = zxingcpp.read_barcodes(Image.open(qr_files[1]))
    staff.fill("#checkin-code", decoded.text)
    staff.click("#checkin-submit")
    staff.wait_for_selector("#checkin-name:has-text('曾三立')")
    staff.fill("#checkin-code", decoded.text)  # scanned again: nothing changes
    staff.click("#checkin-submit")
    staff.wait_for_selector("#checkin-status:has-text('已签到过')")
    staff.wait_for_selector("#arrived-count:has-text('2')")

    desk.goto(f"{event_url}attendance/")
    assert desk.inner_text("#attended-count") == "2"
    table = desk.inner_text("#attendance")
    assert "熊二娟" in table and "曾三立" in table and "邹一鸣" not in table
