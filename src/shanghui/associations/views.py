from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts import onboarding
from shanghui.accounts import selectors as account_selectors
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.forms import InviteForm, RoleChangeForm
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.roles import access_role, role_change, role_revoke
from shanghui.accounts.services import current_privacy_notice, invitation_resend, person_invite
from shanghui.associations import selectors, services
from shanghui.associations.forms import (
    OnboardingForm,
    ProfileForm,
    RejectForm,
    StatusForm,
)
from shanghui.associations.models import Association
from shanghui.core.forms import add_service_errors
from shanghui.core.http import TenantRequest, attachment_response
from shanghui.core.models import AuditEntry
from shanghui.core.regions import region_full_name

# --- Onboarding (public) ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def onboarding_apply(request: HttpRequest) -> HttpResponseBase:
    form = OnboardingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "certificate"}
        try:
            services.onboarding_apply(
                actor=signed_in_user(request) if request.user.is_authenticated else None,
                data=services.OnboardingInput(**data),
                certificate=form.cleaned_data["certificate"],
                privacy_notice=current_privacy_notice().version,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("onboarding_done")
    return render(request, "associations/onboarding_apply.html", {"form": form})


@require_GET
def onboarding_done(request: HttpRequest) -> HttpResponse:
    return render(request, "associations/onboarding_done.html")


# --- Platform console (operators) -------------------------------------------------------


@login_required
@require_GET
def platform_dashboard(request: HttpRequest) -> HttpResponse:
    account_selectors.access_platform_operator(actor=request.user)
    pending = selectors.onboarding_applications(status="pending")[:20]
    return render(
        request,
        "associations/platform_dashboard.html",
        {"counts": selectors.platform_overview(), "pending": pending},
    )


@login_required
@require_GET
def platform_applications(request: HttpRequest) -> HttpResponse:
    account_selectors.access_platform_operator(actor=request.user)
    status = request.GET.get("status", "pending")
    page = Paginator(selectors.onboarding_applications(status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request, "associations/platform_applications.html", {"page_obj": page, "status": status}
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_application(request: HttpRequest, application_id: int) -> HttpResponseBase:
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    reject_form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                association = onboarding.onboarding_approve(
                    actor=signed_in_user(request), application=application
                )
                messages.success(
                    request,
                    _("已通过，%(name)s 的管理员将收到开通邀请") % {"name": association.short_name},
                )
                return redirect("platform:applications")
            if reject_form.is_valid():
                services.onboarding_reject(
                    actor=signed_in_user(request),
                    application=application,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(request, _("已驳回并通知申请人"))
                return redirect("platform:applications")
        except ValidationError as exc:
            add_service_errors(reject_form, exc)
    return render(
        request,
        "associations/platform_application.html",
        {
            "application": application,
            "reject_form": reject_form,
            "region_name": region_full_name(application.association.region_code),
        },
    )


@login_required
@require_GET
def platform_application_certificate(request: HttpRequest, application_id: int) -> FileResponse:
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    name = (application.certificate.name or "certificate").rsplit("/", 1)[-1]
    return attachment_response(application.certificate, name, inline=True)


@login_required
@require_GET
def platform_associations(request: HttpRequest) -> HttpResponse:
    account_selectors.access_platform_operator(actor=request.user)
    qs = Association.objects.exclude(status=Association.Status.APPLYING).order_by("name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "associations/platform_associations.html", {"page_obj": page})


@login_required
@require_POST
def platform_association_reinvite(request: HttpRequest, association_id: int) -> HttpResponseBase:
    """Re-sends the activation link to the association's administrators who have not set a
    password yet (an expired first invitation)."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    sent = onboarding.admin_invitations_resend(
        actor=signed_in_user(request), association=association
    )
    if sent:
        messages.success(request, _("已重新发送 %(count)d 份管理员开通邀请") % {"count": sent})
    else:
        messages.info(request, _("该商协会的管理员均已开通账号"))
    return redirect("platform:associations")


@login_required
@require_POST
def platform_association_status(request: HttpRequest, association_id: int) -> HttpResponseBase:
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.association_set_status(
                actor=signed_in_user(request),
                association=association,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(
                request, _("已更新 %(name)s 的状态") % {"name": association.short_name}
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return redirect("platform:associations")


# --- Back office (secretariat) ----------------------------------------------------------


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
            return redirect("office:roles", association_slug=association.slug)
    roles = (
        Role.objects.filter(association=association, is_active=True)
        .select_related("user")
        .order_by("kind", "created_at")
    )
    page = Paginator(roles, 50).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "kinds": Role.Kind.choices,
        "invitations": account_selectors.pending_invitations(association)[:50],
    }
    return render(request, "associations/office_roles.html", context)


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
    return redirect("office:roles", association_slug=association.slug)


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
    return redirect("office:roles", association_slug=association.slug)


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
    return redirect("office:roles", association_slug=association_slug)


@login_required
@require_GET
def office_audit(request: TenantRequest, association_slug: str) -> HttpResponse:
    require_perm(request.role, Perm.VIEW_AUDIT)
    qs = (
        AuditEntry.objects.filter(association=request.association)
        .select_related("actor")
        .order_by("-created_at")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "associations/office_audit.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.EDIT_SETTINGS)
    association: Association = request.association
    form = ProfileForm(
        request.POST or None,
        initial={"short_name": association.short_name, "introduction": association.introduction},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update_profile(
                actor=signed_in_user(request), association=association, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("office:settings", association_slug=association.slug)
    return render(request, "associations/office_settings.html", {"form": form})
