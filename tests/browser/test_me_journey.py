"""我的 on a phone (issue 13.23): from the member home the tab bar's 我的 opens the member's
page with the tab bar still there → 我的会费 → back to 我的, tab bar and all; API tokens and
downloads stay folded under 高级 until asked for. On a desktop the secretariat's 个人中心
opens inside the back office."""

import os
import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.testing.factories import PASSWORD, PersonFactory
from shanghui.testing.fixtures import Side

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


def test_a_member_taps_me_opens_dues_and_comes_back(
    live_server: Any, phone_page: Any, side_a: Side, tmp_path: Path
) -> None:
    page = phone_page
    assert page.viewport_size == {"width": 375, "height": 812}
    slug = side_a.association.slug
    sign_in(page, live_server.url, side_a.member_user.phone or "")
    page.wait_for_url(re.compile(rf"/a/{slug}/$"))

    tab_bar = page.locator("nav.m-tabbar")
    tab_bar.get_by_role("link", name="我的").click()
    page.wait_for_url(re.compile(rf"/a/{slug}/me/$"))
    shot(page, tmp_path, "me-phone")
    assert tab_bar.is_visible()
    assert tab_bar.locator("[aria-current=page]").inner_text().strip() == "我的"
    for entry in ("我的名片", "我的活动/电子票", "我的会费", "我的照片", "修改密码"):
        assert page.get_by_role("link", name=entry).is_visible(), entry
    # The developer things are folded away until 高级 is opened.
    tokens = page.get_by_role("link", name=re.compile("API 令牌"))
    assert not tokens.is_visible()
    page.locator("#advanced summary").click()
    assert tokens.is_visible()
    shot(page, tmp_path, "me-phone-advanced")
    # Nothing sideways: the page fits the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="我的会费").click()
    page.wait_for_url(re.compile(rf"/a/{slug}/dues/$"))
    shot(page, tmp_path, "me-dues-phone")
    assert tab_bar.is_visible()
    assert tab_bar.locator("[aria-current=page]").inner_text().strip() == "我的"
    page.get_by_role("link", name="‹ 我的").click()
    page.wait_for_url(re.compile(rf"/a/{slug}/me/$"))
    assert tab_bar.is_visible()
    assert page.get_by_role("link", name="我的会费").is_visible()


def test_the_secretariat_opens_its_personal_center_in_the_back_office(
    live_server: Any, desktop_page: Any, side_a: Side, tmp_path: Path
) -> None:
    page = desktop_page
    slug = side_a.association.slug
    # The secretary-general is on the association's books as a person too.
    PersonFactory(association=side_a.association, name=side_a.admin.name, user=side_a.admin)
    sign_in(page, live_server.url, side_a.admin.phone or "")
    page.wait_for_url(re.compile(rf"/a/{slug}/office/$"))
    page.locator("a.office__user").click()
    page.wait_for_url(re.compile(rf"/a/{slug}/office/me/$"))
    shot(page, tmp_path, "me-desktop")
    assert page.locator("aside.office__side").is_visible()
    assert page.get_by_role("heading", name="个人中心").is_visible()
    assert not page.get_by_role("link", name="API 令牌").is_visible()
    # Showing the phone number to members saves at once and comes back here.
    with page.expect_navigation():
        page.check("#show-phone")
    assert page.url.endswith(f"/a/{slug}/office/me/")
    assert "已向其他会员公开手机号" in page.inner_text("body")
    assert page.is_checked("#show-phone")
