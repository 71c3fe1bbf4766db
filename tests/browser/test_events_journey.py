"""The secretariat creates an event with 2 seats (its description written in the rich-text
editor) → two members register on phone-sized screens and a third is waitlisted → one
cancels and the third is promoted (and told by SMS) → staff check the arrivals in by scanning
real QR PNGs (one through the page's own scanner reading a photo, one decoded here and typed
in) → attendance shows the two arrivals.

And the door run by a volunteer: the secretariat enlarges a full ticket type in place (the
waitlisted member moves up) and assigns a member as 签到员 → the volunteer sees the unread
badge, reads the notice, opens the door from 我负责签到 and checks people in, seeing one
person's photo and another's surname avatar — and the back office stays closed to them."""

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from shanghui.accounts.models import User
from shanghui.core import notifications
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import picture_put
from shanghui.events import tickets
from shanghui.events.models import Registration
from shanghui.events.services import setup as setup_services
from shanghui.events.tests.factories import make_event, make_member_user, register
from shanghui.members.models import Person
from shanghui.testing.fixtures import Side
from shanghui.testing.worker import run_worker
from tests.browser import steps

from .conftest import PHONE

PHOTO = "members.person.photo"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, user: User) -> None:
    steps.sign_in(page, base, user.phone or "")


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[], Any]]:
    """Opens phone-sized pages, each in its own browser context (its own sign-in), and
    closes them before the test's database goes away."""
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


def test_create_register_waitlist_promote_scan_and_attend(
    live_server: Any, phone: Callable[[], Any], desktop_page: Any, side_a: Side, tmp_path: Path,
    privacy_notice: None,
) -> None:  # fmt: skip
    base, slug = live_server.url, side_a.association.slug
    desk = desktop_page
    sign_in(desk, base, side_a.admin)
    desk.goto(f"{base}/a/{slug}/office/events/")
    desk.click("#new-event")
    desk.fill("#id_title", "2026 赣商新春联谊会")
    desk.select_option("#id_kind", "social")
    desk.fill("#id_starts_at", "2030-02-10T18:00")
    desk.fill("#id_ends_at", "2030-02-10T21:00")
    desk.fill("#id_venue", "南昌前湖迎宾馆")
    desk.fill("#id_capacity", "2")
    editor = desk.locator(".rt-editor .pell-content")
    assert desk.locator("#id_description").is_hidden()  # the editor stands in for it
    editor.click()
    desk.keyboard.type("请着正装出席")
    desk.keyboard.press("Control+A")
    desk.click(".rt-editor button[title='加粗']")
    desk.click("#event-form button[type=submit]")
    desk.wait_for_url(re.compile(r"/office/events/\d+/$"))
    event_url = desk.url
    desk.click("#publish")
    desk.wait_for_load_state("load")
    assert "已发布" in desk.inner_text("body")

    members = [make_member_user(side_a.association, n) for n in ("邹一鸣", "熊二娟", "曾三立")]
    pages = []
    for user in members:
        page = phone()
        sign_in(page, base, user)
        page.goto(f"{base}/a/{slug}/")
        page.click("nav.m-tabbar >> text=活动")  # tap 1
        page.click("text=2026 赣商新春联谊会")  # tap 2
        page.click("#register")  # tap 3
        page.wait_for_load_state("load")
        pages.append(page)
    first, second, third = pages
    assert first.locator(".m-card__body b", has_text="请着正装出席").count() == 1
    assert "出示电子票" in first.inner_text("#my-registration")
    assert "出示电子票" in second.inner_text("#my-registration")
    assert "候补" in third.inner_text("#my-registration")

    first.once("dialog", lambda dialog: dialog.accept())
    first.click("#cancel-registration")
    first.wait_for_load_state("load")
    assert "已取消报名" in first.inner_text("body")
    third.reload()
    assert "出示电子票" in third.inner_text("#my-registration")
    run_worker()  # the SMS goes out from a worker
    assert any(m.to == members[2].phone and "递补" in m.text for m in notifications.outbox)

    # The QR PNGs the two confirmed members can save from their ticket pages.
    qr_files = []
    for n, page in ((2, second), (3, third)):
        page.click("#show-ticket")
        page.wait_for_selector("#ticket-qr")
        png = page.request.get(page.url.replace("/ticket/", "/ticket.png")).body()
        path = tmp_path / f"ticket-{n}.png"
        path.write_bytes(png)
        qr_files.append(path)

    staff = phone()
    sign_in(staff, base, side_a.admin)
    staff.goto(f"{event_url}checkin/")
    staff.click("text=主会场")
    staff.wait_for_load_state("load")  # the scanner's deferred scripts listen from here on
    staff.set_input_files("#scan-file", str(qr_files[0]))  # the page's jsQR reads the photo
    staff.wait_for_selector("#checkin-status:has-text('签到成功')")
    assert "熊二娟" in staff.inner_text("#checkin-name")
    (decoded,) = zxingcpp.read_barcodes(Image.open(qr_files[1]))
    staff.fill("#checkin-code", decoded.text)
    staff.click("#checkin-submit")
    staff.wait_for_selector("#checkin-name:has-text('曾三立')")
    staff.fill("#checkin-code", decoded.text)  # scanned again: nothing changes
    staff.click("#checkin-submit")
    staff.wait_for_selector("#checkin-status:has-text('已签到过')")
    staff.wait_for_selector("#arrived-count:has-text('2')")

    desk.goto(f"{event_url}attendance/")
    assert desk.inner_text("#attended-count") == "2"
    table = desk.inner_text("#attendance")
    assert "熊二娟" in table and "曾三立" in table and "邹一鸣" not in table


def test_a_volunteer_runs_the_door_with_photos(
    live_server: Any,
    phone: Callable[[], Any],
    desktop_page: Any,
    side_a: Side,
    privacy_notice: None,
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    event = make_event(a, side_a.admin, title="赣商读书会", capacity=10)
    with tenant_context(a):
        seats = setup_services.ticket_type_create(
            association=a, actor=side_a.admin, event=event, name="会员票", capacity=1
        )
    pictured_user = make_member_user(a, "熊二娟")
    plain_user = make_member_user(a, "欧阳娜娜")
    pictured = register(a, event, pictured_user, ticket_type=seats)
    waiting = register(a, event, plain_user, ticket_type=seats)
    assert waiting.status == "waitlisted"
    photo = io.BytesIO()
    Image.new("RGB", (60, 80), "steelblue").save(photo, format="JPEG")
    stored = picture_put(a, ContentFile(photo.getvalue(), name="p.jpg"), holder=PHOTO)
    with tenant_context(a):
        person = Person.objects.get(user=pictured_user)
        file_attach(person, "photo", stored)

    desk = desktop_page
    sign_in(desk, base, side_a.admin)
    desk.goto(f"{base}/a/{slug}/office/events/{event.pk}/setup/")
    row = desk.locator(f"#ticket-type-{seats.pk}")
    row.locator("text=编辑").click()  # htmx swaps the row for its form
    desk.wait_for_selector("tr.is-editing #id_edit-capacity")
    desk.fill("tr.is-editing #id_edit-capacity", "2")
    desk.click("tr.is-editing button[type=submit]")
    desk.wait_for_selector(f"#ticket-type-{seats.pk}:has-text('2 / 2')")
    assert "已保存" in desk.inner_text("body")
    with tenant_context(a):
        assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    desk.fill("#checkin_staff-phone", side_a.member_user.phone or "")
    desk.click("#checkin-staff button:has-text('添加签到员')")
    desk.wait_for_selector("#checkin-staff td:has-text('甲市会员')")

    volunteer = phone()
    sign_in(volunteer, base, side_a.member_user)
    volunteer.goto(f"{base}/a/{slug}/")
    assert volunteer.inner_text("nav.m-tabbar .m-tab-badge") == "1"
    volunteer.click("nav.m-tabbar >> text=活动")
    volunteer.click("#notice-entry a")
    assert "签到员" in volunteer.inner_text("#notices")
    volunteer.goto(f"{base}/a/{slug}/events/")
    assert volunteer.locator("nav.m-tabbar .m-tab-badge").count() == 0
    volunteer.click("#door-events >> text=赣商读书会")
    volunteer.click("text=主会场")
    volunteer.wait_for_load_state("load")
    volunteer.fill("#checkin-code", tickets.display_code(pictured.code))
    volunteer.click("#checkin-submit")
    volunteer.wait_for_selector("#checkin-name:has-text('熊二娟')")
    # The photo has loaded (a string predicate would need eval, which the page's CSP forbids).
    expect(volunteer.locator("#checkin-photo")).to_have_js_property("naturalWidth", 60)
    volunteer.fill("#checkin-code", plain_user.phone or "")
    volunteer.click("#checkin-submit")
    volunteer.wait_for_selector("#checkin-name:has-text('欧阳娜娜')")
    assert volunteer.inner_text("#checkin-avatar") == "欧阳"
    volunteer.wait_for_selector("#arrived-count:has-text('2')")
    office = volunteer.goto(f"{base}/a/{slug}/office/events/{event.pk}/")
    assert office is not None and office.status == 403
