"""企业展示: a member's own opt-in to the platform-wide showcase and matching, and the
products and services on their enterprise's profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response
from shanghui.members.models import Member
from shanghui.members.selectors import my_members
from shanghui.network.forms.showcase import ShowcaseItemForm, ShowcaseOptInForm
from shanghui.network.models import ShowcaseItem
from shanghui.network.services import showcase as services


def _member(request: TenantRequest, raw: str | None) -> Member:
    require_member(request.role)
    member_id = int(raw) if raw and raw.isdigit() else None
    try:
        return services.showcase_member(
            association=request.association,
            user_id=signed_in_user(request).pk,
            member_id=member_id,
        )
    except Member.DoesNotExist as exc:
        raise Http404 from exc


def _item(request: TenantRequest, showcase_item_id: int) -> ShowcaseItem:
    require_member(request.role)
    try:
        return services.access_showcase_item(
            association=request.association,
            user_id=signed_in_user(request).pk,
            showcase_item_id=showcase_item_id,
        )
    except ShowcaseItem.DoesNotExist as exc:
        raise Http404 from exc


def _back(association_slug: str, member: Member) -> HttpResponse:
    url = reverse("network:my_showcase", kwargs={"association_slug": association_slug})
    return redirect(f"{url}?member={member.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def my_showcase(request: TenantRequest, association_slug: str) -> HttpResponse:
    """GET: the opt-in and the items of one enterprise the person represents. POST: set
    the opt-in."""
    require_member(request.role)
    user = signed_in_user(request)
    try:
        member = _member(request, request.GET.get("member") or request.POST.get("member"))
    except Http404:
        if my_members(association=request.association, user_id=user.pk).exists():
            raise
        return render(request, "network/member/my_showcase.html", {"member": None})
    form = ShowcaseOptInForm(
        request.POST or None, initial={"network_showcase": member.network_showcase}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_set(
                association=request.association,
                actor=user,
                member=member,
                on=form.cleaned_data["network_showcase"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已加入平台企业展示") if member.network_showcase else _("已退出平台企业展示"),
            )
            return _back(association_slug, member)
    items = ShowcaseItem.objects.filter(association=request.association, member=member)
    others = my_members(association=request.association, user_id=user.pk).filter(
        kind=Member.Kind.ENTERPRISE
    )
    return render(
        request,
        "network/member/my_showcase.html",
        {"member": member, "form": form, "items": list(items), "others": list(others)},
    )


def _item_input(form: ShowcaseItemForm) -> services.ShowcaseItemInput:
    return services.ShowcaseItemInput(
        name=form.cleaned_data["name"],
        description=form.cleaned_data["description"],
        position=form.cleaned_data["position"] or 0,
    )


@login_required
@require_http_methods(["GET", "POST"])
def showcase_item_new(request: TenantRequest, association_slug: str) -> HttpResponse:
    member = _member(request, request.GET.get("member"))
    form = ShowcaseItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_item_create(
                association=request.association,
                actor=signed_in_user(request),
                member=member,
                data=_item_input(form),
                image=request.FILES.get("image"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加产品/服务"))
            return _back(association_slug, member)
    return render(
        request, "network/member/showcase_item.html", {"form": form, "member": member, "item": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def showcase_item_edit(
    request: TenantRequest, association_slug: str, showcase_item_id: int
) -> HttpResponse:
    item = _item(request, showcase_item_id)
    initial = {"name": item.name, "description": item.description, "position": item.position}
    form = ShowcaseItemForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_item_update(
                association=request.association,
                actor=signed_in_user(request),
                item=item,
                data=_item_input(form),
                image=request.FILES.get("image"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return _back(association_slug, item.member)
    return render(
        request,
        "network/member/showcase_item.html",
        {"form": form, "member": item.member, "item": item},
    )


@login_required
@require_POST
def showcase_item_delete(
    request: TenantRequest, association_slug: str, showcase_item_id: int
) -> HttpResponse:
    item = _item(request, showcase_item_id)
    member = item.member
    services.showcase_item_delete(
        association=request.association, actor=signed_in_user(request), item=item
    )
    messages.success(request, _("已删除"))
    return _back(association_slug, member)


@login_required
@require_GET
def showcase_item_image(
    request: TenantRequest, association_slug: str, showcase_item_id: int
) -> HttpResponseBase:
    """An item's picture, for anyone of the association (products are shown to members);
    another association's item is 404 here — its page shows no pictures across
    associations."""
    require_member(request.role)
    item = ShowcaseItem.objects.filter(association=request.association, pk=showcase_item_id).first()
    if item is None:
        raise Http404
    return picture_response(
        request.association,
        held_file(request.association, item.image_id),
        size=request.GET.get("size", ""),
    )
