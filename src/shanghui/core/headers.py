"""Response headers that keep what a page shows to the person it was made for.

- ``ContentSecurityPolicyMiddleware``: every HTML answer carries a Content-Security-Policy
  that runs only our own script files and inline scripts holding this response's nonce
  (``request.csp_nonce``: ``<script nonce="{{ request.csp_nonce }}">``), so markup that
  slipped past escaping or sanitising cannot run script, load from elsewhere, frame us or
  post our forms elsewhere. Inline event handlers (``onclick=``) and ``eval`` never run;
  ``core/tests/test_headers.py`` keeps them out of the templates.

Django 6 brings its own CSP support; this is the small subset we need on Django 5.2.
"""

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


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
