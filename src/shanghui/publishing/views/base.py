"""What the publishing pages share."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.shortcuts import redirect

from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.publishing import selectors
from shanghui.publishing.models import Article


def require_editor(request: TenantRequest) -> None:
    """404 for strangers, 403 for members who neither edit nor publish content."""
    role = require_member(request.role)
    if not selectors.may_edit(role):
        raise PermissionDenied


def office_article(request: TenantRequest, article_id: int) -> Article:
    require_editor(request)
    return selectors.access_article_for_editor(
        association=request.association, article_id=article_id, role=request.role
    )


def go(name: str, request: TenantRequest, **kwargs: Any) -> HttpResponseBase:
    return redirect(f"publishing:{name}", association_slug=request.association.slug, **kwargs)
