"""The event description's editor: the page ships the vendored pell (no outside address) on
top of a plain textarea (``core.richtext.RichTextarea``); the server's sanitiser is tested in
``core/tests/test_richtext.py``."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from shanghui.testing.fixtures import Side

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_the_edit_page_loads_the_vendored_editor_over_a_textarea(
    side_a: Side, admin_a: Client
) -> None:
    page = admin_a.get(
        reverse("events:office_new", kwargs={"association_slug": side_a.association.slug})
    ).content.decode()
    assert '<textarea name="description"' in page and "data-rich-text" in page
    assert 'data-label-bold="加粗"' in page
    for asset in ("vendor/pell/pell.min.js", "vendor/pell/pell.min.css", "shanghui/richtext.js"):
        assert f"{settings.STATIC_URL}{asset}" in page
        found = finders.find(asset)
        assert found, asset
        if asset.startswith("vendor/"):
            assert "http" not in Path(str(found)).read_text(), f"{asset} names an outside host"
    assert finders.find("vendor/pell/LICENSE.md")
    minutes = admin_a.get(
        reverse(
            "events:office_minutes",
            kwargs={
                "association_slug": side_a.association.slug,
                "event_id": make_event(side_a.association, side_a.admin).pk,
            },
        )
    ).content.decode()
    assert '<textarea name="body"' in minutes and "shanghui/richtext.js" in minutes
