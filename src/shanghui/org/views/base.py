"""What the organisation pages share: the permission flags the templates use, their URLs and
the generic edit page (forms and buttons run their services through ``core.editing``)."""

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shanghui.accounts.permissions import Perm, has_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import submit
from shanghui.org import selectors
from shanghui.org.models import GroupMember


def can(request: TenantRequest) -> dict[str, bool]:
    return {
        "can_structure": has_perm(request.role, Perm.EDIT_SETTINGS),
        "can_people": has_perm(request.role, Perm.MANAGE_MEMBERS),
    }


def url_for(name: str, request: TenantRequest, **kwargs: Any) -> str:
    return reverse(f"org:{name}", kwargs={"association_slug": request.association.slug, **kwargs})


def go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"org:{name}", association_slug=request.association.slug, **kwargs)


def edit_page(
    request: TenantRequest,
    form: Form,
    save: Callable[[], object],
    *,
    title: str,
    back: str,
    delete_url: str = "",
    confirm: str = "",
) -> HttpResponseBase:
    """One item's edit page: once ``save`` has run with the posted form, 已保存 and back to
    ``back``; otherwise the form (with the service's refusal on it)."""
    if submit(request, form, save, _("已保存")):
        return redirect(back)
    context = {
        "form": form,
        "title": title,
        "back": back,
        "delete_url": delete_url,
        "confirm": confirm,
    }
    return render(request, "org/office/edit.html", context)


def group_rows(
    request: TenantRequest, groups: list[GroupMember]
) -> list[tuple[GroupMember, selectors.GroupFigures | None]]:
    figures = selectors.group_member_figures(association=request.association, groups=groups)
    return [(group, figures.get(group.pk)) for group in groups]
