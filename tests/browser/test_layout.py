"""What a person notices at a glance on a phone and on a desktop (issue 13.25): an empty page
does not scroll, the A–Z index is a finger's width and follows a sliding finger, rich-text
lists stay inside their card, the back office fits a phone's width, chart labels do not
overlap, and every page has an icon."""

import itertools
from datetime import date
from typing import Any

import pytest

from shanghui.events.tests.factories import make_event
from shanghui.testing.factories import PASSWORD, MemberFactory
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, url: str, phone: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_phone", phone)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def test_member_pages_fit_the_phone(live_server: Any, phone_page: Any, side_a: Side) -> None:
    a = side_a.association
    for name in ("阿里巴巴", "百度", "长安汽车", "大疆创新", "恒大"):
        MemberFactory(association=a, name=f"{name}有限公司")
    make_event(a, side_a.admin, description="<p>议程</p><ul><li>签到</li><li>开幕致辞</li></ul>")
    page = phone_page
    sign_in(page, live_server.url, side_a.member_user.phone)

    page.goto(f"{live_server.url}/a/{a.slug}/")
    viewport = page.viewport_size["height"]
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport

    page.goto(f"{live_server.url}/a/{a.slug}/directory/")
    letters = page.locator("[data-sh-index] a")
    box = letters.first.bounding_box()
    assert box["width"] >= 44
    # A finger sliding down the strip and lifted on 恒大's letter opens H.
    target = page.locator("[data-sh-index] a", has_text="H").bounding_box()
    x = box["x"] + box["width"] / 2
    touch = page.context.new_cdp_session(page)
    steps = [("touchStart", box["y"] + 2), ("touchMove", target["y"] + target["height"] / 2)]
    for kind, y in steps:
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_url("**letter=H**")

    page.goto(f"{live_server.url}/a/{a.slug}/events/")
    page.click("text=2026 年会")
    card = page.locator(".sh-richtext").bounding_box()
    bullet = page.locator(".sh-richtext li").first.bounding_box()
    # The bullet hangs about 1em left of its text: with the list's padding it stays inside.
    assert bullet["x"] - 14 >= card["x"]

    assert page.request.get(f"{live_server.url}/favicon.ico").ok


@pytest.mark.parametrize("viewport", ["phone_page", "desktop_page"])
def test_the_dashboard_fits_and_its_month_labels_do_not_overlap(
    live_server: Any, side_a: Side, viewport: str, request: pytest.FixtureRequest
) -> None:
    a = side_a.association
    today = date.today()
    for months in range(24):
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        MemberFactory(association=a, joined_on=date(year, month + 1, 1))
    page = request.getfixturevalue(viewport)
    sign_in(page, live_server.url, side_a.admin.phone)
    page.goto(f"{live_server.url}/a/{a.slug}/office/")
    page.wait_for_selector("[data-chart] svg")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    labels = page.evaluate(
        """() => {
          const chart = document.querySelector('[data-type="line"] svg');
          return Array.from(chart.querySelectorAll('text'))
            .map(t => t.getBoundingClientRect())
            .filter(r => r.width > 0)
            .map(r => [r.left, r.right, r.top]);
        }"""
    )
    rows: dict[int, list[tuple[float, float]]] = {}
    for left, right, top in labels:
        rows.setdefault(round(top), []).append((left, right))
    for spans in rows.values():
        spans.sort()
        for (_, right), (left, _) in itertools.pairwise(spans):
            assert left >= right - 0.5, spans
