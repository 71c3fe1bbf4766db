"""The secretariat's goods distributions (/a/<slug>/office/charity/distributions/…): what
each campaign received in goods and has left, handing goods to a school, reversing a
mistake, and the school's receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.forms.goods import DistributionForm, ReasonForm, ReceiptForm
from shanghui.charity.models import Campaign
from shanghui.charity.selectors import goods as selectors
from shanghui.charity.services import goods as services
from shanghui.core.forms import add_service_errors
from shanghui.core.http import whole_number
from shanghui.core.paging import DeepPaginator
from shanghui.core.storage.files import file_response, held_file

PAGE = 50


def _campaign_param(request: TenantRequest, value: object) -> Campaign | None:
    campaign_id = whole_number(value)
    if campaign_id is None:
        return None
    return selectors.access_goods_campaign(association=request.association, campaign_id=campaign_id)


def _list_url(request: TenantRequest, campaign_id: int | None = None) -> str:
    url = reverse(
        "charity:office_distributions", kwargs={"association_slug": request.association.slug}
    )
    return f"{url}?campaign={campaign_id}" if campaign_id else url


@login_required
@require_GET
def office_distributions(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Per campaign: the goods received (from the ledger), handed out and in stock, and the
    distributions; ``?campaign=`` picks the campaign (the latest one with goods by
    default)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    campaigns = list(selectors.goods_campaigns(association).order_by("-starts_on", "-id"))
    campaign = _campaign_param(request, request.GET.get("campaign", ""))
    if campaign is None and campaigns:
        campaign = campaigns[0]
    stock = selectors.campaign_stock(association, campaign) if campaign else []
    qs = selectors.distributions_list(association, campaign=campaign)
    page = DeepPaginator(qs, PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    taken_back = selectors.reversed_ids(rows)
    context = {
        "tab": "distributions",
        "campaigns": campaigns,
        "campaign": campaign,
        "stock": stock,
        "page_obj": page,
        "rows": rows,
        "taken_back": taken_back,
        "reverse_form": ReasonForm(),
    }
    return render(request, "charity/office/distributions.html", context)


def _form(
    request: TenantRequest, campaign: Campaign | None, data: object = None, files: object = None
) -> DistributionForm:
    """The distribution form: the campaign (hidden), the partners (schools first) and the
    items the campaign has in stock."""
    association = request.association
    ordered = selectors.goods_campaigns(association).order_by("-starts_on", "-id")
    campaigns = [(c.pk, c.title) for c in ordered]
    items = (
        [row.item for row in selectors.campaign_stock(association, campaign) if row.in_stock > 0]
        if campaign
        else []
    )
    partners = [(p.pk, p.name) for p in selectors.partner_choices(association)[:1000]]
    return DistributionForm(
        data,
        files,
        campaigns=campaigns,
        partners=partners,
        items=items,
        initial={"campaign": campaign.pk if campaign else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_distribution_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """Hands goods of a campaign to a school; refuses more than the campaign holds."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    source = request.POST if request.method == "POST" else request.GET
    campaign = _campaign_param(request, source.get("campaign", ""))
    if request.method == "GET":
        form = _form(request, campaign)
        status = 200
    else:
        form = _form(request, campaign, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if campaign is None:
                    raise ValidationError({"campaign": _("请选择公益项目")})
                recipient = selectors.access_partner_choice(
                    association=association, partner_id=data["recipient"]
                )
                distribution = services.distribution_record(
                    association=association,
                    actor=signed_in_user(request),
                    campaign=campaign,
                    data=services.DistributionInput(
                        recipient=recipient,
                        item=data["item"],
                        quantity=data["quantity"],
                        distributed_on=data["distributed_on"],
                        unit=data["unit"],
                        note=data["note"],
                    ),
                    receipt=data.get("receipt"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Http404:
                form.add_error("recipient", _("请选择本会的接收单位"))
            else:
                messages.success(
                    request,
                    _("已登记发放：%(item)s %(quantity)s%(unit)s → %(school)s")
                    % {
                        "item": distribution.item,
                        "quantity": services.quantity_text(distribution.quantity),
                        "unit": distribution.unit,
                        "school": distribution.recipient.name,
                    },
                )
                return redirect(_list_url(request, campaign.pk))
    context = {
        "tab": "distributions",
        "form": form,
        "campaign": campaign,
        "stock": selectors.campaign_stock(association, campaign) if campaign else [],
    }
    return render(request, "charity/office/distribution_new.html", context, status=status)


@login_required
@require_POST
def office_distribution_reverse(
    request: TenantRequest, association_slug: str, distribution_id: int
) -> HttpResponseBase:
    require_perm(request.role, Perm.MANAGE_CHARITY)
    distribution = selectors.access_distribution(
        association=request.association, distribution_id=distribution_id
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲正原因"))
    else:
        try:
            services.distribution_reverse(
                association=request.association,
                actor=signed_in_user(request),
                distribution=distribution,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已冲正该发放记录，物资回到库存"))
    return redirect(_list_url(request, distribution.campaign_id))


@login_required
@require_http_methods(["GET", "POST"])
def office_distribution_receipt(
    request: TenantRequest, association_slug: str, distribution_id: int
) -> HttpResponseBase:
    """GET: the school's receipt (回执) as it was uploaded. POST: upload it (or a newer one,
    the last kept as a version)."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    distribution = selectors.access_distribution(
        association=request.association, distribution_id=distribution_id
    )
    if request.method == "GET":
        stored = held_file(request.association, distribution.receipt_id)
        if stored is None:
            raise Http404
        return file_response(request.association, stored, inline=True)
    form = ReceiptForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择回执文件（PDF、JPG 或 PNG）"))
    else:
        try:
            services.distribution_receipt_attach(
                association=request.association,
                actor=signed_in_user(request),
                distribution=distribution,
                upload=form.cleaned_data["receipt"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已上传接收单位回执"))
    return redirect(_list_url(request, distribution.campaign_id))
