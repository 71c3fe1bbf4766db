"""Associations as anyone sees them: the platform's list and an association's public profile.
``tenant_router`` is the router every app's endpoints under ``/associations/{slug}`` hang from
(assembled in ``site.api``)."""

from django.http import HttpRequest
from ninja import Path, Router
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
def association_list(request: HttpRequest) -> object:
    """Associations on the platform (public)."""
    return selectors.active_associations()


@tenant_router.get(
    "",
    operation_id="shanghui_associations_api_association_detail",
    auth=None,
    response={200: AssociationOut, **ERRORS},
)
def association_detail(request: _AssociationRequest, slug: Path[str]) -> object:
    """An association's public profile."""
    return request.association  # set by the tenant door (site.api mounts tenant_operation)
