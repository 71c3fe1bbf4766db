"""Rich text as every module stores it: formatting kept, scripts and handlers dropped, and
pictures only from the platform itself — an outside address would tell its host who read
the page, a ``data:`` URL can carry anything."""

import pytest
from django.test import override_settings

from shanghui.core.richtext import RichTextarea, is_own_image_url, sanitize_html


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


def test_an_outside_picture_is_stripped() -> None:
    clean = sanitize_html('<p>封面</p><img src="https://evil/x.png" alt="封面">')
    assert clean == "<p>封面</p>"


@pytest.mark.parametrize(
    "src",
    [
        "data:image/png;base64,iVBORw0KGgo=",
        "DATA:image/svg+xml,<svg onload=alert(1)>",
        "//evil.example/x.png",
        "/\\evil.example/x.png",
        "/media//evil.example/x.png",
        "http://evil/media/x.png",
        "javascript:alert(1)",
        "/media/../admin/",
        "/media/%2e%2e/a/other/office/members/",  # browsers decode %2e%2e to ..
        "/media/x/%2E%2E/%2e%2e/admin/",
        "/media/%5cevil.example/x.png",
        "/media/%2f%2fevil.example/x.png",
        "/static/x.png",
        "/a/demo/office/members/",  # an own page, but not a picture's
        " /media/x.png",
    ],
)
def test_no_picture_but_the_platforms_own(src: str) -> None:
    clean = sanitize_html(f'<p>图</p><img src="{src}" alt="图">')
    assert "<img" not in clean and "evil" not in clean
    assert clean == "<p>图</p>"


def test_an_own_picture_is_kept_with_its_text_and_nothing_else() -> None:
    clean = sanitize_html(
        '<p>现场</p><img src="/media/events/covers/2026/12/ab12.jpg" alt="年会现场" '
        'onerror="alert(1)" style="width:9999px">'
        '<img src="/a/demo-chamber/events/12/cover/" alt="封面">'
    )
    assert clean == (
        '<p>现场</p><img src="/media/events/covers/2026/12/ab12.jpg" alt="年会现场">'
        '<img src="/a/demo-chamber/events/12/cover/" alt="封面">'
    )


def test_a_quote_in_the_alt_text_cannot_bring_a_refused_picture_back() -> None:
    clean = sanitize_html('<img alt="x> <img src=/media/a.png" src="https://evil/x.png">')
    assert "<img" not in clean and "evil" not in clean


@override_settings(MEDIA_URL="https://files.shanghui.example/media/")
def test_the_storages_own_address_counts_as_own() -> None:
    assert is_own_image_url("https://files.shanghui.example/media/a/b.png")
    assert not is_own_image_url("https://files.shanghui.example.evil/media/a.png")
    assert not is_own_image_url("/media/a.png")


def test_the_widget_tells_the_editor_which_pictures_it_may_keep() -> None:
    html = RichTextarea().render("body", "<p>x</p>")
    assert "data-rich-text" in html and 'data-own-images="/media/"' in html
    assert 'data-label-bold="加粗"' in html


def test_an_own_picture_keeps_its_version_and_nothing_else_in_its_query() -> None:
    assert is_own_image_url("/a/jiashi/news/images/7/picture/?v=0a1b2c3d4e")
    assert not is_own_image_url("/a/jiashi/news/images/7/picture/?v=0a1b&x=1")
    assert not is_own_image_url("/a/jiashi/news/images/7/picture/?next=//evil.example")
    body = sanitize_html('<p><img src="/a/jiashi/news/images/7/picture/?v=0a1b2c3d4e"></p>')
    assert 'src="/a/jiashi/news/images/7/picture/?v=0a1b2c3d4e"' in body
