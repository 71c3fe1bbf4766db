"""The personal center in its three frames (我的 in an association's space, the back office's
个人中心, the account's own page) and the account's settings pages: profile, password, photo,
WeChat, phone visibility, API tokens, personal data export, deleting the account."""

import json
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.forms import (
    DeleteAccountForm,
    PasswordChangeForm,
    ProfileForm,
)
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, has_perm, require_member
from shanghui.accounts.person_records import person_records
from shanghui.accounts.personal_data import account_delete, personal_data, personal_data_xlsx
from shanghui.accounts.selectors import roles_of_person
from shanghui.accounts.services import account, signin, tokens
from shanghui.accounts.services.roles import sole_admin_of
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core import wechat
from shanghui.core.contributions import account_links, personal_links
from shanghui.core.forms import add_service_errors
from shanghui.core.http import attachment_response
from shanghui.core.uploads import picture_response

# The personal center this person last opened: an association's 我的 (phone), the back
# office's 个人中心 (desktop) or the account page. Its settings pages lead back there.
CENTER_SESSION_KEY = "personal_center"


def center_url(request: HttpRequest) -> str:
    """Where the settings pages (password, photo, tokens …) lead back to. Only our own views
    store it, from the path they answered, so it is never an address someone else chose."""
    url = request.session.get(CENTER_SESSION_KEY)
    return url if isinstance(url, str) and url.startswith("/") else reverse("accounts:me")


def _remember_center(request: HttpRequest) -> None:
    if request.session.get(CENTER_SESSION_KEY) != request.path:
        request.session[CENTER_SESSION_KEY] = request.path


def _center_context(request: HttpRequest, role: Role | None) -> dict[str, Any]:
    """What every personal center shows: inside an association the entries its apps
    contribute (``core.contributions.PERSONAL_CENTER``); everywhere the person's associations,
    settings and — folded under 高级 — API tokens, the data download and the account
    deletion."""
    user = signed_in_user(request)
    _remember_center(request)
    roles = roles_of_person(user)
    return {
        "role": role,
        "roles": roles,
        "other_roles": [r for r in roles if role is None or r.pk != role.pk],
        "entries": (
            personal_links(association_slug=role.association.slug, role=role) if role else []
        ),
        # Outside any association: what other apps link the person to (a provider back office).
        "account_links": account_links(user) if role is None else [],
        "manages": has_perm(role, Perm.VIEW_OFFICE),
        "show_phone": account.phone_is_visible(user),
        "has_photo": person_records().own_photo(user) is not None,
        "wechat_on": wechat.wechat_configured(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponseBase:
    """Change my password: my other sessions end and my API tokens are revoked; this one
    stays signed in."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signin.password_change(
                user=signed_in_user(request),
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改，其他设备上的登录已退出"))
            return redirect(center_url(request))
    return render(
        request, "accounts/member/password_change.html", {"form": form, "back": center_url(request)}
    )


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """The account's own page, outside any association: my associations (each with its 我的),
    settings, and the developer things under 高级."""
    return render(request, "accounts/member/me.html", _center_context(request, None))


@login_required
@require_GET
def space_me(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的 in an association's space (the tab bar's last tab): my card, events and tickets,
    dues and photo there, then settings; API tokens and data downloads folded under 高级."""
    role = require_member(request.role)
    return render(request, "accounts/member/me.html", _center_context(request, role))


@login_required
@require_GET
def office_me(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """个人中心 inside the back-office frame, for the secretariat at its desk; a member who
    follows the link gets their 我的 on the phone instead."""
    role = require_member(request.role)
    if not has_perm(role, Perm.VIEW_OFFICE):
        return redirect("accounts:space_me", association_slug=association_slug)
    user = signed_in_user(request)
    form = ProfileForm(initial={"name": user.name, "email": user.email})
    return render(
        request, "accounts/office/me.html", {**_center_context(request, role), "form": form}
    )


@login_required
@require_GET
def space_me_photo(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的照片: the photo shown on my card and used at check-in, changed or removed here."""
    require_member(request.role)
    return render(
        request,
        "accounts/member/photo.html",
        {"has_photo": person_records().own_photo(signed_in_user(request)) is not None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponseBase:
    """My name and email."""
    user = signed_in_user(request)
    form = ProfileForm(request.POST or None, initial={"name": user.name, "email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            account.profile_update(
                user=user, name=form.cleaned_data["name"], email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("个人资料已保存"))
            return redirect(center_url(request))
    return render(
        request, "accounts/member/profile.html", {"form": form, "back": center_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def me_photo(request: HttpRequest) -> HttpResponseBase:
    """My photo: shown to me (GET); uploaded or removed (POST with ``remove``) in every
    association I belong to."""
    user = signed_in_user(request)
    if request.method == "GET":
        photo = person_records().own_photo(user)
        if photo is None:
            raise Http404
        return picture_response(photo.association, photo)
    remove = "remove" in request.POST
    try:
        person_records().own_photo_set(user, None if remove else request.FILES.get("photo"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已删除照片") if remove else _("照片已更新"))
    return redirect(center_url(request))


@login_required
@require_GET
def wechat_start(request: HttpRequest) -> HttpResponseBase:
    """Opened inside WeChat: asks WeChat who this is (no consent screen with snsapi_base)."""
    if not wechat.wechat_configured():
        messages.error(request, _("平台尚未开通微信通知"))
        return redirect(center_url(request))
    state = secrets.token_urlsafe(16)
    request.session["wechat_state"] = state
    callback = request.build_absolute_uri(reverse("accounts:wechat_callback"))
    return redirect(wechat.authorize_url(redirect_uri=callback, state=state))


@login_required
@require_GET
def wechat_callback(request: HttpRequest) -> HttpResponseBase:
    expected = request.session.pop("wechat_state", None)
    code = request.GET.get("code", "")
    if not expected or request.GET.get("state") != expected or not code:
        messages.error(request, _("微信授权已失效，请重新绑定"))
        return redirect(center_url(request))
    try:
        account.wechat_bind(user=signed_in_user(request), code=code)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已绑定微信，通知将同时发送到微信"))
    return redirect(center_url(request))


@login_required
@require_POST
def wechat_unbind(request: HttpRequest) -> HttpResponseBase:
    account.wechat_unbind(user=signed_in_user(request))
    messages.success(request, _("已解除微信绑定"))
    return redirect(center_url(request))


@login_required
@require_POST
def phone_visibility(request: HttpRequest) -> HttpResponseBase:
    """Show or mask my phone number for other members (the secretariat always sees it)."""
    show = request.POST.get("show_phone") == "on"
    account.phone_visibility_set(user=signed_in_user(request), show=show)
    messages.success(
        request, _("已向其他会员公开手机号") if show else _("其他会员将看到打码后的手机号")
    )
    return redirect(center_url(request))


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "accounts/member/tokens.html",
        {"tokens": user.api_tokens.all(), "now": timezone.now(), "back": center_url(request)},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseBase:
    tokens.api_token_revoke(user=signed_in_user(request), token_id=token_id)
    messages.success(request, _("令牌已吊销"))
    return redirect("accounts:tokens")


@login_required
@require_GET
def data_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """Download all my personal data as JSON or Excel."""
    user = signed_in_user(request)
    if fmt == "json":
        data = json.dumps(personal_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        return attachment_response(data.encode(), "personal-data.json")
    if fmt == "xlsx":
        return attachment_response(personal_data_xlsx(user), "personal-data.xlsx")
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponseBase:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=signed_in_user(request), password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("您的账号已注销，个人信息已删除"))
            return redirect("site:home")
    sole_admin = sole_admin_of(signed_in_user(request))
    return render(
        request,
        "accounts/member/delete.html",
        {"form": form, "sole_admin": sole_admin, "back": center_url(request)},
    )
