"""An association applies → the operator approves → its administrator opens the invitation on
a phone, sets a password, lands in the back office → switches the language to 繁體中文."""

import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.core import notifications
from shanghui.testing.factories import PASSWORD, UserFactory, make_uscc
from shanghui.testing.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_approve_sign_in_on_a_phone_and_switch_language(
    live_server: Any, desktop_page: Any, phone_page: Any, tmp_path: Path, privacy_notice: None
) -> None:
    operator = UserFactory(is_platform_operator=True, name="平台运营")
    certificate = tmp_path / "登记证书.pdf"
    certificate.write_bytes(b"%PDF-1.4\n% registration certificate scan\n")

    # 1. The association applies on a phone.
    page = phone_page
    page.goto(f"{live_server.url}/join/")
    page.fill("#id_name", "惠州市江西商会")
    page.fill("#id_short_name", "惠州江西商会")
    page.fill("#id_slug", "hzjx")
    page.select_option("#id_kind", "hometown")
    page.select_option("#id_region_code", "440000")  # 广东省 › 惠州市, the cascading picker
    page.select_option("#id_region_code_city", "441300")
    page.fill("#id_uscc", make_uscc("51", "441300"))
    page.set_input_files("#id_certificate", str(certificate))
    page.fill("#id_contact_name", "曾会长")
    page.fill("#id_contact_phone", "135 0000 8888")
    page.check("#id_accept_privacy")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/join/done/" in page.url, page.inner_text("main")[:800]

    # 2. The operator approves on a desktop.
    desk = desktop_page
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.goto(f"{live_server.url}/login/")
    desk.fill("#id_phone", operator.phone)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.goto(f"{live_server.url}/platform/applications/")
    desk.click("text=惠州市江西商会")
    desk.click("button:has-text('通过')")
    desk.wait_for_url(re.compile(r"/platform/applications/$"))

    # 3. The administrator opens the invitation from the SMS on a phone (sent by a worker).
    run_worker()
    link = re.search(r"https?://\S+/a/hzjx/invite/[\w-]+/", notifications.outbox[-1].text)
    assert link, notifications.outbox
    path = link.group(0).split("/a/", 1)[1]
    page.goto(f"{live_server.url}/a/{path}")
    page.fill("#id_password", "Huizhou-2026")
    page.fill("#id_password2", "Huizhou-2026")
    page.check("#id_accept_privacy")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/a/hzjx/office/"))

    # 4. Later, on the same phone, the administrator signs in with the new password.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_phone", "13500008888")
    page.fill("#id_password", "Huizhou-2026")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/a/hzjx/office/"))
    assert page.viewport_size["width"] == 375
    assert "惠州江西商会" in page.content()
    assert page.locator("text=工作台").first.is_visible() or "工作台" in page.content()

    # 5. … and switches the interface to Traditional Chinese.
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hant")
    content = page.content()
    assert "工作臺" in content or "會員" in content, content[:2000]
    # The choice sticks on the next page too.
    page.goto(f"{live_server.url}/me/")
    assert "會員" in page.content() or "個人" in page.content()
