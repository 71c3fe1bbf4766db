"""Applying to join the platform (入驻, public pages)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.services.account import current_privacy_notice
from shanghui.associations.forms import (
    OnboardingForm,
)
from shanghui.associations.services import onboarding as association_onboarding
from shanghui.core.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def onboarding_apply(request: HttpRequest) -> HttpResponseBase:
    form = OnboardingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "certificate"}
        try:
            association_onboarding.onboarding_apply(
                actor=signed_in_user(request) if request.user.is_authenticated else None,
                data=association_onboarding.OnboardingInput(**data),
                certificate=form.cleaned_data["certificate"],
                privacy_notice=current_privacy_notice().version,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("accounts:onboarding_done")
    return render(request, "associations/public/onboarding_apply.html", {"form": form})


@require_GET
def onboarding_done(request: HttpRequest) -> HttpResponse:
    return render(request, "associations/public/onboarding_done.html")
