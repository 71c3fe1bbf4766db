"""The event description's editor: the page ships the vendored pell (no outside address) on
top of a plain textarea, and the server sanitises whatever arrives — editor HTML, pasted
markup or plain text typed where the editor did not load."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from shanghui.events.services.common import sanitize_html
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
    for asset in ("vendor/pell/pell.min.js", "vendor/pell/pell.min.css", "events/richtext.js"):
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
    assert '<textarea name="body"' in minutes and "events/richtext.js" in minutes


def test_the_server_keeps_formatting_and_drops_the_rest() -> None:
    html = (
        '<h2>议程</h2><p><strong>九点</strong>开幕 <a href="https://example.cn/x">报名</a>'
        '<a href="javascript:alert(1)">坏</a></p><script>alert(1)</script>'
        '<img src="https://tracker.example/p.png" onerror="alert(1)"><ul><li>一</li></ul>'
    )
    clean = sanitize_html(html)
    assert "<h2>议程</h2>" in clean and "<strong>九点</strong>" in clean
    assert 'href="https://example.cn/x"' in clean and "nofollow" in clean
    for bad in ("<script", "<img", "onerror", "javascript:"):
        assert bad not in clean
    assert "<ul><li>一</li></ul>" in clean


def test_plain_text_keeps_its_lines_as_paragraphs() -> None:
    assert sanitize_html("第一行\n\n第二行 <3\n") == "<p>第一行</p><p>第二行 &lt;3</p>"
    assert sanitize_html("") == ""
