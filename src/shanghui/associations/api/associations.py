"""Associations as anyone sees them: the platform's list and an association's public profile.
``tenant_router`` is the router every app's endpoints under ``/associations/{slug}`` hang from
(assembled in ``site.api``)."""

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.pagination import paginate

from shanghui.associations import selectors
from shanghui.associations.api.schemas import AssociationOut
from shanghui.associations.models import Association
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS

public_router = Router(tags=["商协会"])
tenant_router = Router(tags=["商协会"])


class _AssociationRequest(HttpRequest):
    """A request the tenant door let in (``accounts.tenant_door.TenantRequest``, a floor
    above this app, says the same and more)."""

    association: Association


@public_router.get(
    "",
    operation_id="shanghui_associations_api_association_list",
    auth=None,
    response={200: list[AssociationOut], **ERRORS},
)
@paginate(Pages)
def association_list(
    request: HttpRequest,
    q: str = Query("", max_length=50, description="名称、全拼、首字母，简体或繁体"),
    kind: str = Query("", max_length=20, description="类型"),
    region: str = Query("", max_length=6, description="省级行政区划代码（GB/T 2260），如 360000"),
) -> object:
    """Associations on the platform (public): the portal's directory, searchable."""
    return selectors.portal_directory(selectors.PortalFilters(q=q, kind=kind, region=region))


@tenant_router.get(
    "",
    operation_id="shanghui_associations_api_association_detail",
    auth=None,
    response={200: AssociationOut, **ERRORS},
)
def association_detail(request: _AssociationRequest, slug: Path[str]) -> object:
    """An association's public profile."""
    return request.association  # set by the tenant door (site.api mounts tenant_operation)
