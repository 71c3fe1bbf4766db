"""The public site of an association (官网): its home — for visitors also at ``/a/<slug>/``,
where members get their member home — its banner and showcased members' logos, its
``sitemap.xml`` and news feed, and the back office's one page of site settings.

Everything public here is served through the tenant door like the apply page and the public
calendar: anyone may read it, ``request.role`` may be None."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response, picture_version
from shanghui.publishing.public_site import PublicHome, access_showcased_member, public_home
from shanghui.publishing.services import site as site_services
from shanghui.publishing.share import share_context
from shanghui.publishing.site_forms import SiteSettingsForm
from shanghui.publishing.sitemaps import site_sitemaps


@require_GET
def site_home(request: TenantRequest, association_slug: str) -> HttpResponse:
    """The public home: banner, introduction, latest news, upcoming public events, the
    leadership, the member showcase, contact and "apply to join"."""
    association = request.association
    home = public_home(association)
    context = {
        "home": home,
        "is_member": request.role is not None,
        "site_calendar": home.calendar_published,
        "site_chart": home.chart_published,
        **share_context(
            request,
            title=association.name,
            description=association.introduction[:120],
            image=banner_url(request, home) if home.banner_version else "",
            # The site's public address is /a/<slug>/ (/site/ is the same page for members).
            canonical=reverse("members:home", kwargs={"association_slug": association.slug}),
        ),
    }
    return render(request, "publishing/public/site_home.html", context)


def banner_url(request: TenantRequest, home: PublicHome, *, size: str = "screen") -> str:
    path = reverse("publishing:site_banner", kwargs={"association_slug": home.association.slug})
    return request.build_absolute_uri(f"{path}?size={size}&v={home.banner_version}")


@require_GET
def site_banner(request: TenantRequest, association_slug: str) -> HttpResponse:
    association = request.association  # the door's tenant_context: its StoredFile is readable
    return picture_response(
        association,
        held_file(association, association.banner_id),
        size=request.GET.get("size", "screen"),
        version=request.GET.get("v", ""),
    )


@require_GET
def showcase_logo(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    member = access_showcased_member(association=request.association, member_id=member_id)
    logo = held_file(request.association, member.logo_id)
    return picture_response(
        request.association, logo, size="thumb", version=request.GET.get("v", "")
    )


@require_GET
def site_sitemap(request: TenantRequest, association_slug: str) -> HttpResponse:
    """``sitemap.xml`` of the public site: its home, public pages and public articles."""
    response = sitemap_view(
        request,
        sitemaps=site_sitemaps(request.association),
        template_name="publishing/public/sitemap.xml",
    )
    response.render()
    return response


@login_required
@require_http_methods(["GET", "POST"])
def office_site_settings(request: TenantRequest, association_slug: str) -> HttpResponseBase:
    """官网设置: the one page for everything the public site shows — introduction, banner,
    contact, ICP 备案号, the member showcase, the public calendar, the public organisation
    chart and sharing news on the platform portal."""
    require_perm(request.role, Perm.EDIT_SETTINGS)
    association = request.association
    current = site_services.site_settings_read(association=association)
    form = SiteSettingsForm(request.POST or None, request.FILES or None, initial=current.as_dict())
    if request.method == "POST" and form.is_valid():
        try:
            site_services.site_settings_update(
                association=association,
                actor=signed_in_user(request),
                role=request.role,
                data=form.settings(),
                banner=form.cleaned_data.get("banner"),
                remove_banner=form.cleaned_data.get("remove_banner", False),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("publishing:office_site_settings", association_slug=association_slug)
    return render(
        request,
        "publishing/office/site_settings.html",
        {
            "form": form,
            "has_banner": association.banner_id is not None,
            "banner_version": picture_version(association.banner_id),
        },
    )
