"""A full public event, on a phone and on a desktop, offers the waitlist (加入候补) and says
the seats are gone — never 我要报名 (13.24)."""

import os
from pathlib import Path
from typing import Any

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.events.services import events as event_services
from shanghui.events.services import registration as registration_services
from shanghui.events.tests.factories import make_event
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(SHOTS or tmp_path) / f"{name}.png"), full_page=True)


def test_a_full_public_event_offers_the_waitlist_not_registration(
    live_server: Any, phone_page: Any, desktop_page: Any, side_a: Side, tmp_path: Path
) -> None:
    a = side_a.association
    event = make_event(a, side_a.admin, audience="public", title="赣商论坛", capacity=1)
    with tenant_context(a):
        event_services.calendar_settings_update(
            association=a, actor=side_a.admin, publish_calendar=True
        )
        registration_services.registration_create(
            association=a,
            actor=side_a.admin,
            event=event,
            registrant=registration_services.Registrant(name="先到者", phone="13800001111"),
            by_staff=True,
        )
    for name, page in (("phone", phone_page), ("desktop", desktop_page)):
        page.goto(f"{live_server.url}/a/{a.slug}/calendar/{event.pk}/")
        shot(page, tmp_path, f"event-full-{name}")
        text = page.inner_text("main")
        assert "我要报名" not in text
        assert "名额已满" in text and "已满（共 1）" in text
        page.click("a.btn:has-text('加入候补')")
        page.wait_for_load_state("load")
        assert "提交后进入候补名单" in page.inner_text("main")
        assert page.is_visible("button[value=register]:has-text('加入候补')")
