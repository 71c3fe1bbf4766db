"""Who is calling: the person signed in to a page (the session) or to the API (a bearer token —
mobile app, mini-program — or the browser session of pages that call the API; CSRF-checked for
unsafe methods). ``signed_in_user`` is the one way a view or an endpoint names that person."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from shanghui.accounts.models import User
from shanghui.accounts.services.tokens import api_token_authenticate

_CACHE_ATTR = "_api_user"


def signed_in_user(request: HttpRequest) -> User:
    """The person signed in: the API operation's authenticated caller (``request.auth``, set by
    ``AUTH``), else the page's session user. Only for views behind ``login_required`` and API
    operations that require authentication — anywhere else there may be no one, and asking is
    a programming error (an ``AssertionError``, never a silent anonymous user)."""
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    assert isinstance(user, User) and user.is_authenticated
    return user


def bearer_user(request: HttpRequest) -> User | None:
    """The user behind the request's bearer token (cached on the request), else None."""
    if hasattr(request, _CACHE_ATTR):
        cached: User | None = getattr(request, _CACHE_ATTR)
        return cached
    header = request.headers.get("Authorization", "")
    user = None
    if header.lower().startswith("bearer "):
        user = api_token_authenticate(header[7:].strip())
    setattr(request, _CACHE_ATTR, user)
    return user


def api_user(request: HttpRequest) -> User | None:
    """Who calls an API operation, authenticated or not yet: bearer token first, then the
    session; None for nobody. (Before ninja's auth runs: the tenant door needs it.)"""
    user = bearer_user(request)
    if user is not None:
        return user
    session_user = getattr(request, "user", None)
    if session_user is not None and session_user.is_authenticated:
        return session_user
    return None


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return bearer_user(request)


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [BearerAuth(), ActiveSessionAuth()]
