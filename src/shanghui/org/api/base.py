"""The organisation structure's router and what its endpoints share: the caller, and the
read and write permission checks (``shanghui.org``)."""

from django.http import HttpRequest
from ninja import Router

from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations.models import Association

org_router = Router(tags=["组织架构"])


def reader(request: HttpRequest) -> Association:
    require_perm(current_role(request), Perm.VIEW_SPACE)
    return current_association(request)


def editor(request: HttpRequest, perm: Perm) -> Association:
    require_perm(current_role(request), perm)
    return current_association(request)
