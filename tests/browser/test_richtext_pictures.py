"""The rich-text editor keeps the pictures the server keeps: a picture of the platform's own
survives opening and saving the form, one from another host is gone from the editor before
anything could load it, and from what is stored."""

import re
from typing import Any

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.events.models import Event
from shanghui.events.tests.factories import make_event
from shanghui.testing.factories import PASSWORD
from shanghui.testing.fixtures import Side

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_editor_keeps_own_pictures_and_drops_outside_ones(
    live_server: Any, desktop_page: Any, side_a: Side, privacy_notice: None
) -> None:
    base, slug, a = live_server.url, side_a.association.slug, side_a.association
    event = make_event(a, side_a.admin, title="赣商读书会")
    own = f"/a/{slug}/events/{event.pk}/cover/"
    with tenant_context(a):  # as content stored before the sanitiser knew pictures
        Event.objects.filter(pk=event.pk).update(
            description=f'<p>现场</p><img src="{own}" alt="封面">'
            '<img src="https://tracker.example/p.png">'
        )
    desk = desktop_page
    desk.goto(f"{base}/login/")
    desk.fill("#id_phone", side_a.admin.phone)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_load_state("load")

    desk.goto(f"{base}/a/{slug}/office/events/{event.pk}/edit/")
    content = desk.locator(".rt-editor .pell-content")
    content.wait_for()
    html = content.inner_html()
    assert f'src="{own}"' in html and "tracker.example" not in html
    desk.click("#event-form button[type=submit]")
    desk.wait_for_url(re.compile(rf"/office/events/{event.pk}/$"))
    with tenant_context(a):
        event.refresh_from_db()
    assert f'<img src="{own}" alt="封面">' in event.description
    assert "tracker.example" not in event.description
