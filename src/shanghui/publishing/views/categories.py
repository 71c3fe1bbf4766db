"""The association's news categories (back office)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.editing import act, submit
from shanghui.publishing import selectors
from shanghui.publishing.forms import CategoryForm
from shanghui.publishing.services import categories as category_services
from shanghui.publishing.views.base import go, require_editor


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_editor(request)
    association = request.association
    form = CategoryForm(request.POST or None)

    def save() -> None:
        category_services.category_create(
            association=association,
            actor=signed_in_user(request),
            role=request.role,
            name=form.cleaned_data["name"],
            sort_order=form.cleaned_data["sort_order"] or 0,
        )

    if submit(request, form, save, _("已添加栏目")):
        return go("office_categories", request)
    return render(
        request,
        "publishing/office/categories.html",
        {
            "form": form,
            "categories": selectors.categories_ensure(association),
            "may_publish": selectors.may_publish(request.role),
        },
    )


@login_required
@require_POST
def category_delete(
    request: TenantRequest, association_slug: str, category_id: int
) -> HttpResponseBase:
    require_editor(request)
    category = selectors.access_category(association=request.association, category_id=category_id)
    act(
        request,
        lambda: category_services.category_delete(
            association=request.association,
            actor=signed_in_user(request),
            role=request.role,
            category=category,
        ),
        _("已删除栏目"),
    )
    return go("office_categories", request)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(
    request: TenantRequest, association_slug: str, category_id: int
) -> HttpResponseBase:
    """Rename a category or change its place (``PUBLISH_CONTENT``, checked by the service)."""
    require_editor(request)
    category = selectors.access_category(association=request.association, category_id=category_id)
    form = CategoryForm(
        request.POST or None, initial={"name": category.name, "sort_order": category.sort_order}
    )

    def save() -> None:
        category_services.category_update(
            association=request.association,
            actor=signed_in_user(request),
            role=request.role,
            category=category,
            name=form.cleaned_data["name"],
            sort_order=form.cleaned_data["sort_order"] or 0,
        )

    if submit(request, form, save, _("已保存栏目")):
        return go("office_categories", request)
    return render(request, "publishing/office/category.html", {"form": form, "category": category})
