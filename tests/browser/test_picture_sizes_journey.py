"""Pictures on a phone: the directory's avatars load as 96 px thumbnails, the card shows the
logo itself and its people as thumbnails, an event page its cover at 750 px — each image
actually drawn (loaded through the page's own session and Content-Security-Policy)."""

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shanghui.core.tenancy import tenant_context
from shanghui.events.tests.factories import cover_set, make_event
from shanghui.members.services.pictures import member_logo_set, person_photo_set
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SHOTS_DIR", "")
# Each image's drawn size: (natural width, height), or None while it has not loaded.
SIZES = "els => els.map(e => e.naturalWidth ? [e.naturalWidth, e.naturalHeight] : null)"


def wait_for_images(page: Any) -> None:
    """Waits until every picture of the page has loaded. Polled from here with ``evaluate``:
    ``wait_for_function`` re-evaluates its predicate with ``eval`` in the page when it is not
    true at once, which our Content-Security-Policy refuses (seen in CI under load)."""
    deadline = time.monotonic() + 15
    while not page.evaluate("() => [...document.images].every(i => i.complete)"):
        assert time.monotonic() < deadline, "pictures still loading after 15 s"
        time.sleep(0.05)


def test_a_member_sees_small_avatars_and_a_phone_sized_cover(
    live_server: Any, phone_page: Any, side_a: Side, tmp_path: Path
) -> None:
    a, admin = side_a.association, side_a.admin
    with tenant_context(a):
        member_logo_set(
            association=a,
            actor=admin,
            member=side_a.member,
            upload=SimpleUploadedFile("logo.jpg", photo_like(1)),
        )
        person_photo_set(
            association=a,
            actor=admin,
            person=side_a.person,
            upload=SimpleUploadedFile("me.jpg", photo_like(2)),
        )
    event = make_event(a, admin)
    cover_set(event, admin, photo_like(3, side=1600, height=900))

    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_phone", side_a.member_user.phone or "")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/a/{a.slug}/$"))

    page.goto(f"{live_server.url}/a/{a.slug}/directory/")
    avatars = page.locator("img.m-avatar")
    avatars.first.scroll_into_view_if_needed()
    wait_for_images(page)
    assert avatars.evaluate_all(SIZES) == [[96, 96]]
    page.screenshot(path=str(Path(SHOTS or tmp_path) / "directory-thumbnails.png"))

    page.goto(f"{live_server.url}/a/{a.slug}/directory/{side_a.member.pk}/")
    wait_for_images(page)
    assert page.locator("img.m-avatar--lg").evaluate_all(SIZES) == [[600, 600]]
    assert page.locator("img.m-avatar:not(.m-avatar--lg)").evaluate_all(SIZES) == [[96, 96]]

    page.goto(f"{live_server.url}/a/{a.slug}/events/{event.pk}/")
    wait_for_images(page)
    assert page.locator("img.m-cover").evaluate_all(SIZES) == [[750, 422]]
    page.screenshot(path=str(Path(SHOTS or tmp_path) / "event-cover.png"))
