"""The publishing router and what its endpoints share."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations.models import Association
from shanghui.publishing import selectors
from shanghui.publishing.models import Article

publishing_router = Router(tags=["资讯"])


def editor(request: HttpRequest) -> tuple[Association, Role]:
    """404 for strangers, 403 for members who neither edit nor publish content."""
    role = require_member(current_role(request))
    if not selectors.may_edit(role):
        raise PermissionDenied
    return current_association(request), role


def article_for_editor(request: HttpRequest, article_id: int) -> Article:
    association, role = editor(request)
    return selectors.access_article_for_editor(
        association=association, article_id=article_id, role=role
    )
