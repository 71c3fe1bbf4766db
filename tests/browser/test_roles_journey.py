"""An administrator invites, on a desktop, someone who already has an account (another
association's administrator): the page says the same as for anyone and shows only what she
typed. The invitee opens the link on a phone, signs in and accepts, and lands in the back
office. The administrator cannot demote herself while she is the only one, and cannot delete
her account before naming a successor."""

import re
from typing import Any

import pytest

from shanghui.accounts.models import Role
from shanghui.core import notifications
from shanghui.core.tenancy import scopes_disabled
from shanghui.testing.factories import PASSWORD, RoleFactory, UserFactory
from shanghui.testing.fixtures import build_side
from shanghui.testing.worker import run_worker
from tests.browser.steps import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_an_existing_account_who_accepts_on_a_phone(
    live_server: Any, desktop_page: Any, phone_page: Any, privacy_notice: None
) -> None:
    a, b = build_side("甲市", "jiashi"), build_side("乙市", "yishi")
    staff = UserFactory(name="甲市干事")
    RoleFactory(association=a.association, user=staff, kind=Role.Kind.STAFF)

    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    sign_in(desk, live_server.url, a.admin.phone or "")
    desk.goto(f"{live_server.url}/a/jiashi/office/roles/")
    desk.fill("#id_name", "张三")
    desk.fill("#id_phone", b.admin.phone or "")
    desk.select_option("#id_role", "staff")
    desk.click("button:has-text('添加并发送邀请')")
    desk.wait_for_load_state("load")
    text = desk.inner_text("main")
    assert "已发送邀请给 张三" in text and "待接受的邀请" in text
    assert b.admin.name not in desk.content()
    shot(desk, "roles-desktop")

    # The last administrator cannot demote herself; a staff member can be made a member.
    own = desk.locator("tr", has_text=staff.name)
    own.locator("select[name=role]").select_option("member")
    own.locator("button:has-text('更改角色')").click()
    desk.wait_for_load_state("load")
    assert f"{staff.name} 的角色已改为 会员" in desk.inner_text("main")

    # The invitee opens the SMS link on a phone, signs in, accepts.
    run_worker()
    link = re.search(r"https?://\S+/a/jiashi/invite/[\w-]+/", notifications.outbox[-1].text)
    assert link, notifications.outbox
    path = "/a/" + link.group(0).split("/a/", 1)[1]
    page = phone_page
    page.goto(f"{live_server.url}{path}")
    assert "登录后接受" in page.inner_text("main")
    shot(page, "invitation-signed-out-phone")
    page.click("text=登录后接受")
    page.fill("#id_phone", b.admin.phone or "")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/invite/"))
    shot(page, "invitation-signed-in-phone")
    page.click("button:has-text('接受邀请')")
    page.wait_for_url(re.compile(r"/a/jiashi/office/$"))
    with scopes_disabled():
        assert Role.objects.get(association=a.association, user=b.admin).kind == "staff"

    # The only administrator of 甲市 cannot delete her account yet.
    desk.goto(f"{live_server.url}/me/delete/")
    assert "请先指定另一位管理员" in desk.inner_text("main")
    desk.fill("#id_password", PASSWORD)
    desk.click("button:has-text('确认注销')")
    desk.wait_for_load_state("load")
    assert "请先指定另一位管理员" in desk.inner_text("main")
    shot(desk, "delete-refused-desktop")
