"""The back office's campaigns, partners and pledges (/a/<slug>/office/charity/…, the
secretariat with ``charity.manage``): lists, a campaign with its progress read from the
ledger, forms to create and change, a pledge with its installment schedule and cancelling."""

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
from shanghui.charity.forms.campaigns import (
    CampaignForm,
    OfficePledgeForm,
    PartnerForm,
    ReasonForm,
    pledge_input,
)
from shanghui.charity.models import Campaign, DonorKind, Partner, Pledge
from shanghui.charity.selectors import campaigns as selectors
from shanghui.charity.services import campaigns as services
from shanghui.charity.services.donations import DonorInput
from shanghui.charity.totals import campaign_progress
from shanghui.core.forms import add_service_errors
from shanghui.core.paging import DeepPaginator

OFFICE_PAGE = 50


def _manager(request: TenantRequest) -> None:
    require_perm(request.role, Perm.MANAGE_CHARITY)


def errors_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


# --- Campaigns ----------------------------------------------------------------------------


@login_required
@require_GET
def office_campaigns(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Every campaign with its progress against its money goal."""
    _manager(request)
    filters = selectors.CampaignFilters.from_mapping(request.GET)
    qs = selectors.campaigns_search(association=request.association, filters=filters)
    page = DeepPaginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    selectors.set_percent(page.object_list)
    return render(
        request,
        "charity/office/campaigns.html",
        {
            "tab": "campaigns",
            "filters": filters,
            "statuses": Campaign.Status.choices,
            "page_obj": page,
        },
    )


def _campaign_form(
    request: TenantRequest, campaign: Campaign | None, data: Any = None
) -> CampaignForm:
    partners = list(selectors.partners_list(association=request.association))
    initial: dict[str, Any] = {"status": Campaign.Status.PLANNED, "starts_on": timezone.localdate()}
    codes: list[str] = []
    if campaign is not None:
        codes = list(campaign.region_codes or [])
        initial = {
            "title": campaign.title,
            "summary": campaign.summary,
            "status": campaign.status,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "goal_amount": campaign.goal_amount if campaign.goal_amount is not None else "",
            "goal_item": campaign.goal_item,
            "goal_quantity": campaign.goal_quantity if campaign.goal_quantity is not None else "",
            "goal_unit": campaign.goal_unit,
            "regions_kept": codes,
            "partners": [p.pk for p in selectors.campaign_partners(campaign)],
            "pledge_deadline": campaign.pledge_deadline,
            "public_fundraising_url": campaign.public_fundraising_url,
            "is_public": campaign.is_public,
        }
    form = CampaignForm(data, initial=initial, partners=partners, region_codes=codes)
    form.partner_objects = {p.pk: p for p in partners}  # type: ignore[attr-defined]
    return form


def _campaign_input(form: CampaignForm) -> services.CampaignInput:
    data = form.cleaned_data
    by_id = form.partner_objects  # type: ignore[attr-defined]
    return services.CampaignInput(
        title=data["title"],
        summary=data["summary"],
        status=data["status"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        goal_amount=data["goal_amount"],
        goal_item=data["goal_item"],
        goal_quantity=data["goal_quantity"],
        goal_unit=data["goal_unit"],
        region_codes=form.region_codes(),
        partners=[by_id[pk] for pk in data["partners"] if pk in by_id],
        pledge_deadline=data["pledge_deadline"],
        public_fundraising_url=data["public_fundraising_url"],
        is_public=data["is_public"],
    )


def _after_save(request: TenantRequest, campaign: Campaign) -> HttpResponseBase:
    slug = request.association.slug
    if request.POST.get("then") == "regions":  # 保存并继续添加地区
        return redirect(
            "charity:office_campaign_edit", association_slug=slug, campaign_id=campaign.pk
        )
    return redirect("charity:office_campaign", association_slug=slug, campaign_id=campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def office_campaign_new(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    _manager(request)
    form = _campaign_form(request, None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                association=request.association,
                actor=signed_in_user(request),
                data=_campaign_input(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已创建公益项目“%(title)s”") % {"title": campaign.title})
            return _after_save(request, campaign)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "charity/office/campaign_form.html",
        {"tab": "campaigns", "form": form, "campaign": None},
        status=status,
    )


def _office_campaign(request: TenantRequest, campaign_id: int) -> Campaign:
    _manager(request)
    return selectors.access_campaign(
        association=request.association, role=request.role, campaign_id=campaign_id
    )


@login_required
@require_GET
def office_campaign(
    request: TenantRequest, association_slug: str, campaign_id: int
) -> HttpResponse:
    """A campaign: its goal and progress from the ledger, partners, regions, pledges and the
    latest donations."""
    campaign = _office_campaign(request, campaign_id)
    progress = campaign_progress(request.association, campaign)
    pledges = list(
        selectors.pledges_search(
            association=request.association,
            filters=selectors.PledgeFilters(campaign=str(campaign.pk)),
        )[:100]
    )
    today = timezone.localdate()
    for pledge in pledges:
        pledge.is_overdue = selectors.pledge_is_overdue(pledge, today)  # type: ignore[attr-defined]
    return render(
        request,
        "charity/office/campaign.html",
        {
            "tab": "campaigns",
            "campaign": campaign,
            "progress": progress,
            "amount_bar": selectors.bar_percent(progress.amount_percent),
            "quantity_bar": selectors.bar_percent(progress.quantity_percent),
            "partners": selectors.campaign_partners(campaign),
            "regions": selectors.campaign_regions(campaign),
            "pledges": pledges,
            "donations": selectors.campaign_recent_donations(campaign),
            "takes_pledges": services.campaign_takes_pledges(campaign, today),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_campaign_edit(
    request: TenantRequest, association_slug: str, campaign_id: int
) -> HttpResponseBase:
    campaign = _office_campaign(request, campaign_id)
    form = _campaign_form(request, campaign, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                association=request.association,
                actor=signed_in_user(request),
                campaign=campaign,
                data=_campaign_input(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            campaign.refresh_from_db()
        else:
            messages.success(request, _("已保存"))
            return _after_save(request, campaign)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "charity/office/campaign_form.html",
        {"tab": "campaigns", "form": form, "campaign": campaign},
        status=status,
    )


# --- Pledges ------------------------------------------------------------------------------


def _donor(request: TenantRequest, form: OfficePledgeForm) -> DonorInput:
    """The donor the clerk named: one member found by ``members_named``, or an outside
    donor by name."""
    data = form.cleaned_data
    text = (data.get("member") or "").strip()
    if text:
        found = selectors.members_named(association=request.association, text=text)
        if not found:
            raise ValidationError({"member": _("没有找到该会员，请检查名称或会员编号")})
        if len(found) > 1:
            names = "、".join(m.name for m in found[:5])
            raise ValidationError(
                {
                    "member": _("找到多个会员：%(names)s，请输入完整名称或会员编号")
                    % {"names": names}
                }
            )
        return DonorInput(kind=DonorKind.MEMBER, member=found[0], anonymous=data["anonymous"])
    if not (data.get("donor_name") or "").strip():
        raise ValidationError({"member": _("请填写认捐会员，或填写其他认捐方名称")})
    return DonorInput(kind=DonorKind.OUTSIDE, name=data["donor_name"], anonymous=data["anonymous"])


@login_required
@require_http_methods(["GET", "POST"])
def office_pledge_new(
    request: TenantRequest, association_slug: str, campaign_id: int
) -> HttpResponseBase:
    """The secretariat takes down a pledge (a phone call, a meeting) for a member or an
    outside donor."""
    campaign = _office_campaign(request, campaign_id)
    form = OfficePledgeForm(
        request.POST or None,
        initial={"due_on": campaign.ends_on or campaign.pledge_deadline},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(
                association=request.association,
                actor=signed_in_user(request),
                campaign=campaign,
                donor=_donor(request, form),
                data=pledge_input(form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记认捐"))
            return redirect(
                "charity:office_pledge", association_slug=association_slug, pledge_id=pledge.pk
            )
    return render(
        request,
        "charity/office/pledge_form.html",
        {"tab": "pledges", "form": form, "campaign": campaign},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def office_pledges(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Every pledge, with what was received against it; filters: campaign, status, donor,
    overdue."""
    _manager(request)
    filters = selectors.PledgeFilters.from_mapping(request.GET)
    qs = selectors.pledges_search(association=request.association, filters=filters)
    page = DeepPaginator(qs, OFFICE_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for pledge in page.object_list:
        pledge.is_overdue = selectors.pledge_is_overdue(pledge, today)
    return render(
        request,
        "charity/office/pledges.html",
        {
            "tab": "pledges",
            "filters": filters,
            "statuses": Pledge.Status.choices,
            "campaigns": list(
                Campaign.objects.filter(association=request.association).order_by("-starts_on")
            ),
            "page_obj": page,
        },
    )


def _office_pledge(request: TenantRequest, pledge_id: int) -> Pledge:
    _manager(request)
    return selectors.access_pledge(
        association=request.association,
        actor=signed_in_user(request),
        role=request.role,
        pledge_id=pledge_id,
    )


def _pledge_page(
    request: TenantRequest,
    pledge: Pledge,
    *,
    rows: list[tuple[str, str]] | None = None,
    schedule_error: str = "",
    status: int = 200,
) -> HttpResponse:
    schedule = selectors.pledge_schedule(pledge)
    if rows is None:
        rows = [(str(line.installment.due_on), str(line.installment.amount)) for line in schedule]
    rows = rows + [("", "")] * max(3, 6 - len(rows))
    return render(
        request,
        "charity/office/pledge.html",
        {
            "tab": "pledges",
            "pledge": pledge,
            "is_overdue": selectors.pledge_is_overdue(pledge),
            "schedule": schedule,
            "rows": rows,
            "schedule_error": schedule_error,
            "donations": selectors.pledge_donations(pledge),
            "cancel_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@require_GET
def office_pledge(request: TenantRequest, association_slug: str, pledge_id: int) -> HttpResponse:
    return _pledge_page(request, _office_pledge(request, pledge_id))


@login_required
@require_POST
def office_pledge_schedule(
    request: TenantRequest, association_slug: str, pledge_id: int
) -> HttpResponseBase:
    """Replaces the installment schedule with the rows of the form (blank rows skipped)."""
    pledge = _office_pledge(request, pledge_id)
    dues = request.POST.getlist("due_on")[: services.MAX_INSTALLMENTS + 10]
    amounts = request.POST.getlist("amount")[: services.MAX_INSTALLMENTS + 10]
    rows = [
        (due.strip(), amount.strip())
        for due, amount in zip(dues, amounts, strict=False)
        if due.strip() or amount.strip()
    ]
    try:
        services.pledge_schedule_set(
            association=request.association,
            actor=signed_in_user(request),
            pledge=pledge,
            installments=[services.InstallmentInput(due_on=d, amount=a) for d, a in rows],
        )
    except ValidationError as exc:
        return _pledge_page(request, pledge, rows=rows, schedule_error=errors_text(exc), status=400)
    messages.success(request, _("已保存分期计划") if rows else _("已取消分期计划"))
    return redirect("charity:office_pledge", association_slug=association_slug, pledge_id=pledge.pk)


@login_required
@require_POST
def office_pledge_cancel(
    request: TenantRequest, association_slug: str, pledge_id: int
) -> HttpResponseBase:
    pledge = _office_pledge(request, pledge_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写取消原因"))
    else:
        try:
            services.pledge_cancel(
                association=request.association,
                actor=signed_in_user(request),
                pledge=pledge,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
        else:
            messages.success(request, _("已取消该认捐"))
    return redirect("charity:office_pledge", association_slug=association_slug, pledge_id=pledge.pk)


# --- Partners -----------------------------------------------------------------------------


def _partner_input(form: PartnerForm) -> services.PartnerInput:
    return services.PartnerInput(**form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def office_partners(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """The partner organizations, and a form to add one."""
    _manager(request)
    kind = request.GET.get("kind", "")
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_save(
                association=request.association,
                actor=signed_in_user(request),
                data=_partner_input(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加合作机构“%(name)s”") % {"name": partner.name})
            return redirect("charity:office_partners", association_slug=association_slug)
    return render(
        request,
        "charity/office/partners.html",
        {
            "tab": "partners",
            "form": form,
            "kind": kind,
            "kinds": Partner.Kind.choices,
            "partners": selectors.partners_list(association=request.association, kind=kind),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_partner_edit(
    request: TenantRequest, association_slug: str, partner_id: int
) -> HttpResponseBase:
    _manager(request)
    partner = selectors.access_partner(association=request.association, partner_id=partner_id)
    form = PartnerForm(
        request.POST or None,
        initial={
            "name": partner.name,
            "kind": partner.kind,
            "uscc": partner.uscc,
            "region_code": partner.region_code,
            "issues_official_receipts": partner.issues_official_receipts,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_save(
                association=request.association,
                actor=signed_in_user(request),
                data=_partner_input(form),
                partner=partner,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("charity:office_partners", association_slug=association_slug)
    return render(
        request,
        "charity/office/partner_form.html",
        {"tab": "partners", "form": form, "partner": partner},
        status=400 if form.is_bound else 200,
    )
