from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.models import User
from shanghui.accounts.permissions import require_member
from shanghui.accounts.services import current_privacy_notice, profile_update
from shanghui.associations.selectors import active_associations
from shanghui.core.api import job_file_response
from shanghui.core.http import TenantRequest
from shanghui.core.jobs import access_job, already_running_message, job_restart
from shanghui.core.regions import children, get_region, region_full_name, region_label


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    associations = list(active_associations().order_by("created_at")[:12])
    for association in associations:
        association.region_name = region_full_name(association.region_code)  # type: ignore[attr-defined]
    return render(request, "core/home.html", {"associations": associations})


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"notice": current_privacy_notice()})


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


# Regions change only with a new release of the data; a day in any cache is harmless.
REGIONS_CACHE_SECONDS = 24 * 3600


@require_GET
def region_children(request: HttpRequest, code: str) -> JsonResponse:
    """The divisions directly under one GB/T 2260 code, for the region pickers (public data,
    no sign-in): at most a few dozen entries, read from memory, the same for everyone, so
    shared caches may keep them. An unknown code is a 404 with an empty list."""
    region = get_region(code)
    found = children(code) if region is not None else []
    # Named in the language the picker asks for (its URL carries it, so caches keep each).
    language = request.GET.get("lang", "")
    response = JsonResponse(
        {"children": [{"code": r.code, "name": region_label(r.name, language)} for r in found]},
        status=200 if region is not None else 404,
    )
    if region is not None:
        response["Cache-Control"] = f"public, max-age={REGIONS_CACHE_SECONDS}"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponseBase:
    """Browsers and WeChat ask for /favicon.ico whatever the page links; it is the icon's
    hashed static file."""
    return redirect(static("shanghui/favicon-32.png"), permanent=True)


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
            assert isinstance(request.user, User)
            profile_update(user=request.user, language=language)
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
    assert isinstance(request.user, User)
    job = access_job(
        association=request.association, actor=request.user, role=request.role, job_id=job_id
    )
    if request.htmx:
        return render(request, "core/job_progress.html", {"job": job})
    return render(request, "core/job_page.html", {"job": job})


@login_required
@require_POST
def job_restart_view(
    request: TenantRequest, association_slug: str, job_id: str
) -> HttpResponseBase:
    """重新开始: a failed job of the caller's started again as it was; on to its progress."""
    require_member(request.role)
    assert isinstance(request.user, User)
    job = access_job(
        association=request.association, actor=request.user, role=request.role, job_id=job_id
    )
    try:
        new, started = job_restart(association=request.association, actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        new, started = job, True
    if not started:
        messages.info(request, already_running_message(new))
    return redirect("space:job_progress", association_slug=association_slug, job_id=new.pk)


@login_required
@require_GET
def job_download(request: TenantRequest, association_slug: str, job_id: str) -> HttpResponseBase:
    require_member(request.role)
    assert isinstance(request.user, User)
    job = access_job(
        association=request.association, actor=request.user, role=request.role, job_id=job_id
    )
    return job_file_response(job)
