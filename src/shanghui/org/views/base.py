"""What the organisation pages share: the signed-in user, running a service behind a form
or a button, the permission flags the templates use, and the generic edit page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from shanghui.accounts.permissions import has_perm
from shanghui.core.forms import add_service_errors
from shanghui.core.http import TenantRequest
from shanghui.org import selectors
from shanghui.org.access import EDIT_PEOPLE, EDIT_STRUCTURE
from shanghui.org.models import GroupMember


def saved(form: Form, save: Callable[[], object]) -> bool:
    """Runs a service with the form's data; its ValidationError lands on the form."""
    try:
        save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def act(request: TenantRequest, action: Callable[[], object], done: str) -> None:
    """Runs a service behind a button; its outcome becomes a message."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)


def can(request: TenantRequest) -> dict[str, bool]:
    return {
        "can_structure": has_perm(request.role, EDIT_STRUCTURE),
        "can_people": has_perm(request.role, EDIT_PEOPLE),
    }


def url_for(name: str, request: TenantRequest, **kwargs: Any) -> str:
    return reverse(f"org:{name}", kwargs={"association_slug": request.association.slug, **kwargs})


def go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"org:{name}", association_slug=request.association.slug, **kwargs)


def edit_page(
    request: TenantRequest,
    form: Form,
    *,
    title: str,
    back: str,
    delete_url: str = "",
    confirm: str = "",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "back": back,
        "delete_url": delete_url,
        "confirm": confirm,
    }
    return render(request, "org/edit.html", context)


def group_rows(
    request: TenantRequest, groups: list[GroupMember]
) -> list[tuple[GroupMember, selectors.GroupFigures | None]]:
    figures = selectors.group_member_figures(association=request.association, groups=groups)
    return [(group, figures.get(group.pk)) for group in groups]
