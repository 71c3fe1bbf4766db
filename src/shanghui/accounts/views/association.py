"""The back office's pages about the association itself: its audit log (操作日志) and its
settings (商会设置)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.forms import (
    ProfileForm,
)
from shanghui.associations.models import Association
from shanghui.associations.services import associations as association_services
from shanghui.core.forms import add_service_errors
from shanghui.core.models import AuditEntry


@login_required
@require_GET
def office_audit(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.VIEW_AUDIT)
    qs = (
        AuditEntry.objects.filter(association=request.association)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "associations/office/audit.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    association: Association = request.association
    form = ProfileForm(
        request.POST or None,
        initial={"short_name": association.short_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            association_services.association_update_profile(
                actor=signed_in_user(request), association=association, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("accounts:office_settings", association_slug=association.slug)
    return render(request, "associations/office/settings.html", {"form": form})
