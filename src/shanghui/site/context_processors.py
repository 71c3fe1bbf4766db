"""Navigation for the page shells: the member tab bar, the back-office sidebar and the
platform's sidebar. Each app contributes its own entries (``core.contributions``: MOBILE_TABS,
OFFICE_NAV, PLATFORM_NAV); this puts them in order for the request, lit and with their
badges."""

from functools import lru_cache, partial
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject

from shanghui.accounts.permissions import Perm, has_perm
from shanghui.core.contributions import (
    MOBILE_TABS,
    OFFICE_NAV,
    PLATFORM_NAV,
    TODOS,
    NavItem,
    personal_links,
)
from shanghui.core.inbox import request_unread_count
from shanghui.site.todos import section_badges


@lru_cache(maxsize=4096)
def _reversed(url_name: str, slug: str | None, prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, kwargs={"association_slug": slug} if slug else None, urlconf=urlconf)


def _url(url_name: str, slug: str | None) -> str:
    """An entry's URL: the same for everyone in an association, so reversed once per process
    (a dozen ``reverse`` calls on every page otherwise). The URLs carry no language; the
    script prefix and the URL configuration, which could differ, are part of the key."""
    return _reversed(url_name, slug, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


def _entry(
    request: HttpRequest, item: NavItem, *, slug: str | None = None, role: Any = None
) -> dict[str, Any]:
    url = _url(item.url_name, slug)
    if item.lit == "exact":
        active = request.path == url
    elif item.lit == "never":
        active = False
    elif item.lit == "personal" and slug:
        # 我的 stays lit on the pages it leads to (我的会费 …), wherever their app put them.
        links = personal_links(association_slug=slug, role=role)
        active = any(request.path.startswith(u) for u in [url, *(link.url for link in links)])
    else:
        active = request.path.startswith(url)
    entry: dict[str, Any] = {"label": item.label, "url": url, "active": active}
    if item.icon:
        entry["icon"] = item.icon
    if item.badge is not None:
        # Counted only when a page actually shows the entry.
        entry["badge"] = SimpleLazyObject(partial(item.badge, request))
    return entry


def _badge_of(request: HttpRequest, section: str) -> int:
    return section_badges(request).get(section, 0)


def _office_nav(request: HttpRequest, slug: str, role: Any) -> list[dict[str, Any]]:
    """The sidebar; a section with to-do items (TODOS) shows how many wait on the
    secretariat, counted once per request (``todos_of_request``), when a page shows the
    sidebar."""
    sections = {source.section for source in TODOS.entries()}
    nav = []
    for item in OFFICE_NAV.visible_to(role):
        entry = _entry(request, item, slug=slug, role=role)
        if item.url_name in sections:
            entry["badge"] = SimpleLazyObject(partial(_badge_of, request, item.url_name))
        nav.append(entry)
    return nav


def shell(request: HttpRequest) -> dict[str, Any]:
    association = getattr(request, "association", None)
    role = getattr(request, "role", None)
    context: dict[str, Any] = {"mobile_tabs": [], "office_nav": []}
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        # The unread badge of the person's inbox (every association): one indexed count,
        # made only if the page shows it, once per request.
        context["inbox_unread"] = SimpleLazyObject(partial(request_unread_count, request))
    if getattr(user, "is_platform_operator", False) and request.path.startswith("/platform/"):
        context["office_nav"] = [_entry(request, item) for item in PLATFORM_NAV.entries()]
    if association is None or role is None:
        return context
    slug = association.slug
    context["mobile_tabs"] = [
        _entry(request, item, slug=slug, role=role) for item in MOBILE_TABS.visible_to(role)
    ]
    if has_perm(role, Perm.VIEW_OFFICE):
        context["office_nav"] = _office_nav(request, association.slug, role)
    return context
