"""The pages whose scripts matter most still work under the Content-Security-Policy (the
conftest's csp_violations fixture fails the test on any violation or script error): the
member home, the directory's live search, a business card's share button (an inline script
with the nonce), an event page and its confirm dialog, the calendar feed field, the back
office's ECharts dashboard with its tooltip, the rich-text editor, the check-in scanner
reading a photo of a ticket, and the API's Swagger page."""

import re
from pathlib import Path
from typing import Any

import pytest

from shanghui.accounts.models import User
from shanghui.core.tenancy import tenant_context
from shanghui.events import tickets
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.testing.factories import PASSWORD, MemberFactory
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_phone", user.phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def test_member_pages_run_their_scripts_under_the_policy(
    live_server: Any, phone_page: Any, side_a: Side, privacy_notice: None
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    colleague = make_member_user(a, "曾国华")
    event = make_event(a, side_a.admin, title="赣商读书会")
    register(a, event, side_a.member_user)
    page = phone_page
    sign_in(page, base, side_a.member_user)

    page.goto(f"{base}/a/{slug}/")
    page.goto(f"{base}/a/{slug}/directory/")
    page.fill("#directory-search", "zgh")  # htmx asks as one types
    page.wait_for_selector("#results >> text=曾国华的公司")
    page.click("#results >> text=曾国华的公司")
    page.wait_for_selector("#share-card")
    page.click("#share-card")  # the card's inline script, allowed by its nonce
    page.wait_for_selector("#share-toast:not([hidden])")
    del colleague

    page.goto(f"{base}/a/{slug}/events/{event.pk}/")
    page.once("dialog", lambda dialog: dialog.dismiss())  # data-confirm, not onsubmit=
    page.click("#cancel-registration")
    assert "出示电子票" in page.inner_text("#my-registration")

    page.goto(f"{base}/a/{slug}/events/")
    page.click("#feed-url")  # data-sh-select, not onclick=
    selected = page.evaluate(
        "() => { const f = document.getElementById('feed-url');"
        " return f.value.substring(f.selectionStart, f.selectionEnd); }"
    )
    assert selected.endswith(".ics") and selected == page.input_value("#feed-url")


def test_office_pages_run_charts_editor_and_scanner_under_the_policy(
    live_server: Any, desktop_page: Any, side_a: Side, tmp_path: Path, privacy_notice: None
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    for name in ("赣州稀土集团有限公司", "江西铜业股份有限公司"):
        MemberFactory(association=a, name=name)
    event = make_event(a, side_a.admin, title="赣商读书会")
    guest = make_member_user(a, "熊二娟")
    ticket = register(a, event, guest)
    photo = tmp_path / "ticket.png"
    photo.write_bytes(tickets.qr_png(ticket.token))
    desk = desktop_page
    sign_in(desk, base, side_a.admin)

    desk.goto(f"{base}/a/{slug}/office/")
    chart = desk.locator("[data-chart=by_level] svg")
    chart.wait_for()
    box = chart.bounding_box()
    assert box is not None
    desk.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    desk.wait_for_selector("[data-chart=by_level] div[style*='position: absolute']")

    desk.goto(f"{base}/a/{slug}/office/events/{event.pk}/edit/")
    editor = desk.locator(".rt-editor .pell-content")
    editor.click()
    desk.keyboard.type("请着正装出席")
    desk.keyboard.press("Control+A")
    desk.click(".rt-editor button[title='加粗']")
    desk.click("#event-form button[type=submit]")
    desk.wait_for_url(re.compile(rf"/office/events/{event.pk}/$"))
    with tenant_context(a):
        event.refresh_from_db()
    assert "<b>请着正装出席</b>" in event.description or "<strong>" in event.description

    desk.goto(f"{base}/a/{slug}/office/events/{event.pk}/checkin/")
    desk.click("text=主会场")
    desk.wait_for_load_state("load")
    desk.set_input_files("#scan-file", str(photo))  # jsQR reads the photo via a blob: URL
    desk.wait_for_selector("#checkin-status:has-text('签到成功')")
    assert "熊二娟" in desk.inner_text("#checkin-name")

    desk.goto(f"{base}/api/v1/docs")
    desk.wait_for_selector(".swagger-ui .info .title", timeout=90_000)
