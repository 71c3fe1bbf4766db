"""Someone's number is attacked from one network → there the page asks for an SMS code instead
of shutting them out → they sign in with the code → change the password in the personal
center (a weak one is refused) → their session on the desktop is signed out."""

import os
import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.core import notifications
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def test_a_locked_phone_signs_in_by_code_and_changes_its_password(
    live_server: Any, phone_page: Any, desktop_page: Any, side_a: Side, tmp_path: Path
) -> None:
    phone = side_a.member_user.phone or ""
    desk = desktop_page
    desk.goto(f"{live_server.url}/login/")
    shot(desk, tmp_path, "0-login-desktop")
    desk.fill("#id_phone", phone)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(re.compile(r"/a/"))

    page = phone_page
    page.goto(f"{live_server.url}/login/")
    for _ in range(5):
        page.fill("#id_phone", phone)
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
    shot(page, tmp_path, "1-code-step")
    assert "请用短信验证码登录" in page.inner_text("body")
    assert page.input_value("#id_phone") == phone
    page.click("button[type=submit]")  # 发送验证码
    page.wait_for_url(re.compile(r"/login/code/confirm/"))
    code = re.search(r"(\d{6})", notifications.outbox[-1].text).group(1)  # type: ignore[union-attr]
    page.fill("#id_code", code)
    shot(page, tmp_path, "2-enter-code")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/a/"))

    page.goto(f"{live_server.url}/me/")
    page.click("text=修改密码")
    page.wait_for_url(re.compile(r"/me/password/"))
    weak = f"{phone}a"
    page.fill("#id_current_password", PASSWORD)
    page.fill("#id_new_password", weak)
    page.fill("#id_new_password2", weak)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    shot(page, tmp_path, "3-weak-password")
    assert "手机号" in page.inner_text(".weui-cells_form, form")
    page.fill("#id_current_password", PASSWORD)
    page.fill("#id_new_password", "Xinyu-Road-2027")
    page.fill("#id_new_password2", "Xinyu-Road-2027")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/me/$"))
    shot(page, tmp_path, "4-changed")
    assert "密码已修改" in page.inner_text("body")

    desk.goto(f"{live_server.url}/me/")
    assert "/login/" in desk.url  # the other session ended
    shot(desk, tmp_path, "5-desktop-signed-out")
