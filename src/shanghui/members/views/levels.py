"""The back office's page of membership levels and the membership policy (numbering,
referrers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.members.forms import LevelForm, PolicyForm
from shanghui.members.models import Level
from shanghui.members.selectors import access_level
from shanghui.members.services.policy import (
    level_active_set,
    level_save,
    membership_policy,
    membership_policy_update,
)


@login_required
@require_http_methods(["GET", "POST"])
def office_levels(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Membership levels and the membership policy (numbering, referrers)."""
    require_perm(request.role, Perm.EDIT_SETTINGS)
    association = request.association
    levels = list(Level.objects.filter(association=association))
    policy = membership_policy(association)
    level_form = LevelForm(request.POST if "save_level" in request.POST else None)
    policy_form = PolicyForm(
        request.POST if "save_policy" in request.POST else None,
        initial={
            "member_no_pattern": policy.member_no_pattern,
            "required_referrers": policy.required_referrers,
            "referrer_min_level": policy.referrer_min_level_id,
        },
        levels=levels,
    )
    if request.method == "POST":
        try:
            if "save_level" in request.POST and level_form.is_valid():
                edited = None  # a new level
                if request.POST.get("level_id"):
                    edited = access_level(
                        association=association, level_id=request.POST["level_id"]
                    )
                level_save(
                    association=association,
                    actor=signed_in_user(request),
                    level=edited,
                    **level_form.cleaned_data,
                )
                messages.success(request, _("会员级别已保存"))
                return redirect("members:office_levels", association_slug=association_slug)
            if "level_active" in request.POST:
                toggled = access_level(
                    association=association, level_id=request.POST.get("level_id")
                )
                active = request.POST["level_active"] == "1"
                level_active_set(
                    association=association,
                    actor=signed_in_user(request),
                    level=toggled,
                    active=active,
                )
                messages.success(
                    request,
                    (_("已启用“%(name)s”") if active else _("已停用“%(name)s”"))
                    % {"name": toggled.name},
                )
                return redirect("members:office_levels", association_slug=association_slug)
            if "save_policy" in request.POST and policy_form.is_valid():
                min_level = next(
                    (
                        lv
                        for lv in levels
                        if lv.pk == policy_form.cleaned_data["referrer_min_level"]
                    ),
                    None,
                )
                membership_policy_update(
                    association=association,
                    actor=signed_in_user(request),
                    member_no_pattern=policy_form.cleaned_data["member_no_pattern"],
                    required_referrers=policy_form.cleaned_data["required_referrers"],
                    referrer_min_level=min_level,
                )
                messages.success(request, _("入会规则已保存"))
                return redirect("members:office_levels", association_slug=association_slug)
        except ValidationError as exc:
            if "level_active" in request.POST:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("members:office_levels", association_slug=association_slug)
            add_service_errors(level_form if "save_level" in request.POST else policy_form, exc)
    return render(
        request,
        "members/office/levels.html",
        {"levels": levels, "level_form": level_form, "policy_form": policy_form},
    )
