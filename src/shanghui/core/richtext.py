"""Rich text: what the editor sends, cleaned before it is stored, and the form widget that
carries the editor (``shanghui/richtext.js`` on top of the vendored pell).

Every module that stores formatted text (an event's description, minutes, announcements,
articles) stores ``sanitize_html``'s output and renders it with ``|safe`` inside
``.sh-richtext``. Pictures are kept only where they are the platform's own: a relative path
under ``MEDIA_URL`` or under an association's own routes (``/a/<slug>/…``, the pages that
serve covers, logos and photos after their access check). A picture from another host would
tell that host who read the page and when; a ``data:`` URL can carry anything."""

import re
from html import escape
from typing import Any
from urllib.parse import unquote

import nh3
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "img",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt"},
}
# The association's own pages that serve a picture after their access check (an event's
# cover, a member's logo, a person's photo, an article picture): /a/<slug>/…/cover/ and the like,
# with the stored file's version (``?v=``, ``core.uploads.picture_version``) or without.
OWN_PICTURE_ROUTE = re.compile(
    r"/a/[A-Za-z0-9_-]+/(?:[A-Za-z0-9_-]+/)*(?:cover|logo|photo|picture)/(?:\?v=[0-9a-f]{1,32})?"
)
_TAG = re.compile(r"<[a-zA-Z/!]")
# After the path's known start: nothing a browser could read as another host ("//", "\",
# whitespace it strips) — letters, digits and the punctuation of paths and queries only.
_OWN_PATH_REST = re.compile(r"[A-Za-z0-9_.~%/=&?+-]*")
# nh3 writes every attribute as name="value" with "<", ">" and '"' escaped inside the value.
_IMG = re.compile(r'<img((?: [a-z-]+="[^"]*")*) ?/?>')
_ATTRIBUTE_NAME = re.compile(r' ([a-z-]+)="[^"]*"')


def _media_prefix() -> str:
    media = str(settings.MEDIA_URL or "")
    return media if media.endswith("/") and media != "/" else ""


def is_own_image_url(url: str) -> bool:
    """Whether a picture's address is the platform's own: a file under ``MEDIA_URL`` (a
    relative path, or the storage's own absolute address) or an association's picture page —
    never another host, a protocol-relative ``//host`` path, ``data:`` or ``javascript:``."""
    value = url or ""
    if OWN_PICTURE_ROUTE.fullmatch(value):
        return True
    media = _media_prefix()
    if not media or not value.startswith(media):
        return False
    rest = value[len(media) :]
    if not _OWN_PATH_REST.fullmatch(rest):
        return False
    # Browsers decode %2e%2e as ".." and %5c as "\": judge the path as they will read it.
    decoded = unquote(rest)
    return not (decoded.startswith("/") or ".." in decoded or "\\" in decoded or "//" in decoded)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if is_own_image_url(value) else None
    return value


def sanitize_html(value: str) -> str:
    """Rich text from the editor, reduced to harmless formatting (no scripts, styles, event
    handlers, and no pictures but the platform's own). Plain text (typed where the editor
    could not load, or sent by the API) keeps its lines as paragraphs."""
    text = value or ""
    if text.strip() and not _TAG.search(text):
        text = "".join(
            f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
        )
    clean = nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
    )
    # A picture whose address was refused goes altogether (no empty frame, no alt text).
    return _IMG.sub(_without_refused_picture, clean)


def _without_refused_picture(match: re.Match[str]) -> str:
    return match.group(0) if "src" in _ATTRIBUTE_NAME.findall(match.group(1)) else ""


class RichTextarea(forms.Textarea):
    """A textarea that ``shanghui/richtext.js`` turns into a small editor (bold, headings,
    lists, links) with the vendored pell; without JavaScript it stays a textarea of HTML.
    The page loads ``vendor/pell/pell.min.{js,css}``, ``shanghui/richtext.{js,css}``. The
    server sanitises whatever arrives (``sanitize_html``)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 10, "data-rich-text": "", **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        labels = {
            "data-label-bold": _("加粗"),
            "data-label-heading": _("标题"),
            "data-label-subheading": _("小标题"),
            "data-label-paragraph": _("正文"),
            "data-label-ulist": _("项目符号列表"),
            "data-label-olist": _("编号列表"),
            "data-label-link": _("链接"),
            "data-label-link-prompt": _("链接地址（以 https:// 开头）"),
            "data-label-unlink": _("取消链接"),
            # The editor keeps the pictures the server keeps (pasted ones from elsewhere go).
            "data-own-images": _media_prefix(),
        }
        return super().get_context(name, value, {**labels, **(attrs or {})})
