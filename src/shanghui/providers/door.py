"""The provider door — the one way a request enters a service provider's back office.

``provider_door`` resolves the provider a request names (``/p/<provider_slug>/…`` pages,
``/api/v1/providers/{provider_slug}/…`` operations), lets it through only if the provider is
approved and the caller is one of its users, and runs the view inside
``core.tenancy.provider_context``. Anything else is the same 404 as an unknown slug: a
provider's back office does not say to strangers that it exists. Both doormen —
``ProviderMiddleware`` for pages and ``provider_operation`` for the API — call it.

An association's space and a provider's are never open in one request: the provider door
opens no association, and the tenant door opens no provider."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from shanghui.accounts.callers import api_user
from shanghui.accounts.models import User
from shanghui.core.apikit.errors import error_response
from shanghui.core.tenancy import provider_context
from shanghui.providers.models import Provider, ProviderUser

PROVIDER_URL_KWARG = "provider_slug"
# Every provider back-office page starts so.
PROVIDER_SPACE = "p/<slug:provider_slug>/"
PROVIDER_PATH_PREFIX = "/p/"

Handler = Callable[[HttpRequest], HttpResponse]


class NoSuchProvider(Exception):
    """Answer as for a provider that does not exist (404)."""


def provider_door(
    request: HttpRequest,
    *,
    slug: str,
    user: User | AnonymousUser | None,
    inside: Callable[[], HttpResponse],
) -> HttpResponse:
    """Runs ``inside`` in the scope of the approved provider ``slug`` names, with
    ``request.provider`` and ``request.provider_user`` set, when ``user`` is one of its
    users; raises ``NoSuchProvider`` before ``inside`` runs otherwise. A server error from
    ``inside`` keeps none of its writes."""
    provider = Provider.objects.filter(slug=slug, status=Provider.Status.APPROVED).first()
    if provider is None or user is None or not user.is_authenticated:
        raise NoSuchProvider
    if request.method == "POST" and request.content_type == "multipart/form-data":
        request.FILES  # noqa: B018 - parse uploads before the transaction (as the tenant door)
    with provider_context(provider):
        membership = ProviderUser.objects.filter(provider=provider, user=user).first()
        if membership is None:
            raise NoSuchProvider
        request.provider = provider  # type: ignore[attr-defined]
        request.provider_user = membership  # type: ignore[attr-defined]
        response = inside()
        if response.status_code >= 500 and connection.in_atomic_block:
            transaction.set_rollback(True)
    return response


class ProviderMiddleware:
    """The pages' doorman for ``/p/<provider_slug>/``: unknown providers, providers not
    approved and callers who are not the provider's users all get the 404 page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.provider = None  # type: ignore[attr-defined]
        request.provider_user = None  # type: ignore[attr-defined]
        if not request.path_info.startswith(PROVIDER_PATH_PREFIX):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get(PROVIDER_URL_KWARG)
        if slug is None:
            return self.get_response(request)
        try:
            return provider_door(
                request, slug=slug, user=request.user, inside=lambda: self.get_response(request)
            )
        except NoSuchProvider:
            raise Http404 from None


def provider_operation(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's doorman: every operation under ``/api/v1/providers/{provider_slug}/``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return provider_door(
                request,
                slug=kwargs.get(PROVIDER_URL_KWARG, ""),
                user=api_user(request),
                inside=lambda: view(request, *args, **kwargs),
            )
        except NoSuchProvider:
            return error_response("not_found", status=404)

    return wrapper


def current_provider(request: HttpRequest) -> Provider:
    """The provider the door let this request into."""
    return request.provider  # type: ignore[attr-defined]


def current_provider_user(request: HttpRequest) -> ProviderUser:
    """The caller's place in it."""
    return request.provider_user  # type: ignore[attr-defined]
