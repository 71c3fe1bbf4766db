"""The provider back office under ``/p/<provider_slug>/`` (desktop): dashboard, offers, leads
with status and notes, and users. ``ProviderMiddleware`` has already let the request in only
for a user of the approved provider and opened its context; every id is looked up within the
provider, so another provider's id is the same 404 as a missing one."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.core.forms import add_service_errors
from shanghui.core.regions import region_full_name
from shanghui.providers.door import current_provider, current_provider_user
from shanghui.providers.forms.provider import (
    LeadNoteForm,
    LeadStatusForm,
    OfferForm,
    ProviderUserForm,
)
from shanghui.providers.models import ConsentField, Lead, ProviderUser
from shanghui.providers.selectors import provider as selectors
from shanghui.providers.services import leads as lead_services
from shanghui.providers.services import offers as offer_services
from shanghui.providers.services import providers as provider_services

NAV = (
    ("providers:back_office", "exact"),
    ("providers:back_leads", "below"),
    ("providers:back_offers", "below"),
    ("providers:back_users", "below"),
)


def _nav(request: HttpRequest) -> list[dict[str, Any]]:
    slug = current_provider(request).slug
    labels = {
        "providers:back_office": _("概览"),
        "providers:back_leads": _("线索"),
        "providers:back_offers": _("服务产品"),
        "providers:back_users": _("后台用户"),
    }
    items = []
    for name, lit in NAV:
        url = reverse(name, kwargs={"provider_slug": slug})
        active = request.path == url if lit == "exact" else request.path.startswith(url)
        items.append({"label": labels[name], "url": url, "active": active})
    return items


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    provider = current_provider(request)
    return render(
        request,
        f"providers/provider/{template}",
        {
            **context,
            "provider": provider,
            "membership": current_provider_user(request),
            "office_nav": _nav(request),
        },
    )


@login_required
@require_GET
def back_office(request: HttpRequest, provider_slug: str) -> HttpResponse:
    provider = current_provider(request)
    return _render(
        request,
        "dashboard.html",
        {
            "figures": selectors.back_office_figures(provider),
            "recent": selectors.provider_leads(provider)[:10],
        },
    )


# --- Offers ---------------------------------------------------------------------------------


def _offer_input(data: dict[str, Any]) -> offer_services.OfferInput:
    return offer_services.OfferInput(**data)


@login_required
@require_GET
def back_offers(request: HttpRequest, provider_slug: str) -> HttpResponse:
    offers = list(selectors.provider_offers(current_provider(request)))
    for offer in offers:
        setattr(offer, "rate", offer_services.rate_label(offer))  # noqa: B010 - for the template
    return _render(request, "offers.html", {"offers": offers})


@login_required
@require_http_methods(["GET", "POST"])
def back_offer_new(request: HttpRequest, provider_slug: str) -> HttpResponseBase:
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = offer_services.offer_create(
                actor=signed_in_user(request),
                provider=current_provider(request),
                data=_offer_input(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存为草稿"))
            return redirect("providers:back_offer", provider_slug=provider_slug, offer_id=offer.pk)
    return _render(request, "offer_form.html", {"form": form, "offer": None})


@login_required
@require_GET
def back_offer(request: HttpRequest, provider_slug: str, offer_id: int) -> HttpResponse:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    regions = [region_full_name(code) for code in offer.region_codes.split(",") if code]
    return _render(
        request,
        "offer.html",
        {"offer": offer, "rate": offer_services.rate_label(offer), "regions": regions},
    )


@login_required
@require_http_methods(["GET", "POST"])
def back_offer_edit(request: HttpRequest, provider_slug: str, offer_id: int) -> HttpResponseBase:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    initial = {
        name: getattr(offer, name)
        for name in (
            "title",
            "summary",
            "body",
            "annual_rate_min",
            "annual_rate_max",
            "region_codes",
            "valid_until",
            "is_course",
        )
    }
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer_services.offer_update(
                actor=signed_in_user(request), offer=offer, data=_offer_input(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("providers:back_offer", provider_slug=provider_slug, offer_id=offer.pk)
    return _render(request, "offer_form.html", {"form": form, "offer": offer})


@login_required
@require_POST
def back_offer_publish(request: HttpRequest, provider_slug: str, offer_id: int) -> HttpResponse:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    try:
        offer_services.offer_publish(actor=signed_in_user(request), offer=offer)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已上架，各商会可选用"))
    return redirect("providers:back_offer", provider_slug=provider_slug, offer_id=offer.pk)


@login_required
@require_POST
def back_offer_withdraw(request: HttpRequest, provider_slug: str, offer_id: int) -> HttpResponse:
    offer = selectors.access_offer(provider=current_provider(request), offer_id=offer_id)
    offer_services.offer_withdraw(actor=signed_in_user(request), offer=offer)
    messages.success(request, _("已下架"))
    return redirect("providers:back_offer", provider_slug=provider_slug, offer_id=offer.pk)


# --- Leads ----------------------------------------------------------------------------------


@login_required
@require_GET
def back_leads(request: HttpRequest, provider_slug: str) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(
        selectors.provider_leads(current_provider(request), status=status), 30
    ).get_page(request.GET.get("page"))
    return _render(
        request,
        "leads.html",
        {"page_obj": page, "status": status, "statuses": Lead.Status.choices},
    )


def _lead_page(
    request: HttpRequest,
    lead_id: int,
    *,
    status_form: LeadStatusForm | None = None,
    note_form: LeadNoteForm | None = None,
) -> HttpResponse:
    lead = selectors.access_lead(provider=current_provider(request), lead_id=lead_id)
    labels = dict(ConsentField.choices)
    shared = [(str(labels.get(key, key)), value) for key, value in lead.shared.items()]
    return _render(
        request,
        "lead.html",
        {
            "lead": lead,
            "shared": shared,
            "notes": selectors.lead_notes(lead),
            "status_form": status_form or LeadStatusForm(initial={"status": lead.status}),
            "note_form": note_form or LeadNoteForm(),
        },
    )


@login_required
@require_GET
def back_lead(request: HttpRequest, provider_slug: str, lead_id: int) -> HttpResponse:
    return _lead_page(request, lead_id)


@login_required
@require_POST
def back_lead_status(request: HttpRequest, provider_slug: str, lead_id: int) -> HttpResponse:
    lead = selectors.access_lead(provider=current_provider(request), lead_id=lead_id)
    form = LeadStatusForm(request.POST)
    if form.is_valid():
        lead_services.lead_status_set(
            actor=signed_in_user(request), lead=lead, status=form.cleaned_data["status"]
        )
        messages.success(request, _("状态已更新"))
        return redirect("providers:back_lead", provider_slug=provider_slug, lead_id=lead.pk)
    return _lead_page(request, lead_id, status_form=form)


@login_required
@require_POST
def back_lead_note(request: HttpRequest, provider_slug: str, lead_id: int) -> HttpResponse:
    lead = selectors.access_lead(provider=current_provider(request), lead_id=lead_id)
    form = LeadNoteForm(request.POST)
    if form.is_valid():
        try:
            lead_services.lead_note_add(
                actor=signed_in_user(request), lead=lead, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加跟进记录"))
            return redirect("providers:back_lead", provider_slug=provider_slug, lead_id=lead.pk)
    return _lead_page(request, lead_id, note_form=form)


# --- Users ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def back_users(request: HttpRequest, provider_slug: str) -> HttpResponseBase:
    membership = current_provider_user(request)
    form = ProviderUserForm(request.POST or None)
    if request.method == "POST":
        if membership.kind != ProviderUser.Kind.ADMIN:
            raise PermissionDenied
        if form.is_valid():
            try:
                provider_services.provider_user_add(
                    actor=signed_in_user(request),
                    membership=membership,
                    phone=form.cleaned_data["phone"],
                    kind=form.cleaned_data["kind"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已添加后台用户"))
                return redirect("providers:back_users", provider_slug=provider_slug)
    return _render(
        request,
        "users.html",
        {
            "users": selectors.provider_users(current_provider(request)),
            "form": form,
            "is_admin": membership.kind == ProviderUser.Kind.ADMIN,
        },
    )


@login_required
@require_POST
def back_user_remove(
    request: HttpRequest, provider_slug: str, provider_user_id: int
) -> HttpResponse:
    removed = selectors.access_provider_user(
        provider=current_provider(request), provider_user_id=provider_user_id
    )
    try:
        provider_services.provider_user_remove(
            actor=signed_in_user(request),
            membership=current_provider_user(request),
            removed=removed,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已移除"))
    return redirect("providers:back_users", provider_slug=provider_slug)
