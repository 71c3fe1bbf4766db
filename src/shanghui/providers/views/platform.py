"""The platform console's providers (operators only): the applications and providers, one
provider with its licence scan, and the decision (approve, reject, suspend)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.selectors import access_platform_operator
from shanghui.core.forms import add_service_errors
from shanghui.core.http import content_disposition
from shanghui.core.regions import region_full_name
from shanghui.core.storage.files import content_type_of
from shanghui.providers.forms.provider import ProviderDecisionForm
from shanghui.providers.models import LICENCES
from shanghui.providers.selectors import provider as selectors
from shanghui.providers.services import providers as services


@login_required
@require_GET
def platform_providers(request: HttpRequest) -> HttpResponse:
    access_platform_operator(actor=request.user)
    status = request.GET.get("status", "pending")
    page = Paginator(selectors.providers_for_operator(status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request, "providers/platform/providers.html", {"page_obj": page, "status": status}
    )


def _detail(request: HttpRequest, provider_id: int, form: ProviderDecisionForm) -> HttpResponse:
    provider = selectors.access_provider_for_operator(
        actor=signed_in_user(request), provider_id=provider_id
    )
    return render(
        request,
        "providers/platform/provider.html",
        {
            "provider": provider,
            "form": form,
            "licence_label": LICENCES.get(provider.category, ""),
            "region_name": region_full_name(provider.region_code),
        },
    )


@login_required
@require_GET
def platform_provider(request: HttpRequest, provider_id: int) -> HttpResponse:
    return _detail(request, provider_id, ProviderDecisionForm())


@login_required
@require_POST
def platform_provider_decide(request: HttpRequest, provider_id: int) -> HttpResponseBase:
    actor = signed_in_user(request)
    provider = selectors.access_provider_for_operator(actor=actor, provider_id=provider_id)
    form = ProviderDecisionForm(request.POST)
    decision = request.POST.get("decision", "")
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if decision == "approve":
                services.provider_approve(actor=actor, provider=provider)
                messages.success(request, _("已通过，申请人成为该服务商后台的管理员"))
            elif decision == "reject":
                services.provider_reject(actor=actor, provider=provider, reason=reason)
                messages.success(request, _("已驳回并通知申请人"))
            elif decision == "suspend":
                services.provider_suspend(actor=actor, provider=provider, reason=reason)
                messages.success(request, _("已暂停该服务商"))
            else:
                raise ValidationError(_("请选择审核结果"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("providers:platform_provider", provider_id=provider.pk)
    return _detail(request, provider_id, form)


@login_required
@require_GET
def platform_provider_licence(request: HttpRequest, provider_id: int) -> StreamingHttpResponse:
    provider = selectors.access_provider_for_operator(
        actor=signed_in_user(request), provider_id=provider_id
    )
    if not provider.licence_file_key:
        raise Http404
    name = provider.licence_file_name or "licence"
    response = StreamingHttpResponse(
        services.licence_blocks(provider), content_type=content_type_of(name)
    )
    response["Content-Disposition"] = content_disposition(name, inline=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
