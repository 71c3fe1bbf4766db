"""A member's charity pages on the phone (/a/<slug>/charity/…): campaigns in progress, a
campaign with its progress and the pledge button (until its pledge deadline), the pledge
form, and 我的公益 — the pledges and donations of the members they represent."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.forms.campaigns import MemberPledgeForm, pledge_input
from shanghui.charity.models import Campaign, DonorKind
from shanghui.charity.selectors import campaigns as selectors
from shanghui.charity.services import campaigns as services
from shanghui.charity.services.donations import DonorInput
from shanghui.charity.totals import campaign_progress, ledger_totals
from shanghui.core.forms import add_service_errors


@login_required
@require_GET
def campaigns(request: TenantRequest, association_slug: str) -> HttpResponse:
    """Campaigns in progress, newest first."""
    require_member(request.role)
    rows = list(selectors.campaigns_open(association=request.association)[:100])
    today = timezone.localdate()
    selectors.set_percent(rows)
    for campaign in rows:
        campaign.takes_pledges = services.campaign_takes_pledges(campaign, today)  # type: ignore[attr-defined]
    return render(request, "charity/member/campaigns.html", {"campaigns": rows})


def _campaign(request: TenantRequest, campaign_id: int) -> Campaign:
    """Members reach campaigns in progress or closed — even an administrator, on these
    pages, sees no drafts."""
    require_member(request.role)
    return selectors.access_campaign(
        association=request.association, role=None, campaign_id=campaign_id
    )


@login_required
@require_GET
def campaign(request: TenantRequest, association_slug: str, campaign_id: int) -> HttpResponse:
    item = _campaign(request, campaign_id)
    progress = campaign_progress(request.association, item)
    user = signed_in_user(request)
    mine = list(
        selectors.my_pledges(association=request.association, user=user).filter(campaign_id=item.pk)
    )
    for pledge in mine:
        pledge.is_overdue = selectors.pledge_is_overdue(pledge)  # type: ignore[attr-defined]
    return render(
        request,
        "charity/member/campaign.html",
        {
            "campaign": item,
            "progress": progress,
            "amount_bar": selectors.bar_percent(progress.amount_percent),
            "quantity_bar": selectors.bar_percent(progress.quantity_percent),
            "partners": selectors.campaign_partners(item),
            "regions": selectors.campaign_regions(item),
            "takes_pledges": services.campaign_takes_pledges(item),
            "can_pledge": bool(
                selectors.members_for_pledge(association=request.association, user=user)
            ),
            "my_pledges": mine,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_pledge(
    request: TenantRequest, association_slug: str, campaign_id: int
) -> HttpResponseBase:
    """The pledge form: for one of the members the signed-in person represents, while the
    campaign takes pledges."""
    item = _campaign(request, campaign_id)
    user = signed_in_user(request)
    members = selectors.members_for_pledge(association=request.association, user=user)
    back = redirect("charity:campaign", association_slug=association_slug, campaign_id=item.pk)
    if not services.campaign_takes_pledges(item):
        messages.error(request, _("该项目目前不接受认捐"))
        return back
    if not members:
        messages.error(request, _("您尚未作为会员代表或联络人登记，暂不能在线认捐，请联系秘书处"))
        return back
    form = MemberPledgeForm(
        request.POST or None, members=members, initial={"due_on": item.pledge_deadline}
    )
    if request.method == "POST" and form.is_valid():
        member = next((m for m in members if m.pk == form.cleaned_data["member"]), None)
        try:
            if member is None:
                raise ValidationError({"member": _("请选择您所代表的会员")})
            services.pledge_create(
                association=request.association,
                actor=user,
                campaign=item,
                donor=DonorInput(kind=DonorKind.MEMBER, member=member),
                data=pledge_input(form.cleaned_data),
                by_member=True,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("感谢认捐！秘书处将与您联系捐赠事宜"))
            return redirect("charity:my_charity", association_slug=association_slug)
    return render(
        request,
        "charity/member/campaign_pledge.html",
        {"campaign": item, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def my_charity(request: TenantRequest, association_slug: str) -> HttpResponse:
    """我的公益: the pledges of the members I represent with what was received against each,
    and their donations."""
    require_member(request.role)
    user = signed_in_user(request)
    association = request.association
    pledges = list(selectors.my_pledges(association=association, user=user)[:100])
    today = timezone.localdate()
    for pledge in pledges:
        pledge.is_overdue = selectors.pledge_is_overdue(pledge, today)  # type: ignore[attr-defined]
        pledge.outstanding = max(pledge.amount - pledge.received, Decimal(0))  # type: ignore[attr-defined]
    donations_qs = selectors.my_donations(association=association, user=user)
    return render(
        request,
        "charity/member/my_charity.html",
        {
            "pledges": pledges,
            "donations": list(donations_qs[:100]),
            "totals": ledger_totals(donations_qs),
        },
    )
