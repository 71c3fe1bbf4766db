"""The secretariat's 供需对接 pages (/a/<slug>/office/network/…, ``network.moderate``): the
association's listings and their review, taking one down, reports of its listings, blocked
posters and the association's network settings. Desktop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.industries import industry_name
from shanghui.core.regions import region_full_name
from shanghui.network.forms.listings import (
    BlockForm,
    ReportHandleForm,
    ReviewForm,
    SettingsForm,
    TakeDownForm,
)
from shanghui.network.models import Listing
from shanghui.network.selectors import listings as selectors
from shanghui.network.services import moderation
from shanghui.network.services.settings import network_settings, network_settings_update


def _moderator(request: TenantRequest) -> None:
    require_perm(request.role, Perm.MODERATE_NETWORK)


@login_required
@require_GET
def office_listings(request: TenantRequest, association_slug: str) -> HttpResponse:
    _moderator(request)
    tab = request.GET.get("tab", "pending")
    if tab not in selectors.OFFICE_TABS:
        tab = "pending"
    rows = list(selectors.office_listings(association=request.association, tab=tab)[:300])
    context = {
        "tab": tab,
        "listings": rows,
        "pending": selectors.pending_count(request.association),
        "settings": network_settings(request.association),
    }
    return render(request, "network/office/listings.html", context)


@login_required
@require_GET
def office_listing(request: TenantRequest, association_slug: str, listing_id: int) -> HttpResponse:
    _moderator(request)
    listing = selectors.access_office_listing(
        association=request.association, listing_id=listing_id
    )
    context = {
        "listing": listing,
        "image_ids": selectors.listing_image_ids(request.association, listing.pk),
        "industry": industry_name(listing.industry_code),
        "region": region_full_name(listing.region_code),
        "review_form": ReviewForm(),
        "take_down_form": TakeDownForm(),
    }
    return render(request, "network/office/listing.html", context)


def _back(association_slug: str, listing: Listing) -> HttpResponseBase:
    return redirect(
        "network:office_listing", association_slug=association_slug, listing_id=listing.pk
    )


@login_required
@require_POST
def office_listing_review(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    _moderator(request)
    listing = selectors.access_office_listing(
        association=request.association, listing_id=listing_id
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果"))
        return _back(association_slug, listing)
    try:
        moderation.listing_review(
            association=request.association,
            actor=signed_in_user(request),
            listing=listing,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已审核"))
    return _back(association_slug, listing)


@login_required
@require_POST
def office_listing_take_down(
    request: TenantRequest, association_slug: str, listing_id: int
) -> HttpResponseBase:
    _moderator(request)
    listing = selectors.access_office_listing(
        association=request.association, listing_id=listing_id
    )
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写下架原因"))
        return _back(association_slug, listing)
    actor = signed_in_user(request)
    try:
        moderation.listing_take_down(
            association=request.association,
            actor=actor,
            listing=listing,
            reason=form.cleaned_data["reason"],
        )
        if form.cleaned_data["block_poster"] and listing.poster is not None:
            moderation.poster_block(
                association=request.association,
                actor=actor,
                user=listing.poster,
                reason=form.cleaned_data["reason"],
            )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已下架"))
    return _back(association_slug, listing)


@login_required
@require_GET
def office_reports(request: TenantRequest, association_slug: str) -> HttpResponse:
    _moderator(request)
    open_only = request.GET.get("all") != "1"
    reports = selectors.office_reports(association=request.association, open_only=open_only)
    return render(
        request,
        "network/office/reports.html",
        {"reports": reports, "open_only": open_only, "form": ReportHandleForm()},
    )


@login_required
@require_POST
def office_report_handle(
    request: TenantRequest, association_slug: str, report_id: int
) -> HttpResponseBase:
    _moderator(request)
    report = selectors.access_office_report(association=request.association, report_id=report_id)
    form = ReportHandleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择处理结果"))
    else:
        try:
            moderation.report_handle(
                association=request.association,
                actor=signed_in_user(request),
                report=report,
                take_down=form.cleaned_data["decision"] == "take_down",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已处理"))
    return redirect("network:office_reports", association_slug=association_slug)


@login_required
@require_http_methods(["GET", "POST"])
def office_blocks(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """People stopped from posting; POST blocks the poster of one of the association's
    listings (``listing_id``)."""
    _moderator(request)
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            listing = selectors.access_office_listing(
                association=request.association, listing_id=form.cleaned_data["listing_id"]
            )
            if listing.poster is not None:
                try:
                    moderation.poster_block(
                        association=request.association,
                        actor=signed_in_user(request),
                        user=listing.poster,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    messages.error(request, "；".join(exc.messages))
                else:
                    messages.success(request, _("已暂停其发布供需信息"))
        else:
            messages.error(request, _("请填写原因"))
        return redirect("network:office_blocks", association_slug=association_slug)
    blocks = list(selectors.poster_blocks(request.association))
    return render(request, "network/office/blocks.html", {"blocks": blocks})


@login_required
@require_POST
def office_block_remove(
    request: TenantRequest, association_slug: str, block_id: int
) -> HttpResponseBase:
    _moderator(request)
    block = selectors.access_poster_block(association=request.association, block_id=block_id)
    moderation.poster_unblock(
        association=request.association, actor=signed_in_user(request), block=block
    )
    messages.success(request, _("已恢复其发布权限"))
    return redirect("network:office_blocks", association_slug=association_slug)


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    _moderator(request)
    current = network_settings(request.association)
    form = SettingsForm(
        request.POST or None,
        initial={
            "joins_platform": current.joins_platform,
            "moderate_before_publishing": current.moderate_before_publishing,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            network_settings_update(
                association=request.association,
                actor=signed_in_user(request),
                joins_platform=form.cleaned_data["joins_platform"],
                moderate_before_publishing=form.cleaned_data["moderate_before_publishing"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("network:office_settings", association_slug=association_slug)
    return render(request, "network/office/settings.html", {"form": form, "settings": current})
