"""The platform console (operators only): overview, onboarding applications and their
decision, the associations, their status and their administrators' invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts import selectors as account_selectors
from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.services import onboarding
from shanghui.associations import selectors
from shanghui.associations.forms import (
    QuotaForm,
    RejectForm,
    StatusForm,
)
from shanghui.associations.models import Association
from shanghui.associations.services import associations as association_services
from shanghui.associations.services import onboarding as association_onboarding
from shanghui.core.forms import add_service_errors
from shanghui.core.regions import region_full_name
from shanghui.core.storage.content import content_usage, storage_quota
from shanghui.core.storage.files import file_response
from shanghui.core.tenancy import tenant_context


@login_required
@require_GET
def platform_dashboard(request: HttpRequest) -> HttpResponse:
    account_selectors.access_platform_operator(actor=request.user)
    pending = selectors.onboarding_applications(status="pending")[:20]
    return render(
        request,
        "associations/platform/dashboard.html",
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
        request, "associations/platform/applications.html", {"page_obj": page, "status": status}
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
                return redirect("accounts:platform_applications")
            if reject_form.is_valid():
                association_onboarding.onboarding_reject(
                    actor=signed_in_user(request),
                    application=application,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(request, _("已驳回并通知申请人"))
                return redirect("accounts:platform_applications")
        except ValidationError as exc:
            add_service_errors(reject_form, exc)
    return render(
        request,
        "associations/platform/application.html",
        {
            "application": application,
            "reject_form": reject_form,
            "region_name": region_full_name(application.association.region_code),
        },
    )


@login_required
@require_GET
def platform_application_certificate(
    request: HttpRequest, application_id: int
) -> StreamingHttpResponse:
    """The registration certificate the application came with: a stored file of the applying
    association, read in its tenant context (on PostgreSQL, row-level security)."""
    application = account_selectors.access_onboarding_application(
        actor=signed_in_user(request), application_id=application_id
    )
    association = application.association
    with tenant_context(association):
        stored = application.certificate
        if stored is None:
            raise Http404
        return file_response(association, stored, inline=True)


@login_required
@require_GET
def platform_associations(request: HttpRequest) -> HttpResponse:
    account_selectors.access_platform_operator(actor=request.user)
    qs = Association.objects.exclude(status=Association.Status.APPLYING).order_by("name", "id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # Each association's stored bytes, read in its own tenant context (row-level security).
    for association in page.object_list:
        used, quota = content_usage(association), storage_quota(association)
        figures = {
            "used": used,
            "quota": quota,
            "percent": min(100, round(used * 100 / quota)) if quota else 0,
            "gb": f"{quota / 1024**3:g}",
        }
        setattr(association, "storage", figures)  # noqa: B010 - for the template
    return render(request, "associations/platform/associations.html", {"page_obj": page})


@login_required
@require_POST
def platform_association_quota(request: HttpRequest, association_id: int) -> HttpResponseBase:
    """Sets an association's storage quota, entered in GB."""
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    form = QuotaForm(request.POST)
    if form.is_valid():
        try:
            association_services.association_set_quota(
                actor=signed_in_user(request),
                association=association,
                quota=int(form.cleaned_data["quota_gb"] * 1024**3),
            )
            messages.success(
                request,
                _("已将 %(name)s 的存储容量设为 %(gb)s GB")
                % {"name": association.short_name, "gb": form.cleaned_data["quota_gb"]},
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("accounts:platform_associations")


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
    return redirect("accounts:platform_associations")


@login_required
@require_POST
def platform_association_status(request: HttpRequest, association_id: int) -> HttpResponseBase:
    association = account_selectors.access_platform_association(
        actor=signed_in_user(request), association_id=association_id
    )
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            association_services.association_set_status(
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
    return redirect("accounts:platform_associations")
