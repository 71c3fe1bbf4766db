"""Who is calling the API: a bearer token (mobile app, mini-program) or the signed-in
browser session (pages that call the API; CSRF-checked for unsafe methods)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from shanghui.accounts.models import User
from shanghui.accounts.services import api_token_authenticate

_CACHE_ATTR = "_api_user"


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
    """Bearer token first, then the session."""
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


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API operation that requires authentication."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
