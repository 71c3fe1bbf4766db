"""Honors: the secretariat's pages (/a/<slug>/office/charity/honors/…) — received and given
honors, recording and correcting one, its certificate (PDF) and revoking it — and the public
verification page a certificate's QR code opens (/a/<slug>/charity/verify/<token>/)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.certificates import honor_certificate_pdf, verify_url
from shanghui.charity.forms.honors import HonorForm, RevokeForm
from shanghui.charity.models import Campaign, Honor
from shanghui.charity.selectors import honors as selectors
from shanghui.charity.services import honors as services
from shanghui.core.forms import add_service_errors
from shanghui.core.http import attachment_response, id_or_404
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response


def _form(request: TenantRequest, data: Any = None, **kwargs: Any) -> HonorForm:
    return HonorForm(data, campaigns=selectors.campaign_choices(request.association), **kwargs)


def _input(request: TenantRequest, form: HonorForm, direction: str) -> services.HonorInput:
    """The service's input from a valid form; a member or campaign that is not the
    association's is refused on its field."""
    data = form.cleaned_data
    member = selectors.find_member(association=request.association, text=data["member"])
    campaign = None
    if data["campaign"] is not None:
        campaign = Campaign.objects.filter(
            association_id=request.association.pk, pk=id_or_404(data["campaign"])
        ).first()
        if campaign is None:
            raise ValidationError({"campaign": _("请选择本会的公益项目")})
    return services.HonorInput(
        direction=direction,
        title=data["title"],
        awarded_by=data["awarded_by"],
        awarded_on=data["awarded_on"],
        description=data["description"],
        campaign=campaign,
        member=member,
        recipient_name=data["recipient_name"],
        shown_on_card=data["shown_on_card"],
        is_public=data["is_public"],
    )


@login_required
@require_GET
def office_honors(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The honors the association received, and those it gave (with their certificates)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    context = {
        "tab": "honors",
        "received": list(selectors.honors_list(association, direction="received")[:200]),
        "given": list(selectors.honors_list(association, direction="given")[:500]),
    }
    return render(request, "charity/office/honors.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def office_honor_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    direction = request.GET.get("direction", "")
    initial = {
        "direction": direction if direction in Honor.Direction.values else Honor.Direction.GIVEN,
        "awarded_by": association.name,
        "awarded_on": timezone.localdate(),
    }
    form = _form(request, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            honor = services.honor_create(
                association=association,
                actor=signed_in_user(request),
                data=_input(request, form, form.cleaned_data["direction"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记荣誉“%(title)s”") % {"title": honor.title})
            return redirect(
                "charity:office_honor_edit", association_slug=association.slug, honor_id=honor.pk
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "charity/office/honor_form.html",
        {"tab": "honors", "form": form, "honor": None},
        status=status,
    )


def _office_honor(request: TenantRequest, honor_id: int) -> Honor:
    require_perm(request.role, Perm.MANAGE_CHARITY)
    return selectors.access_honor(association=request.association, honor_id=honor_id)


@login_required
@require_http_methods(["GET", "POST"])
def office_honor_edit(
    request: TenantRequest, association_slug: str, honor_id: int
) -> HttpResponseBase:
    """An honor: its facts (editable until revoked), its certificate and verification link,
    and revoking it."""
    honor = _office_honor(request, honor_id)
    initial = {
        "direction": honor.direction,
        "title": honor.title,
        "awarded_by": honor.awarded_by,
        "awarded_on": honor.awarded_on,
        "member": (honor.member.member_no or honor.member.name) if honor.member else "",
        "recipient_name": honor.recipient_name if honor.member is None else "",
        "campaign": honor.campaign_id,
        "description": honor.description,
        "shown_on_card": honor.shown_on_card,
        "is_public": honor.is_public,
    }
    form = _form(request, request.POST or None, initial=initial, fixed_direction=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.honor_update(
                association=request.association,
                actor=signed_in_user(request),
                honor=honor,
                data=_input(request, form, honor.direction),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect(
                "charity:office_honor_edit",
                association_slug=request.association.slug,
                honor_id=honor.pk,
            )
    status = 400 if request.method == "POST" else 200
    context = {
        "tab": "honors",
        "form": form,
        "honor": honor,
        "revoke_form": RevokeForm(),
        "verify_link": verify_url(
            association_slug=request.association.slug, verify_token=honor.verify_token
        )
        if honor.verify_token and honor.revoked_at is None
        else "",
    }
    return render(request, "charity/office/honor_form.html", context, status=status)


@login_required
@require_GET
def office_honor_certificate(
    request: TenantRequest, association_slug: str, honor_id: int
) -> HttpResponseBase:
    honor = _office_honor(request, honor_id)
    try:
        honor = services.honor_certificate_ready(
            association=request.association, actor=signed_in_user(request), honor=honor
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(
            "charity:office_honor_edit", association_slug=association_slug, honor_id=honor.pk
        )
    pdf = honor_certificate_pdf(association=request.association, honor=honor)
    return attachment_response(pdf.content, pdf.filename, inline=True)


@login_required
@require_POST
def office_honor_revoke(
    request: TenantRequest, association_slug: str, honor_id: int
) -> HttpResponseBase:
    honor = _office_honor(request, honor_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因"))
    else:
        try:
            services.honor_revoke(
                association=request.association,
                actor=signed_in_user(request),
                honor=honor,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已撤销该荣誉，证书验证页不再显示"))
    return redirect(
        "charity:office_honor_edit", association_slug=association_slug, honor_id=honor.pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_honor_image(
    request: TenantRequest, association_slug: str, honor_id: int
) -> HttpResponseBase:
    """GET: the photo of the certificate or medal (``?size=thumb`` for the list). POST:
    upload it (or a newer one)."""
    honor = _office_honor(request, honor_id)
    if request.method == "GET":
        return picture_response(
            request.association,
            held_file(request.association, honor.image_id),
            size=request.GET.get("size", ""),
            version=request.GET.get("v", ""),
        )
    try:
        services.honor_image_set(
            association=request.association,
            actor=signed_in_user(request),
            honor=honor,
            upload=request.FILES.get("image"),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已上传荣誉照片"))
    return redirect(
        "charity:office_honor_edit", association_slug=association_slug, honor_id=honor.pk
    )


@require_GET
def honor_verify(request: TenantRequest, association_slug: str, verify_token: str) -> HttpResponse:
    """For anyone who scans a certificate: the honor, if this association gave it and has not
    revoked it; the same 404 otherwise."""
    honor = selectors.verified_honor(association=request.association, verify_token=verify_token)
    response = render(request, "charity/public/honor_verify.html", {"honor": honor})
    response["Cache-Control"] = "no-store"  # a revocation shows at once
    response["X-Robots-Tag"] = "noindex"
    return response
