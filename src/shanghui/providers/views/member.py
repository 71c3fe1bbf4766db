"""A member's 会员服务 pages on the phone (/a/<slug>/services/…): the offers the association
chose, one offer, applying to it with an explicit consent, 我的服务申请 with withdrawing the
consent and rating the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.members.models import Member
from shanghui.providers.forms.application import ApplicationForm, RatingForm
from shanghui.providers.models import Category, ConsentField, Offer, OfferApplication
from shanghui.providers.selectors import offers as selectors
from shanghui.providers.services import applications as services


def _offer(request: TenantRequest, offer_id: int) -> Offer:
    require_member(request.role)
    return selectors.access_member_offer(association=request.association, offer_id=offer_id)


@login_required
@require_GET
def offers(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The offers the association chose for its members, by kind of provider."""
    require_member(request.role)
    category = request.GET.get("category", "")
    rows = list(selectors.member_offers(request.association, category=category)[:200])
    for offer in rows:
        offer.average = selectors.average_rating(offer)  # type: ignore[attr-defined]
    return render(
        request,
        "providers/member/offers.html",
        {"offers": rows, "categories": Category.choices, "category": category},
    )


@login_required
@require_GET
def offer(request: TenantRequest, association_slug: str, offer_id: int) -> HttpResponse:
    item = _offer(request, offer_id)
    user = signed_in_user(request)
    return render(
        request,
        "providers/member/offer.html",
        {
            "offer": item,
            "average": selectors.average_rating(item),
            "application": selectors.open_application(
                association=request.association, user=user, offer=item
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_apply(request: TenantRequest, association_slug: str, offer_id: int) -> HttpResponseBase:
    """The consent form: each field to share ticked on its own beside its value, the
    provider named, the purpose stated; submitting it creates the provider's lead."""
    item = _offer(request, offer_id)
    user = signed_in_user(request)
    association = request.association
    existing = selectors.open_application(association=association, user=user, offer=item)
    if existing is not None:
        messages.info(request, _("您已申请过该服务"))
        return redirect("providers:my_applications", association_slug=association_slug)
    members = selectors.applicant_members(association=association, user=user)
    chosen = _chosen_member(request, members)
    form = ApplicationForm(
        request.POST or None,
        members=members,
        choices=selectors.consent_choices(user=user, member=chosen),
        provider_name=item.provider.name,
        initial={"member": chosen.pk if chosen else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_create(
                association=association,
                actor=user,
                offer=item,
                data=services.ApplicationInput(
                    fields=form.cleaned_data["shared_fields"],
                    member=chosen,
                    agree=form.cleaned_data["agree"],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已提交申请，%(provider)s 将与您联系") % {"provider": item.provider.name},
            )
            return redirect("providers:my_applications", association_slug=association_slug)
    return render(
        request,
        "providers/member/apply.html",
        {"offer": item, "form": form, "purpose": selectors.offer_purpose(item)},
        status=400 if form.is_bound else 200,
    )


def _chosen_member(request: TenantRequest, members: list[Member]) -> Member | None:
    """The member enterprise the form names (``?member=`` to switch on the phone; the only
    one when the person represents one)."""
    data = request.POST if request.method == "POST" else request.GET
    raw = data.get("member")
    if raw is None:
        return members[0] if len(members) == 1 else None
    return next((m for m in members if str(m.pk) == raw), None)


@login_required
@require_GET
def my_applications(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的服务申请: what I applied to, what I agreed to share and with whom, withdrawing
    that consent and rating the service."""
    require_member(request.role)
    rows = selectors.attach_offers(
        list(
            selectors.my_applications(
                association=request.association, user=signed_in_user(request)
            )[:200]
        )
    )
    labels = dict(ConsentField.choices)
    for row in rows:
        row.shared_labels = [str(labels.get(f, f)) for f in row.shared_fields]  # type: ignore[attr-defined]
    return render(request, "providers/member/my_applications.html", {"applications": rows})


def _mine(request: TenantRequest, offer_application_id: int) -> OfferApplication:
    require_member(request.role)
    application = selectors.access_my_application(
        association=request.association,
        user=signed_in_user(request),
        offer_application_id=offer_application_id,
    )
    selectors.attach_offers([application])
    return application


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(
    request: TenantRequest, association_slug: str, offer_application_id: int
) -> HttpResponseBase:
    """GET: what withdrawing means; POST: withdraw the consent."""
    application = _mine(request, offer_application_id)
    if request.method == "POST":
        try:
            services.application_withdraw(
                association=request.association,
                actor=signed_in_user(request),
                application=application,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request,
                _("已撤回授权，%(provider)s 不再保留您提供的信息")
                % {"provider": application.provider.name},
            )
        return redirect("providers:my_applications", association_slug=association_slug)
    return render(request, "providers/member/withdraw.html", {"application": application})


@login_required
@require_http_methods(["GET", "POST"])
def application_rate(
    request: TenantRequest, association_slug: str, offer_application_id: int
) -> HttpResponseBase:
    application = _mine(request, offer_application_id)
    initial = {"rating": application.rating, "comment": application.rating_comment}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_rate(
                association=request.association,
                actor=signed_in_user(request),
                application=application,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("感谢您的评价"))
            return redirect("providers:my_applications", association_slug=association_slug)
    return render(
        request,
        "providers/member/rate.html",
        {"application": application, "form": form},
        status=400 if form.is_bound else 200,
    )
