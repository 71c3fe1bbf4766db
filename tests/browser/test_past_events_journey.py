"""Past events as people meet them (issue 13.2, 13.3, 13.31).

On a phone: a member opens the event they attended ten months ago — no 取消报名, no 出示电子票,
"本活动已结束" and 活动评价, which they fill in; an event under way keeps the ticket for the
door but no longer offers cancelling. Someone the secretariat registered, who has no
account, opens the link of their SMS and sees their ticket although the event is not public.
On a desktop: the secretariat presses 胸牌 PDF and downloads the file once the job is done.
Screenshots of each page are written to $SCREENSHOTS (default: the test's tmp dir)."""

import os
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from shanghui.core import notifications
from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Event
from shanghui.events.services import registration as registration_services
from shanghui.events.tests.factories import make_event, register
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker

from .conftest import PHONE
from .test_events_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[], Any]]:
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _move(event: Event, start: Any, hours: int = 3) -> None:
    with tenant_context(event.association):
        Event.objects.filter(pk=event.pk).update(
            starts_at=start, ends_at=start + timedelta(hours=hours)
        )


def test_a_past_event_is_read_only_on_the_phone_and_asks_for_feedback(
    live_server: Any, phone: Callable[[], Any], side_a: Side, tmp_path: Path,
    privacy_notice: None,
) -> None:  # fmt: skip
    base, slug, shots = live_server.url, side_a.association.slug, _shots(tmp_path)
    a = side_a.association
    past = make_event(a, side_a.admin, title="2025 迎春酒会", capacity=1)
    running = make_event(a, side_a.admin, title="赣商论坛（进行中）")
    for event in (past, running):
        register(a, event, side_a.member_user)
    _move(past, timezone.now() - timedelta(days=300))
    _move(running, timezone.now() - timedelta(hours=1))

    page = phone()
    sign_in(page, base, side_a.member_user)
    page.goto(f"{base}/a/{slug}/events/{past.pk}/")
    page.screenshot(path=str(shots / "past-event-phone.png"), full_page=True)
    assert "本活动已结束" in page.inner_text("body")
    assert page.locator("#cancel-registration").count() == 0
    assert page.locator("#show-ticket").count() == 0
    assert page.locator("#feedback-link").is_visible()
    page.click("#feedback-link")
    page.check("input[name=rating][value='5']")
    page.fill("textarea[name=comment]", "安排周到")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "感谢您的评价" in page.inner_text("body")

    page.goto(f"{base}/a/{slug}/events/{running.pk}/")
    page.screenshot(path=str(shots / "running-event-phone.png"), full_page=True)
    assert "报名已截止" in page.inner_text("body")
    assert page.locator("#show-ticket").is_visible()  # for the door
    assert page.locator("#cancel-registration").count() == 0
    assert page.locator("#feedback-link").count() == 0


def test_the_sms_link_opens_the_ticket_of_someone_without_an_account(
    live_server: Any, phone: Callable[[], Any], side_a: Side, tmp_path: Path,
    privacy_notice: None,
) -> None:  # fmt: skip
    shots = _shots(tmp_path)
    a = side_a.association
    event = make_event(a, side_a.admin, title="理事会扩大会议")  # members only, no public page
    with tenant_context(a):
        registration_services.registration_create(
            association=a, actor=side_a.admin, event=event, by_staff=True,
            registrant=registration_services.Registrant(
                name="熊建国", phone="13900005555", company="熊氏实业"
            ),
        )  # fmt: skip
    run_worker()
    (text,) = [m.text for m in notifications.outbox if m.to == "13900005555"]
    link = re.search(r"https?://\S+", text)
    assert link
    page = phone()  # no sign-in: they have no account
    page.goto(f"{live_server.url}{urlsplit(link.group(0)).path}")
    page.screenshot(path=str(shots / "sms-link-phone.png"), full_page=True)
    assert "理事会扩大会议" in page.inner_text("body") and "熊建国" in page.inner_text("body")
    assert page.locator("#ticket img").is_visible()
    box = page.locator("#ticket img").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_the_badges_pdf_is_made_in_the_background(
    live_server: Any, desktop_page: Any, side_a: Side, tmp_path: Path, privacy_notice: None
) -> None:
    base, slug, shots = live_server.url, side_a.association.slug, _shots(tmp_path)
    event = make_event(side_a.association, side_a.admin, title="2026 年会")
    register(side_a.association, event, side_a.member_user)
    desk = desktop_page
    sign_in(desk, base, side_a.admin)
    desk.goto(f"{base}/a/{slug}/office/events/{event.pk}/")
    desk.screenshot(path=str(shots / "office-event-desktop.png"))
    desk.click("#badges-pdf")
    desk.wait_for_selector("#export-job")
    assert "胸牌 PDF：2026 年会" in desk.inner_text("h1, .card__title")
    run_worker()
    desk.wait_for_selector(".sh-progress-box__download")  # the box polls until it is done
    desk.screenshot(path=str(shots / "badges-job-desktop.png"), full_page=True)
    with desk.expect_download() as download:
        desk.click(".sh-progress-box__download")
    saved = tmp_path / "badges.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"
