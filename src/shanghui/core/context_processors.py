"""Navigation for the page shells: the member tab bar and the back-office sidebar. A module
adds its entry here when it adds pages."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shanghui.accounts.permissions import Perm, has_perm
from shanghui.core.personal_center import personal_links
from shanghui.core.todos import section_badges


def _item(request: HttpRequest, label: str, url: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "url": url, "active": request.path.startswith(url), **extra}


def _unread_notices(association: Any, user: Any) -> Any:
    """The member's unread event notices, as a badge on the 活动 tab — counted only when a
    page actually shows the tab bar."""
    from shanghui.events.selectors import unread_notice_count

    return SimpleLazyObject(lambda: unread_notice_count(association=association, user=user))


def _office_section(
    request: HttpRequest, label: str, url_name: str, slug: dict[str, str], badges: Any
) -> dict[str, Any]:
    """A sidebar entry with the count of its section's to-do items (``core.todos``) as a
    badge; the counts are computed once, when a page shows the sidebar."""
    return _item(
        request,
        label,
        reverse(url_name, kwargs=slug),
        badge=SimpleLazyObject(lambda: badges.get(url_name, 0)),
    )


def _on_my_pages(request: HttpRequest, me: str, slug: dict[str, str], role: Any) -> bool:
    """我的 stays lit on the pages it leads to (我的会费 …), wherever their app put them."""
    links = personal_links(association_slug=slug["association_slug"], role=role)
    return any(request.path.startswith(url) for url in [me, *(link.url for link in links)])


def shell(request: HttpRequest) -> dict[str, Any]:
    association = getattr(request, "association", None)
    role = getattr(request, "role", None)
    context: dict[str, Any] = {"mobile_tabs": [], "office_nav": []}
    user = getattr(request, "user", None)
    if getattr(user, "is_platform_operator", False) and request.path.startswith("/platform/"):
        context["office_nav"] = [
            {
                **_item(request, _("概览"), reverse("platform:dashboard")),
                "active": request.path == reverse("platform:dashboard"),
            },
            _item(request, _("入驻审核"), reverse("platform:applications")),
            _item(request, _("商协会"), reverse("platform:associations")),
        ]
    if association is None or role is None:
        return context
    slug = {"association_slug": association.slug}
    home = reverse("space:home", kwargs=slug)
    me = reverse("space:me", kwargs=slug)
    context["mobile_tabs"] = [
        {**_item(request, _("首页"), home), "active": request.path == home, "icon": "home"},
        {
            **_item(request, _("通讯录"), reverse("space:directory", kwargs=slug)),
            "icon": "contacts",
        },
        {
            **_item(request, _("活动"), reverse("events:list", kwargs=slug)),
            "icon": "calendar",
            "badge": _unread_notices(association, user),
        },
        {
            **_item(request, _("我的"), me),
            "icon": "me",
            "active": _on_my_pages(request, me, slug, role),
        },
    ]
    if has_perm(role, Perm.VIEW_OFFICE):
        office_home = reverse("office:dashboard", kwargs=slug)
        badges = SimpleLazyObject(lambda: section_badges(request))
        nav = [
            {**_item(request, _("工作台"), office_home), "active": request.path == office_home},
            _item(request, pgettext("navigation", "会员"), reverse("office:members", kwargs=slug)),
            _office_section(request, _("入会申请"), "office:applications", slug, badges),
            _office_section(request, _("会费"), "office:dues", slug, badges),
            _item(request, _("组织架构"), reverse("org:overview", kwargs=slug)),
        ]
        if has_perm(role, Perm.MANAGE_EVENTS):
            nav.append(_office_section(request, _("活动/会务"), "events:office_list", slug, badges))
        if has_perm(role, Perm.MANAGE_ROLES):
            nav.append(_item(request, _("人员与角色"), reverse("office:roles", kwargs=slug)))
        if has_perm(role, Perm.VIEW_AUDIT):
            nav.append(_item(request, _("操作日志"), reverse("office:audit", kwargs=slug)))
        if has_perm(role, Perm.EDIT_SETTINGS):
            nav.append(
                _item(request, _("会员级别与入会规则"), reverse("office:levels", kwargs=slug))
            )
            nav.append(_item(request, _("商会设置"), reverse("office:settings", kwargs=slug)))
        nav.append({**_item(request, _("会员端"), home), "active": False})
        context["office_nav"] = nav
    return context
