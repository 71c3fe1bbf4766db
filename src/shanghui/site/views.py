"""The pages that look across apps: the public home and privacy notice, the language switch,
a background job's pages, and the back office's 工作台, where each app shows its own figures
(``core.contributions.DASHBOARD``) and to-do items (``TODOS``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.services.account import current_privacy_notice, profile_update
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.associations.models import Association
from shanghui.associations.selectors import PortalFilters, portal_directory
from shanghui.core.api import job_file_response
from shanghui.core.contributions import DASHBOARD
from shanghui.core.jobs import access_job, already_running_message, job_restart
from shanghui.core.models import AuditEntry
from shanghui.core.regions import provinces, region_display_name, region_label
from shanghui.publishing.selectors import portal_news
from shanghui.site.todos import todos_of_request

PORTAL_PAGE = 24
PORTAL_NEWS = 8


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The platform portal: the directory of associations (search by name in characters,
    pinyin or initials; filter by kind and province; paged), each card a link to the
    association's public site, and the public news of the associations that share theirs
    (``publishing.selectors.portal_news``: a platform table, no query across associations)."""
    filters = PortalFilters(
        **{key: request.GET.get(key, "").strip()[:50] for key in PortalFilters.__dataclass_fields__}
    )
    page = Paginator(portal_directory(filters), PORTAL_PAGE).get_page(request.GET.get("page"))
    for association in page:
        association.region_name = region_display_name(association.region_code)  # type: ignore[attr-defined]
    searching = any((filters.q, filters.kind, filters.region))
    return render(
        request,
        "site/public/home.html",
        {
            "page_obj": page,
            "associations": list(page),
            "filters": filters,
            "searching": searching,
            "kinds": Association.Kind.choices,
            "provinces": [(r.code, region_label(r.name)) for r in provinces()],
            "news": [] if searching else list(portal_news(limit=PORTAL_NEWS)),
        },
    )


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "site/public/privacy.html", {"notice": current_privacy_notice()})


@require_POST
def set_language(request: HttpRequest) -> HttpResponseBase:
    """Switches the interface language; remembered in a cookie and, for a signed-in person,
    on their account so it follows them to their phone."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language in {code for code, _name in settings.LANGUAGES}:
        if request.user.is_authenticated:
            profile_update(user=signed_in_user(request), language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@login_required
@require_GET
def job_progress(request: TenantRequest, association_slug: str, job_id: str) -> HttpResponse:
    """The progress bar partial a page polls while a background job runs; opened as a page
    (where 重新开始 leads), the bar on a page of its own."""
    require_member(request.role)
    user = signed_in_user(request)
    job = access_job(association=request.association, actor=user, role=request.role, job_id=job_id)
    if request.htmx:
        return render(request, "core/office/_job_progress.html", {"job": job})
    return render(request, "core/office/job_page.html", {"job": job})


@login_required
@require_POST
def job_restart_view(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponseBase:
    """重新开始: a failed job of the caller's started again as it was; on to its progress."""
    require_member(request.role)
    user = signed_in_user(request)
    job = access_job(association=request.association, actor=user, role=request.role, job_id=job_id)
    try:
        new, started = job_restart(association=request.association, actor=user, job=job)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        new, started = job, True
    if not started:
        messages.info(request, already_running_message(new))
    return redirect("site:job_progress", association_slug=association_slug, job_id=new.pk)


@login_required
@require_GET
def job_download(request: TenantRequest, association_slug: str, job_id: str) -> HttpResponseBase:
    require_member(request.role)
    user = signed_in_user(request)
    job = access_job(association=request.association, actor=user, role=request.role, job_id=job_id)
    return job_file_response(job)


@login_required
@require_GET
def office_dashboard(request: TenantRequest, association_slug: str) -> HttpResponse:
    """工作台: the to-do list, each app's figures, the last actions in the audit log."""
    require_perm(request.role, Perm.VIEW_OFFICE)
    association = request.association
    context = {
        "todos": todos_of_request(request),
        "recent": AuditEntry.objects.filter(association=association)
        .select_related("actor")
        .order_by("-created_at")[:10],
    }
    for source in DASHBOARD.visible_to(request.role):
        context.update(source.figures(association))
    return render(request, "site/office/dashboard.html", context)
