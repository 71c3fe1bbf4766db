import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve

from shanghui.accounts.tenant_door import AssociationSuspended, NoSuchAssociation, tenant_door
from shanghui.core.urls import SPACE

Handler = Callable[[HttpRequest], HttpResponse]

# The URL keyword that marks a page as inside an association's space: /a/<association_slug>/…
TENANT_URL_KWARG = "association_slug"
# Every such URL starts so (``core.urls.SPACE``).
TENANT_PATH_PREFIX = "/" + SPACE.split("<", 1)[0]

LAST_SEEN_KEY = "last_seen"


class IdleTimeoutMiddleware:
    """Signs a person out after ``SESSION_IDLE_TIMEOUT`` seconds without a request. The
    timestamp is written at most once a minute to keep session writes cheap."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = int(request.session.get(LAST_SEEN_KEY, now))
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif now - last_seen >= 60 or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class TenantMiddleware:
    """The pages' doorman: every URL under ``/a/<association_slug>/`` goes through
    ``accounts.tenant_door``. Sets ``request.association`` and ``request.role`` (None outside an
    association's space, and for people without a role there). The door's refusals become the
    404 page, or the suspended notice (403) for the association's own people and operators."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.association = None  # type: ignore[attr-defined]
        request.role = None  # type: ignore[attr-defined]
        if not request.path_info.startswith(TENANT_PATH_PREFIX):
            # Not a page of an association's space (the API has its own door): no need to
            # resolve the URL once more before the handler does.
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(TENANT_URL_KWARG)
        if slug is None:
            return self.get_response(request)
        try:
            return tenant_door(
                request, slug=slug, user=request.user, inside=lambda: self.get_response(request)
            )
        except NoSuchAssociation:
            raise Http404 from None
        except AssociationSuspended:
            return TemplateResponse(request, "core/public/suspended.html", status=403).render()
