"""The back office's people and roles page (人员与角色, administrators): inviting people by
phone, changing and ending roles, re-sending invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shanghui.accounts import selectors as account_selectors
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.forms import InviteForm, RoleChangeForm
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import GRANTABLE, Perm, require_perm
from shanghui.accounts.services.invitations import invitation_resend, person_invite
from shanghui.accounts.services.roles import (
    access_role,
    role_change,
    role_grants_set,
    role_revoke,
)
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.models import Association
from shanghui.core.forms import add_service_errors


@login_required
@require_http_methods(["GET", "POST"])
def office_roles(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_ROLES)
    association: Association = request.association
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person_invite(
                association=association,
                actor=signed_in_user(request),
                phone=form.cleaned_data["phone"],
                name=form.cleaned_data["name"],
                role_kind=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The same answer whether the number has an account: the person joins on accepting.
            messages.success(
                request,
                _("已发送邀请给 %(name)s，对方接受后即加入") % {"name": form.cleaned_data["name"]},
            )
            return redirect("accounts:office_roles", association_slug=association.slug)
    roles = (
        Role.objects.filter(association=association, is_active=True)
        .select_related("user")
        .order_by("kind", "created_at", "id")
    )
    page = Paginator(roles, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "kinds": Role.Kind.choices,
        "grantable": {kind: sorted(p.value for p in perms) for kind, perms in GRANTABLE.items()},
        "publish_content": Perm.PUBLISH_CONTENT.value,
        "invitations": account_selectors.pending_invitations(association)[:50],
    }
    return render(request, "associations/office/roles.html", context)


@login_required
@require_POST
def office_role_change(
    request: TenantRequest, association_slug: str, role_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_ROLES)
    association: Association = request.association
    role = access_role(association=association, role_id=role_id)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择角色"))
    else:
        try:
            role = role_change(
                association=association,
                actor=signed_in_user(request),
                role=role,
                kind=form.cleaned_data["role"],
            )
            messages.success(
                request,
                _("%(name)s 的角色已改为 %(role)s")
                % {"name": role.user.name, "role": role.get_kind_display()},
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("accounts:office_roles", association_slug=association.slug)


@login_required
@require_POST
def office_role_grants(
    request: TenantRequest, association_slug: str, role_id: int
) -> HttpResponseBase:
    """The permissions granted beyond a role's kind (a staff member who publishes news)."""
    require_perm(request.role, Perm.MANAGE_ROLES)
    association: Association = request.association
    role = access_role(association=association, role_id=role_id)
    try:
        role = role_grants_set(
            association=association,
            actor=signed_in_user(request),
            role=role,
            grants=request.POST.getlist("grants"),
        )
        messages.success(request, _("已更新 %(name)s 的权限") % {"name": role.user.name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("accounts:office_roles", association_slug=association.slug)


@login_required
@require_POST
def office_role_revoke(
    request: TenantRequest, association_slug: str, role_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_ROLES)
    association: Association = request.association
    role = access_role(association=association, role_id=role_id)
    try:
        role_revoke(association=association, actor=signed_in_user(request), role=role)
        messages.success(request, _("已移除 %(name)s 的角色") % {"name": role.user.name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("accounts:office_roles", association_slug=association.slug)


@login_required
@require_POST
def office_role_reinvite(
    request: TenantRequest, association_slug: str, role_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_ROLES)
    role = access_role(association=request.association, role_id=role_id)
    try:
        invitation_resend(association=request.association, actor=signed_in_user(request), role=role)
        messages.success(request, _("已重新发送开通邀请给 %(name)s") % {"name": role.user.name})
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("accounts:office_roles", association_slug=association_slug)
