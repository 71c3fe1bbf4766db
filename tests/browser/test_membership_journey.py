"""Someone applies to join on a phone → the secretariat approves → the new member sets a
password and signs in → finds another member by pinyin initials → opens the business card."""

import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.core import notifications
from shanghui.testing.factories import PASSWORD, make_uscc
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_approve_sign_in_search_and_open_a_card(
    live_server: Any,
    phone_page: Any,
    desktop_page: Any,
    side_a: Side,
    tmp_path: Path,
    privacy_notice: None,
) -> None:
    slug = side_a.association.slug
    licence = tmp_path / "营业执照.png"
    licence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    page = phone_page
    page.goto(f"{live_server.url}/a/{slug}/join/")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_name", "宜春市明月山温泉度假有限公司")
    page.fill("#id_uscc", make_uscc("91", "360900"))
    page.set_input_files("#id_licence", str(licence))
    page.fill("#id_applicant_name", "解春华")
    page.fill("#id_applicant_phone", "13577778888")
    page.check("#id_accept_privacy")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/join/done/" in page.url, page.inner_text("body")[:600]

    desk = desktop_page
    desk.goto(f"{live_server.url}/login/")
    desk.fill("#id_phone", side_a.admin.phone)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.goto(f"{live_server.url}/a/{slug}/office/applications/")
    desk.click("text=宜春市明月山温泉度假有限公司")
    desk.click("button[value=approve]")
    desk.wait_for_url(re.compile(r"/office/members/\d+/$"))

    run_worker()  # the SMS goes out from a worker
    invite = next(m for m in reversed(notifications.outbox) if "/invite/" in m.text)
    path = re.search(r"/a/[\w-]+/invite/[\w-]+/", invite.text).group(0)  # type: ignore[union-attr]
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_password", "Yichun-2026")
    page.fill("#id_password2", "Yichun-2026")
    page.check("#id_accept_privacy")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/a/{slug}/$"))

    page.goto(f"{live_server.url}/a/{slug}/directory/")
    page.fill("#directory-search", "gzj")  # 龚志军, the representative of A's member
    page.wait_for_selector(f"text={side_a.member.name}")
    page.click(f"text={side_a.member.name}")
    page.wait_for_url(re.compile(r"/directory/\d+/$"))
    card = page.content()
    assert side_a.member.name in card and "龚志军" in card
    assert side_a.person.phone not in card  # masked for members
