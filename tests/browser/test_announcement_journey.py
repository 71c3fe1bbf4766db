"""A notice with a 回执, as its people use it: the secretariat writes it on a desktop (with a
``<script>`` in the text), sends it after the confirmation; a representative without an account
opens the link from their SMS on a phone, reads it and fills in the 回执; the secretariat sees
who read it per member enterprise, the reply in the table, and reminds the unread."""

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from shanghui.core import notifications
from shanghui.testing.factories import PASSWORD, MemberFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def sign_in(page: Any, url: str, phone: str) -> None:
    page.goto(f"{url}/login/", timeout=60_000)  # the server's first page loads every app
    page.fill("#id_phone", phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def test_notice_with_reply_from_compose_to_receipts(
    live_server: Any, desktop_page: Any, phone_page: Any, side_a: Side, tmp_path: Path
) -> None:
    slug = side_a.association.slug
    far = RepresentativeFactory(
        association=side_a.association,
        member=MemberFactory(association=side_a.association, name="远方贸易有限公司"),
        person__name="远方代表",
    ).person
    office = desktop_page
    sign_in(office, live_server.url, side_a.admin.phone or "")
    office.goto(f"{live_server.url}/a/{slug}/office/notices/")
    office.click("#new-announcement")
    office.fill("#id_title", "关于召开年度会员大会的通知")
    # Typed into the editor; a hostile client adds payloads to what the editor sends (after
    # the editor copied its HTML into the field): the server sanitises whatever it gets.
    office.locator(".rt-editor .pell-content").fill("请准时参加")
    office.evaluate(
        """document.querySelector('#announcement-form').addEventListener('submit', () => {
          document.querySelector('#id_body').value +=
            '<script>window.pwned=1<\\/script><p onclick="window.pwned=2">点此</p>';
        })"""
    )
    office.fill("#id_reply_fields", "是否参加 | 是否 | 必填\n参会人数 | 数字 | 必填")
    deadline = timezone.localtime() + timedelta(days=5)
    office.fill("#id_reply_deadline", deadline.strftime("%Y-%m-%dT%H:%M"))
    office.click("#announcement-form button.btn--primary")
    office.wait_for_selector("#announcement-body")
    assert office.locator("#announcement-body [onclick], #announcement-body script").count() == 0
    shot(office, tmp_path, "announcement-draft-desktop")
    office.click("#send")
    office.click("#send-confirm")
    office.wait_for_url(re.compile(r"/receipts/$"))
    run_worker()

    sms = [m.text for m in notifications.outbox if m.channel == "sms" and m.to == far.phone]
    link = re.search(r"https?://[^/\s]+(/a/\S+/notices/\d+/r/[\w.-]+/)", sms[0])
    assert link
    phone = phone_page
    phone.goto(f"{live_server.url}{link.group(1)}")
    assert "请准时参加" in phone.inner_text("#announcement-body")
    assert phone.locator("#announcement-body [onclick], #announcement-body script").count() == 0
    assert "点此" in phone.inner_text("#announcement-body")  # the text survives
    assert phone.evaluate("window.pwned") is None
    shot(phone, tmp_path, "announcement-link-phone")
    phone.check("input[name=f1][value=yes]")
    phone.fill("#id_f2", "2")
    phone.click("#reply-submit")
    phone.wait_for_selector("#my-answers")
    shot(phone, tmp_path, "announcement-replied-phone")

    office.goto(f"{live_server.url}/a/{slug}/office/notices/")
    office.click("text=关于召开年度会员大会的通知")
    figures = office.inner_text("#figures")
    assert "1 / 2" in figures  # one of two member enterprises read it
    assert "远方贸易有限公司" in office.inner_text("#receipts")
    shot(office, tmp_path, "announcement-receipts-desktop")
    office.click("#show-replies")  # the replies are a tab of their own, paged
    assert "远方贸易有限公司" in office.inner_text("#replies")
    office.go_back()
    office.click("#only-unread")
    assert "远方贸易有限公司" not in office.inner_text("#receipts")
    office.click("#remind")
    office.wait_for_selector(".sh-msg--success")
