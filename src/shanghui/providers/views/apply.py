"""Applying to the platform as a service provider (a signed-in person), and the page that
shows the person's applications and their state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.core.forms import add_service_errors
from shanghui.providers.forms.provider import ProviderApplyForm
from shanghui.providers.models import LICENCES, Category
from shanghui.providers.selectors.provider import applications_of_person
from shanghui.providers.services import providers as services


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponseBase:
    form = ProviderApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        licence = data["licence"]
        try:
            services.provider_apply(
                actor=signed_in_user(request),
                data=services.ProviderApplicationInput(
                    name=data["name"],
                    category=data["category"],
                    uscc=data["uscc"],
                    licence_number=data["licence_number"],
                    region_code=data["region_code"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    introduction=data["introduction"],
                    website=data["website"],
                ),
                licence=licence,
                licence_name=licence.name,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申请已提交，平台审核后将通知您"))
            return redirect("providers:apply_done")
    return render(
        request,
        "providers/public/apply.html",
        {
            "form": form,
            "licences": [(Category(key).label, licence) for key, licence in LICENCES.items()],
        },
    )


@login_required
@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "providers/public/apply_done.html",
        {"applications": applications_of_person(signed_in_user(request))},
    )
