"""Response headers that keep what a page shows to the person it was made for.

- ``ContentSecurityPolicyMiddleware``: every HTML answer carries a Content-Security-Policy
  that runs only our own script files and inline scripts holding this response's nonce
  (``request.csp_nonce``: ``<script nonce="{{ request.csp_nonce }}">``), so markup that
  slipped past escaping or sanitising cannot run script, load from elsewhere, frame us or
  post our forms elsewhere. Inline event handlers (``onclick=``) and ``eval`` never run;
  ``core/tests/test_headers.py`` keeps them out of the templates.
- ``PrivateCacheMiddleware``: pages and API answers are ``Cache-Control: private, no-store``
  unless their view says otherwise, so neither a proxy nor the disk cache of a shared office
  computer keeps a member list after sign-out.

Django 6 brings its own CSP support; this is the small subset we need on Django 5.2.
"""

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]

NO_STORE = "private, no-store"


def content_security_policy(nonce: str) -> str:
    """The policy of an HTML page. Styles may be inline: ECharts writes style attributes
    into its tooltips and a few templates size things inline; with images, fonts and
    connections limited to our origin, injected CSS has nowhere to send what it reads."""
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        # QR codes are data: URLs; the check-in scanner reads a photo through a blob: URL.
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


class ContentSecurityPolicyMiddleware:
    """Gives each request a fresh nonce and each HTML answer the policy naming it. A view
    that sets its own policy keeps it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(nonce)
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every answer the application makes, unless the
    view chose its own (a calendar feed, a picture). Pages and API answers are made for the
    person asking: their name, a member list, a guest's ticket from the session, a CSRF
    token; even anonymous pages read the session (language, the sign-in menu). Chosen over
    ``no-cache``: the back button still works (the browser asks again), and nothing personal
    stays on the disk of a shared office computer after signing out. Static files are served
    before this middleware runs and keep their long cache lifetimes."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = NO_STORE
        return response
