"""The member's listing pages (/a/<slug>/network/…): my listings, posting, a listing (own or
another association's, through ``access_listing``), editing, renewing, withdrawing, pictures
and 举报. Mobile-first (WeUI)."""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.industries import industry_name
from shanghui.core.money import format_cny
from shanghui.core.regions import region_full_name
from shanghui.core.storage.files import held_file
from shanghui.core.tenancy import read_inside
from shanghui.core.uploads import picture_response
from shanghui.network.forms.listings import ImageForm, ListingForm, RenewForm, ReportForm
from shanghui.network.models import Listing, ListingKind, Visibility
from shanghui.network.selectors import listings as selectors
from shanghui.network.selectors.access import ListingView, access_listing
from shanghui.network.services import listings as services
from shanghui.network.services import moderation
from shanghui.network.services.index import joins_platform


def _url_or_empty(name: str, **kwargs: Any) -> str:
    """A link to a page another part of the network builds; "" until it exists."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _input(form: ListingForm) -> services.ListingInput:
    data = form.cleaned_data
    return services.ListingInput(
        kind=data["kind"],
        title=data["title"],
        body=data["body"],
        industry_code=data["industry_code"],
        region_code=data["region_code"],
        quantity=data["quantity"],
        budget=data["budget"],
        valid_until=data["valid_until"],
        visibility=data["visibility"],
        contact=data["contact"],
        contact_visible_to_members=data["contact_visible_to_members"],
    )


def _form(request: TenantRequest, **kwargs: Any) -> ListingForm:
    return ListingForm(request.POST or None, platform=joins_platform(request.association), **kwargs)


def _facts(kind: str, industry: str, region: str, budget: object) -> dict[str, str]:
    return {
        "kind_label": str(ListingKind(kind).label),
        "industry": industry_name(industry),
        "region": region_full_name(region),
        "budget": format_cny(budget) if budget is not None else "",  # type: ignore[arg-type]
    }


@login_required
@require_GET
def my_listings(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的供需: what the person posted here, any status, with what to do next."""
    require_member(request.role)
    user = signed_in_user(request)
    rows = list(selectors.my_listings(association=request.association, user_id=user.pk)[:200])
    context = {
        "listings": rows,
        "today": timezone.localdate(),
        "can_post": _can_post(request),
    }
    return render(request, "network/member/my_listings.html", context)


def _can_post(request: TenantRequest) -> bool:
    try:
        services.poster_member(association=request.association, user=signed_in_user(request))
    except ValidationError:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def listing_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    require_member(request.role)
    user = signed_in_user(request)
    initial = {
        "kind": request.GET.get("kind")
        if request.GET.get("kind") in ListingKind.values
        else "need",
        "visibility": Visibility.ASSOCIATION,
        "valid_until": timezone.localdate() + timedelta(days=services.DEFAULT_VALIDITY_DAYS),
    }
    member = None
    try:
        member = services.poster_member(association=request.association, user=user)
        initial["industry_code"] = member.industry_code
        initial["region_code"] = member.region_code
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid() and member is not None:
        try:
            listing = services.listing_create(
                association=request.association, actor=user, data=_input(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if listing.status == Listing.Status.PENDING:
                messages.success(request, _("已提交，秘书处审核通过后发布"))
            else:
                messages.success(request, _("已发布"))
            return redirect(
                "network:listing", association_slug=association_slug, listing_id=listing.pk
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/member/listing_form.html",
        {"form": form, "listing": None, "member": member},
        status=status,
    )


def _foreign_image_ids(view: ListingView) -> list[int]:
    with read_inside(view.association):
        return selectors.listing_image_ids(view.association, view.id)


@login_required
@require_GET
def listing(request: TenantRequest, association_slug: str, listing_id: int) -> HttpResponse:
    """A listing: the poster sees their own in any status (with what they can do); a member
    sees a published one of the association, or of another whose index row reaches this
    association — without its contact details."""
    require_member(request.role)
    user = signed_in_user(request)
    association = request.association
    own: Listing | None = None
    view: ListingView | None = None
    try:
        view = access_listing(association=association, viewer_id=user.pk, listing_id=listing_id)
    except Http404:
        own = selectors.access_own_listing(
            association=association, user_id=user.pk, listing_id=listing_id
        )
    if view is not None and view.poster_id == user.pk and view.same_association:
        own = selectors.access_own_listing(
            association=association, user_id=user.pk, listing_id=listing_id
        )
    if own is not None:
        context: dict[str, Any] = {
            "own": own,
            "title": own.title,
            "body": own.body,
            "kind": own.kind,
            "quantity": own.quantity,
            "valid_until": own.valid_until,
            "enterprise": own.member.name,
            "contact": own.contact,
            "image_ids": selectors.listing_image_ids(association, own.pk),
            **_facts(own.kind, own.industry_code, own.region_code, own.budget),
            "matches_url": _url_or_empty(
                "network:matches", association_slug=association.slug, listing_id=own.pk
            )
            if own.status == Listing.Status.PUBLISHED
            else "",
            "renew_form": RenewForm(),
            "image_form": ImageForm(),
            "max_images": services.MAX_IMAGES,
        }
        return render(request, "network/member/listing_detail.html", context)
    assert view is not None
    context = {
        "view": view,
        "title": view.title,
        "body": view.body,
        "kind": view.kind,
        "quantity": view.quantity,
        "valid_until": view.valid_until,
        "enterprise": view.enterprise,
        "contact": view.contact,
        "image_ids": selectors.listing_image_ids(association, view.id)
        if view.same_association
        else _foreign_image_ids(view),
        **_facts(view.kind, view.industry_code, view.region_code, view.budget),
        "inquire_url": _inquire_url(request, association.slug, view.id),
        "report_url": reverse(
            "network:listing_report",
            kwargs={"association_slug": association.slug, "listing_id": view.id},
        ),
    }
    return render(request, "network/member/listing_detail.html", context)


def _inquire_url(request: TenantRequest, association_slug: str, listing_id: int) -> str:
    """我要洽谈; a listing reached from the matches page keeps ``from=match`` so the
    conversation counts as one the matching brought about (对接统计: 匹配促成洽谈)."""
    url = _url_or_empty(
        "network:conversation_start", association_slug=association_slug, listing_id=listing_id
    )
    return f"{url}?from=match" if url and request.GET.get("from") == "match" else url


def _own(request: TenantRequest, listing_id: int) -> Listing:
    require_member(request.role)
    return selectors.access_own_listing(
        association=request.association,
        user_id=signed_in_user(request).pk,
        listing_id=listing_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    listing = _own(request, listing_id)
    if listing.status not in services.EDITABLE:
        messages.error(
            request,
            _("该供需信息已%(status)s，不能修改") % {"status": listing.get_status_display()},
        )
        return redirect("network:listing", association_slug=association_slug, listing_id=listing.pk)
    initial = {
        name: getattr(listing, name)
        for name in (
            "kind",
            "title",
            "body",
            "industry_code",
            "region_code",
            "quantity",
            "valid_until",
            "visibility",
            "contact",
            "contact_visible_to_members",
        )
    }
    initial["budget"] = str(listing.budget) if listing.budget is not None else ""
    form = _form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.listing_update(
                association=request.association,
                actor=signed_in_user(request),
                listing=listing,
                data=_input(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect(
                "network:listing", association_slug=association_slug, listing_id=listing.pk
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/member/listing_form.html",
        {"form": form, "listing": listing, "member": listing.member},
        status=status,
    )


@login_required
@require_POST
def listing_renew(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    listing = _own(request, listing_id)
    form = RenewForm(request.POST)
    until = form.cleaned_data.get("valid_until") if form.is_valid() else None
    try:
        renewed = services.listing_renew(
            association=request.association,
            actor=signed_in_user(request),
            listing=listing,
            valid_until=until,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("已续期至 %(date)s") % {"date": renewed.valid_until.isoformat()}
        )
    return redirect("network:listing", association_slug=association_slug, listing_id=listing.pk)


@login_required
@require_POST
def listing_withdraw(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    listing = _own(request, listing_id)
    try:
        services.listing_withdraw(
            association=request.association, actor=signed_in_user(request), listing=listing
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤回"))
    return redirect("network:my_listings", association_slug=association_slug)


@login_required
@require_http_methods(["GET", "POST"])
def listing_image(
    request: TenantRequest, association_slug: str, listing_image_id: int
) -> HttpResponseBase:
    """GET: a picture of a listing the viewer may see (``?l=<listing id>`` for another
    association's listing, ``?size=thumb``). POST: the poster removes it."""
    require_member(request.role)
    user = signed_in_user(request)
    hint = request.GET.get("l", "")
    home, image = selectors.access_listing_image(
        association=request.association,
        viewer_id=user.pk,
        listing_image_id=listing_image_id,
        listing_id=int(hint) if hint.isdigit() and len(hint) < 19 else None,
        moderator=has_perm(request.role, Perm.MODERATE_NETWORK),
    )
    if request.method == "GET":
        if home.pk == request.association.pk:
            stored = held_file(home, image.file_id)
            return picture_response(home, stored, size=request.GET.get("size", ""))
        with read_inside(home):
            stored = held_file(home, image.file_id)
            return picture_response(home, stored, size=request.GET.get("size", ""))
    if home.pk != request.association.pk or image.listing.poster_id != user.pk:
        raise Http404
    try:
        services.listing_image_remove(association=request.association, actor=user, image=image)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除图片"))
    return redirect(
        "network:listing", association_slug=association_slug, listing_id=image.listing_id
    )


@login_required
@require_POST
def listing_image_add(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    listing = _own(request, listing_id)
    try:
        services.listing_image_add(
            association=request.association,
            actor=signed_in_user(request),
            listing=listing,
            upload=request.FILES.get("image"),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已上传图片"))
    return redirect("network:listing", association_slug=association_slug, listing_id=listing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def listing_report(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    """举报 a listing the person can see."""
    require_member(request.role)
    user = signed_in_user(request)
    view = access_listing(association=request.association, viewer_id=user.pk, listing_id=listing_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.listing_report(
                association=request.association,
                actor=user,
                listing_id=view.id,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已收到您的举报，我们会尽快处理"))
            return redirect(
                "network:listing", association_slug=association_slug, listing_id=view.id
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "network/member/listing_report.html", {"form": form, "view": view}, status=status
    )
