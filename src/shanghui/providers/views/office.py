"""The secretariat's 会员服务 pages (/a/<slug>/office/services/…, ``Perm.CHOOSE_OFFERS``): the
catalogue of vetted providers' offers to choose from, one offer (choose, stop showing, run a
course as a training event) and how the members use the chosen offers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.providers.forms.application import CatalogueFilter
from shanghui.providers.models import Offer
from shanghui.providers.selectors import offers as selectors
from shanghui.providers.selectors import usage as usage_selectors
from shanghui.providers.services import choices as services


def _chooser(request: TenantRequest) -> None:
    require_perm(request.role, Perm.CHOOSE_OFFERS)


def _offer(request: TenantRequest, offer_id: int) -> Offer:
    _chooser(request)
    return selectors.access_catalogue_offer(offer_id=offer_id)


@login_required
@require_GET
def office_catalogue(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Every published offer of a vetted provider, the chosen ones marked."""
    _chooser(request)
    form = CatalogueFilter(request.GET or None)
    category = form.cleaned_data["category"] if form.is_valid() else ""
    rows = list(selectors.catalogue(category=category)[:500])
    chosen = selectors.chosen_offer_ids(request.association)
    for offer in rows:
        offer.chosen = offer.pk in chosen  # type: ignore[attr-defined]
        offer.average = selectors.average_rating(offer)  # type: ignore[attr-defined]
    return render(
        request,
        "providers/office/catalogue.html",
        {"tab": "catalogue", "offers": rows, "form": form, "chosen_count": len(chosen)},
    )


@login_required
@require_GET
def office_offer(request: TenantRequest, association_slug: str, offer_id: int) -> HttpResponse:
    item = _offer(request, offer_id)
    return render(
        request,
        "providers/office/offer.html",
        {
            "tab": "catalogue",
            "offer": item,
            "chosen": item.pk in selectors.chosen_offer_ids(request.association),
            "average": selectors.average_rating(item),
        },
    )


def _back(association_slug: str, offer: Offer) -> HttpResponseBase:
    return redirect("providers:office_offer", association_slug=association_slug, offer_id=offer.pk)


@login_required
@require_POST
def office_offer_choose(
    request: TenantRequest, association_slug: str, offer_id: int
) -> HttpResponseBase:
    item = _offer(request, offer_id)
    try:
        services.offer_choose(
            association=request.association, actor=signed_in_user(request), offer=item
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("会员现在可以在“会员服务”中看到该服务"))
    return _back(association_slug, item)


@login_required
@require_POST
def office_offer_unchoose(
    request: TenantRequest, association_slug: str, offer_id: int
) -> HttpResponseBase:
    item = _offer(request, offer_id)
    services.offer_unchoose(
        association=request.association, actor=signed_in_user(request), offer=item
    )
    messages.success(request, _("会员不再看到该服务；已提交的申请不受影响"))
    return _back(association_slug, item)


@login_required
@require_POST
def office_offer_course(
    request: TenantRequest, association_slug: str, offer_id: int
) -> HttpResponseBase:
    """办成培训课程: a draft training event from the course, opened for editing."""
    item = _offer(request, offer_id)
    try:
        event = services.offer_course_create(
            association=request.association, actor=signed_in_user(request), offer=item
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _back(association_slug, item)
    messages.success(request, _("已生成培训活动草稿，请确认时间地点后发布"))
    return redirect("events:office_edit", association_slug=association_slug, event_id=event.pk)


@login_required
@require_GET
def office_usage(request: TenantRequest, association_slug: str) -> HttpResponse:
    """How the members use the chosen offers: applications, withdrawn consents and ratings
    per offer and per month — the association's own records, not the providers'."""
    _chooser(request)
    figures = usage_selectors.usage(request.association)
    return render(
        request,
        "providers/office/usage.html",
        {
            "tab": "usage",
            "usage": figures,
            "ratings": usage_selectors.recent_ratings(request.association),
        },
    )
