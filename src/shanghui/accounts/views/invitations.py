"""Accepting an invitation to a role: someone new sets a password, someone with an account
signed in joins."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.forms import (
    AcceptInvitationForm,
)
from shanghui.accounts.models import Invitation, Role
from shanghui.accounts.services import account, invitations, signin
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.accounts.views.signin import landing_url
from shanghui.core.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def invitation_accept(
    request: TenantRequest, association_slug: str, token: str
) -> HttpResponseBase:
    """Activate an invited account: set a password, accept the privacy notice, sign in.
    Someone who already has an account signs in and accepts instead."""
    association = request.association
    try:
        invitation = invitations.access_invitation(association=association, token=token)
    except ValidationError as exc:
        return render(
            request,
            "accounts/public/invitation_invalid.html",
            {"message": exc.messages[0]},
            status=410,
        )
    if invitation.user.has_usable_password():
        return _invitation_join(request, invitation, token)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                association=association,
                token=token,
                password=form.cleaned_data["password"],
                accept_privacy=form.cleaned_data["accept_privacy"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            signin.sign_in_record(user=user, via="invitation")
            messages.success(request, _("账号已开通，欢迎使用云商会"))
            return redirect(landing_url(user))
    return render(
        request,
        "accounts/public/invitation_accept.html",
        {"form": form, "invitation": invitation, "notice": account.current_privacy_notice()},
    )


def _invitation_join(request: TenantRequest, invitation: Invitation, token: str) -> HttpResponse:
    """An invitation to an existing account: accepted only by that account, signed in."""
    if not request.user.is_authenticated:
        return render(request, "accounts/public/invitation_join.html", {"invitation": invitation})
    if request.user.pk != invitation.user_id:
        message = _(
            "这份邀请是发给另一个账号的。请退出当前账号，用收到邀请的手机号登录后再打开链接。"
        )
        return render(
            request, "accounts/public/invitation_invalid.html", {"message": message}, status=403
        )
    if request.method == "POST":
        try:
            role = invitations.invitation_join(
                association=request.association, token=token, user=signed_in_user(request)
            )
        except ValidationError as exc:
            return render(
                request,
                "accounts/public/invitation_invalid.html",
                {"message": exc.messages[0]},
                status=410,
            )
        messages.success(request, _("已加入 %(name)s") % {"name": request.association.short_name})
        where = "site:office_dashboard" if role.kind != Role.Kind.MEMBER else "members:home"
        return redirect(where, association_slug=request.association.slug)
    return render(request, "accounts/public/invitation_join.html", {"invitation": invitation})
