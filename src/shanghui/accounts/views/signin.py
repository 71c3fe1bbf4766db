"""Signing in and out: password, SMS code, the lock-out page, resetting a forgotten password,
and where a person lands after signing in."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shanghui.accounts.forms import (
    LoginForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    SignInCodeForm,
)
from shanghui.accounts.models import Role, User
from shanghui.accounts.selectors import roles_of_person
from shanghui.accounts.services import signin
from shanghui.core.forms import add_service_errors
from shanghui.core.notifications import NotSent
from shanghui.core.ratelimit import RateLimited
from shanghui.core.sms_codes import sms_code_refused_message


def code_not_sent() -> str:
    """What the person is told when the gateway refused their code: never "sent"."""
    return _("验证码短信未能发送（短信服务暂时不可用），请稍后重试。")


def landing_url(user: User) -> str:
    """Where a person goes after signing in: straight into their association when they have
    one (back office for the secretariat), else the personal center."""
    if user.is_platform_operator:
        return reverse("accounts:platform_dashboard")
    roles = roles_of_person(user)
    if len(roles) == 1:
        role = roles[0]
        slug = role.association.slug
        if role.kind in {Role.Kind.ADMIN, Role.Kind.STAFF}:
            return reverse("site:office_dashboard", kwargs={"association_slug": slug})
        return reverse("members:home", kwargs={"association_slug": slug})
    return reverse("accounts:me")


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponseBase:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signin.sign_in_password(
                request=request,
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
            )
        except signin.CodeRequired:
            return locked_out(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user)
            signin.sign_in_record(user=user, via="web")
            next_url = request.POST.get("next") or request.GET.get("next", "")
            if next_url and url_has_allowed_host_and_scheme(
                next_url, {request.get_host()}, request.is_secure()
            ):
                return redirect(next_url)
            return redirect(landing_url(user))
    return render(
        request, "accounts/public/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """After five failed passwords for one phone from one address (django-axes calls this
    too): that phone signs in from there with an SMS code; the API says so in its error."""
    if request.path.startswith("/api/"):
        from shanghui.core.apikit.errors import error_response

        return error_response("sign_in_code_required", status=403)
    form = PasswordResetRequestForm(initial={"phone": request.POST.get("phone", "")})
    return render(
        request, "accounts/public/login_code.html", {"form": form, "locked": True}, status=403
    )


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponseBase:
    """Sign in with an SMS code, step 1: send the code."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.sign_in_code_request(phone=form.cleaned_data["phone"])
        except NotSent:
            form.add_error(None, code_not_sent())
            return render(request, "accounts/public/login_code.html", {"form": form}, status=503)
        except RateLimited as refused:
            form.add_error(None, sms_code_refused_message(refused))
            response = render(
                request, "accounts/public/login_code.html", {"form": form}, status=429
            )
            response["Retry-After"] = str(refused.retry_after)
            return response
        messages.success(request, _("如果该手机号已注册，验证码已发送，请查收短信"))
        return redirect(
            f"{reverse('accounts:login_code_confirm')}?phone={form.cleaned_data['phone']}"
        )
    return render(request, "accounts/public/login_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_code_confirm(request: HttpRequest) -> HttpResponseBase:
    """Sign in with an SMS code, step 2: enter it."""
    form = SignInCodeForm(request.POST or None, initial={"phone": request.GET.get("phone", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = signin.sign_in_code(
                phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            signin.sign_in_record(user=user, via="sms_code")
            return redirect(landing_url(user))
    return render(request, "accounts/public/login_code_confirm.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponseBase:
    logout(request)
    return redirect("site:home")


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponseBase:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.password_reset_request(phone=form.cleaned_data["phone"])
        except NotSent:
            form.add_error(None, code_not_sent())
            return render(
                request, "accounts/public/password_reset.html", {"form": form}, status=503
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except RateLimited as refused:
            form.add_error(None, sms_code_refused_message(refused))
            response = render(
                request, "accounts/public/password_reset.html", {"form": form}, status=429
            )
            response["Retry-After"] = str(refused.retry_after)
            return response
        else:
            messages.success(request, _("如果该手机号已注册，验证码已发送，请查收短信"))
            return redirect(
                f"{reverse('accounts:password_reset_confirm')}?phone={form.cleaned_data['phone']}"
            )
    return render(request, "accounts/public/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponseBase:
    form = PasswordResetConfirmForm(
        request.POST or None, initial={"phone": request.GET.get("phone", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            signin.password_reset_confirm(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("密码已重置，请使用新密码登录"))
            return redirect("accounts:login")
    return render(request, "accounts/public/password_reset_confirm.html", {"form": form})
