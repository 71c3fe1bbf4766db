import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from shanghui.core.apikit.errors import error_response
from shanghui.core.ratelimit import RateLimited
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.text import clean_text

Handler = Callable[[HttpRequest], HttpResponse]

TRADITIONAL_BROWSER_LANGUAGES = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit log, the sign-in lockout and rate limits.

    ``X-Forwarded-For`` is read only when ``USE_X_FORWARDED_FOR`` says the app sits behind
    nginx, and only its last entry, which nginx appended (or wrote) from the connection it
    accepted: whatever a client puts in the header itself comes before it. Anything that is
    not an IP address there falls back to the connection's address."""
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Remembers where the request came from, for the audit log."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        origin = Origin(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


def preferred_language(request: HttpRequest) -> str:
    """Simplified Chinese unless the person chose otherwise (profile, then cookie), or their
    browser asks for Traditional Chinese. English only by choice: a clerk's English-language
    Windows should not turn the platform English."""
    supported = {code for code, _ in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in supported:
        return str(user.language)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in supported:
        return cookie
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "").lower()
    first = accept.split(",")[0].split(";")[0].strip()
    if first.startswith(TRADITIONAL_BROWSER_LANGUAGES):
        return "zh-hant"
    return str(settings.LANGUAGE_CODE)


class LanguageMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CleanInputMiddleware:
    """Input is made safe before any view sees it.

    A NUL character is never real input and cannot be stored (PostgreSQL refuses it): a request
    with one anywhere — path, query, a header, the body whatever its declared type — gets a 400.
    Form fields then go through ``core.text.clean_text`` (the API's JSON body does too, in its
    parser; the Excel import per cell), so no control character reaches the database."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _has_nul(request)
        except MultiPartParserError:
            # A broken upload is the client's mistake: a 400 in its language, not a traceback
            # in the log for every malformed request a scanner sends.
            return _bad_request(request, _("上传的表单数据格式不正确"))
        if refused:
            return _bad_request(request, _("请求中含有无效字符"))
        if request.method == "POST" and _is_form(request):
            cleaned = request.POST.copy()
            for key, values in request.POST.lists():
                cleaned.setlist(key, [clean_text(value) for value in values])
            cleaned._mutable = False
            request.POST = cleaned  # type: ignore[assignment]  # frozen above, as Django's is
        return self.get_response(request)


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response("validation_error", status=400, message=message)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _is_form(request: HttpRequest) -> bool:
    return (request.content_type or "") in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "\x00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in value for values in request.GET.lists() for value in values[1]):
        return True
    if any(
        isinstance(value, str) and "\x00" in value
        for key, value in request.META.items()
        if key.startswith("HTTP_")
    ):
        return True
    if _is_form(request):
        # Uploaded files may hold any byte; the fields may not.
        return any("\x00" in value for values in request.POST.lists() for value in values[1])
    if (request.content_type or "").endswith("octet-stream"):
        return False  # a file's bytes, streamed by whoever reads them
    body = request.body
    return b"\x00" in body or b"\\u0000" in body


class RateLimitMiddleware:
    """Turns ``core.ratelimit.RateLimited`` raised by a page into a 429 in the person's
    language, with ``Retry-After``. (The API turns it into its JSON error itself.)"""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        response = TemplateResponse(
            request, "429.html", {"retry_after": exception.retry_after}, status=429
        )
        response["Retry-After"] = str(exception.retry_after)
        return response.render()
