"""An event's cover is kept at up to 1600 px but a phone's page gets it at 750 px (a 1600 px
photograph alone would weigh over twice the member pages' budget), cached by version."""

import re
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from shanghui.events.models import Event
from shanghui.testing.fixtures import Side
from shanghui.testing.pictures import photo_like

from .factories import cover_set, make_event

pytestmark = pytest.mark.django_db


def body(response: Any) -> bytes:
    return bytes(response.content)


def with_cover(side: Side, content: bytes) -> Event:
    event = make_event(side.association, side.admin)
    cover_set(event, side.admin, content)
    return event


def test_the_event_page_shows_the_cover_at_a_phones_width(
    side_a: Side, member_a: Client, member_b: Client
) -> None:
    photo = photo_like(7, side=1600, height=900)
    event = with_cover(side_a, photo)
    page = f"/a/{side_a.association.slug}/events/{event.pk}/"
    [src] = re.findall(r'<img class="m-cover" src="([^"]+)"', member_a.get(page).content.decode())
    src = src.replace("&amp;", "&")
    assert "size=screen" in src and "v=" in src
    shown = member_a.get(src)
    assert shown.status_code == 200
    assert shown["Cache-Control"] == "private, max-age=31536000, immutable"
    data = body(shown)
    assert Image.open(BytesIO(data)).size == (750, 422)
    kept = body(member_a.get(src.partition("?")[0]))
    assert Image.open(BytesIO(kept)).size == (1600, 900)
    assert len(data) < len(kept) / 3
    # The cover's rules hold for every size: another association's member gets 404.
    assert member_b.get(src).status_code == 404


def test_a_cover_smaller_than_a_screen_is_not_enlarged(side_a: Side, member_a: Client) -> None:
    event = with_cover(side_a, photo_like(8, side=400, height=200))
    cover = f"/a/{side_a.association.slug}/events/{event.pk}/cover/?size=screen"
    assert Image.open(BytesIO(body(member_a.get(cover)))).size == (400, 200)
