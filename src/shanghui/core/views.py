"""Pages of the kernel that know no app: the health check, the favicon and the region
pickers' data. The pages that look across apps (home, privacy, language, jobs) are the top
floor's (``site.views``)."""

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from shanghui.core.regions import children, get_region, region_label


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
        # Chinese names as UTF-8, as the API answers them: a third fewer bytes than escapes.
        json_dumps_params={"ensure_ascii": False},
    )
    if region is not None:
        response["Cache-Control"] = f"public, max-age={REGIONS_CACHE_SECONDS}"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponseBase:
    """Browsers and WeChat ask for /favicon.ico whatever the page links; it is the icon's
    hashed static file."""
    return redirect(static("shanghui/favicon-32.png"), permanent=True)
