"""Totals and disclosure: the back office's dashboard (统计), the settings (公开与共享) and the
yearly report PDF; the public pages — the association's charity page, a public campaign's
page and the honor roll — which answer 404 unless the association discloses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.charity.forms.disclosure import CharitySettingsForm
from shanghui.charity.report import yearly_report_pdf
from shanghui.charity.selectors import disclosure as public
from shanghui.charity.selectors.dashboard import dashboard_figures
from shanghui.charity.services.disclosure import charity_settings_update
from shanghui.charity.totals import campaign_progress
from shanghui.core.forms import add_service_errors
from shanghui.core.http import attachment_response, whole_number

FIRST_YEAR = 1950


def year_of(value: object) -> int | None:
    """A 4-digit year from the query string; None for anything else (every year)."""
    year = whole_number(value)
    if year is None or not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        return None
    return year


@login_required
@require_GET
def office_dashboard(request: TenantRequest, association_slug: str) -> HttpResponse:
    """统计: totals by year, campaign and donor, cash and goods, organized and reported."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    figures = dashboard_figures(association, year_of(request.GET.get("year")))
    context = {
        "tab": "dashboard",
        "figures": figures,
        "chart_data": figures.chart_data(),
        # The chosen year's report, else the latest year with gifts.
        "report_year": figures.year or next(iter(figures.years), timezone.localdate().year),
        "settings": public.charity_settings(association),
    }
    return render(request, "charity/office/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def office_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """公开与共享: whether the association discloses its charity work, and the public page's
    introduction."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    association = request.association
    current = public.charity_settings(association)
    form = CharitySettingsForm(
        request.POST or None,
        initial={
            "disclose_publicly": current.disclose_publicly,
            "public_intro": current.public_intro,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            charity_settings_update(
                association=association,
                actor=signed_in_user(request),
                disclose_publicly=form.cleaned_data["disclose_publicly"],
                public_intro=form.cleaned_data["public_intro"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("charity:office_settings", association_slug=association_slug)
    context = {
        "tab": "settings",
        "form": form,
        "settings": current,
        "public_campaigns": len(public.public_campaigns(association)),
    }
    return render(request, "charity/office/settings.html", context)


@login_required
@require_GET
def office_report(request: TenantRequest, association_slug: str, year: int) -> HttpResponse:
    """年度公益报告 of ``year`` as PDF."""
    require_perm(request.role, Perm.MANAGE_CHARITY)
    if year_of(year) is None:
        raise Http404
    content = yearly_report_pdf(request.association, year)
    return attachment_response(content, f"charity-report-{year}.pdf", inline=True)


# --- Public pages (no sign-in) ------------------------------------------------------------


@require_GET
def public_charity(request: TenantRequest, association_slug: str) -> HttpResponse:
    """公益信息公开: the totals of the whole ledger in 万/亿 with the exact figures, by year,
    the public campaigns, the honors received and the first names of the honor roll."""
    disclosure = public.public_disclosure(request.association)
    return render(request, "charity/public/charity.html", {"disclosure": disclosure})


@require_GET
def public_campaign(
    request: TenantRequest, association_slug: str, campaign_id: int
) -> HttpResponse:
    """A public campaign: its progress in 万/亿 and exactly, its partners and regions, the
    link to its partner's fundraising page, and the donors who agreed to be named."""
    association = request.association
    campaign = public.access_public_campaign(association=association, campaign_id=campaign_id)
    context = {
        "campaign": campaign,
        "progress": campaign_progress(association, campaign),
        "partners": public.campaign_partner_names(association, campaign),
        "regions": public.campaign_regions(campaign),
        "roll": public.honor_roll(association, campaign=campaign),
    }
    return render(request, "charity/public/campaign.html", context)


@require_GET
def public_honor_roll(request: TenantRequest, association_slug: str) -> HttpResponse:
    """光荣榜: every donor who agreed to be named (the largest ``HONOR_ROLL_PAGE``)."""
    settings = public.require_disclosure(request.association)
    roll = public.honor_roll(request.association)
    return render(
        request,
        "charity/public/honor_roll.html",
        {"roll": roll, "settings": settings, "limit": public.HONOR_ROLL_PAGE},
    )
