"""News categories (anyone may list them; whoever publishes content changes them) and the
association's portal opt-in (its administrators)."""

from django.http import HttpRequest
from ninja import Path, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import current_association
from shanghui.core.apikit.schemas import ERRORS
from shanghui.publishing import selectors
from shanghui.publishing.api.base import editor, publishing_router
from shanghui.publishing.api.schemas import (
    CategoryIn,
    CategoryOut,
)
from shanghui.publishing.services import categories as category_services


@publishing_router.get("/categories", auth=None, response={200: list[CategoryOut], **ERRORS})
def category_list(request: HttpRequest, slug: Path[str]) -> object:
    """The association's news categories, in order."""
    return list(selectors.categories(current_association(request)))


@publishing_router.post("/categories", response={201: CategoryOut, **ERRORS})
def category_create(request: HttpRequest, slug: Path[str], payload: CategoryIn) -> object:
    association, role = editor(request)
    category = category_services.category_create(
        association=association,
        actor=signed_in_user(request),
        role=role,
        name=payload.name,
        sort_order=payload.sort_order,
    )
    return Status(201, category)


@publishing_router.put("/categories/{category_id}", response={200: CategoryOut, **ERRORS})
def category_update(
    request: HttpRequest, slug: Path[str], category_id: Path[int], payload: CategoryIn
) -> object:
    association, role = editor(request)
    category = selectors.access_category(association=association, category_id=category_id)
    return category_services.category_update(
        association=association,
        actor=signed_in_user(request),
        role=role,
        category=category,
        name=payload.name,
        sort_order=payload.sort_order,
    )


@publishing_router.delete("/categories/{category_id}", response={204: None, **ERRORS})
def category_delete(request: HttpRequest, slug: Path[str], category_id: Path[int]) -> object:
    """Deletes a category; its articles stay, without one."""
    association, role = editor(request)
    category = selectors.access_category(association=association, category_id=category_id)
    category_services.category_delete(
        association=association, actor=signed_in_user(request), role=role, category=category
    )
    return Status(204, None)
