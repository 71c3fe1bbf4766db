"""The JSON API at /api/v1/ (schema /api/v1/openapi.json, docs /api/v1/docs). Endpoints are
thin: parse, access, call the same service the pages call, serialise."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.types import DictStrAny

from shanghui.accounts.api.audit import audit_router
from shanghui.accounts.api.auth import auth_router
from shanghui.accounts.api.me import me_router
from shanghui.accounts.api.notifications import deliveries_router, inbox_router
from shanghui.accounts.api.onboarding import onboarding_router
from shanghui.accounts.api.platform import platform_router
from shanghui.accounts.api.roles import roles_router
from shanghui.accounts.callers import AUTH
from shanghui.accounts.tenant_door import tenant_operation
from shanghui.associations.api.associations import public_router, tenant_router
from shanghui.charity.api import charity_public_router, charity_router
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.pagination import CursorRefused
from shanghui.core.ratelimit import RateLimited
from shanghui.core.text import clean_data
from shanghui.documents.api.router import documents_router
from shanghui.documents.api.uploads import uploads_router
from shanghui.dues.api.dues import dues_router
from shanghui.events.api.router import events_router
from shanghui.members.api.applications import applications_router
from shanghui.members.api.imports import imports_router
from shanghui.members.api.members import members_api as members_router
from shanghui.network.api import network_person_router, network_router
from shanghui.org.api.router import org_router
from shanghui.providers.api import offers_router, provider_public_router, provider_router
from shanghui.providers.door import provider_operation
from shanghui.publishing.api.announcements import announcements_router
from shanghui.publishing.api.router import publishing_router
from shanghui.publishing.api.site import portal_router, site_router
from shanghui.site.jobs_api import jobs_router


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object; anything else is refused up front."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return clean_data(data)  # type: ignore[return-value]


class UnescapedJSONRenderer(JSONRenderer):
    """JSON with Chinese as UTF-8 rather than ``\\u`` escapes: a quarter fewer bytes for a
    member list (escaped, it took 34% more), and readable in a log or a terminal. The answer
    says ``charset=utf-8`` (ninja's Content-Type is ``{media_type}; charset={charset}``)."""

    json_dumps_params: Mapping[str, Any] = MappingProxyType({"ensure_ascii": False})


class CachedSchemaAPI(NinjaAPI):
    """The OpenAPI schema depends only on the code (and the language of its texts), yet ninja
    builds it again for every request of /openapi.json and /docs — 7 s under load. Built once
    per process, prefix and language instead."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        schema = self._schemas.get(key)
        if schema is None:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            self._schemas[key] = schema
        return schema

    _schemas: ClassVar[dict[tuple[object, ...], OpenAPISchema]] = {}


api = CachedSchemaAPI(
    parser=ObjectBodyParser(),
    renderer=UnescapedJSONRenderer(),
    title="云商会 API",
    version="1",
    description=(
        "云商会开放接口。认证：`POST /api/v1/auth/token` 以手机号和密码换取令牌，"
        "之后在请求头中携带 `Authorization: Bearer <token>`。"
        "商协会内的资源位于 `/api/v1/associations/{slug}/…`。"
        "分页统一为 `{items, count, next_cursor}`：按 `page`、`page_size` 翻页，"
        "或以上一页的 `next_cursor` 作 `cursor` 参数接着取（深页同样快）；"
        "错误统一为 `{error: {code, message, fields}}`。"
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _django_validation_fields(exc: ValidationError) -> dict[str, list[str]] | None:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return None


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = _django_validation_fields(exc)
    message = "；".join(exc.messages)
    return error_response("validation_error", status=400, message=message, fields=fields)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", [])
            if part not in {"body", "query", "path", "form", "payload"}
        ]
        fields.setdefault(".".join(location) or "request", []).append(str(error.get("msg", "")))
    return error_response("validation_error", status=422, fields=fields)


@api.exception_handler(CursorRefused)
def on_cursor_refused(request: HttpRequest, exc: CursorRefused) -> HttpResponse:
    message = exc.message()
    return error_response(
        "validation_error", status=422, message=message, fields={"cursor": [message]}
    )


@api.exception_handler(RawPostDataException)
def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A form or upload sent to an endpoint that reads JSON: its fields were parsed already (to
    # check them for NUL), so the body cannot be read as JSON. The client's mistake, not ours.
    return error_response("validation_error", status=400, message=_("请求体应为 JSON 对象"))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response("not_found", status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response("forbidden", status=403)


@api.exception_handler(AuthenticationError)
def on_unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response("unauthorized", status=401)


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = error_response(
        "rate_limited",
        status=429,
        message=_("请求次数过多，请 %(seconds)d 秒后再试") % {"seconds": exc.retry_after},
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(str(exc.message) if exc.message else "error", status=exc.status_code)


def _register() -> None:

    api.add_router("/auth", auth_router)
    me_router.add_router("", inbox_router)
    api.add_router("/me", me_router)
    api.add_router("/onboarding", onboarding_router)
    api.add_router("/platform", platform_router)
    api.add_router("/associations", public_router)
    api.add_router("/portal", portal_router)
    tenant_router.add_decorator(tenant_operation, mode="view")
    # First, so that the paths keep their order: the association, its people, its log.
    tenant_router.add_router("", roles_router)
    tenant_router.add_router("", audit_router)
    tenant_router.add_router("", deliveries_router)
    # Before the members router: its /members/{member_id} would take /members/imports.
    tenant_router.add_router("", imports_router)
    tenant_router.add_router("", members_router)
    tenant_router.add_router("", applications_router)
    tenant_router.add_router("", jobs_router)
    tenant_router.add_router("/dues", dues_router)
    tenant_router.add_router("/events", events_router)
    tenant_router.add_router("/announcements", announcements_router)
    tenant_router.add_router("/org", org_router)
    tenant_router.add_router("/documents", documents_router)
    tenant_router.add_router("/charity", charity_router)
    tenant_router.add_router("/network", network_router)
    tenant_router.add_router("", offers_router)
    tenant_router.add_router("", publishing_router)
    tenant_router.add_router("", site_router)
    tenant_router.add_router("", uploads_router)
    api.add_router("/associations/{slug}", tenant_router)
    # Public reads inside one association's scope, for anyone (no token): each operation says
    # auth=None and answers 404 for what is not public; the tenant door still answers 404 for
    # unknown associations.
    public_tenant_router = Router()
    public_tenant_router.add_decorator(tenant_operation, mode="view")
    public_tenant_router.add_router("", charity_public_router)
    api.add_router("/public/associations/{slug}", public_tenant_router)
    # A person's conversations across associations (their own rows, row-level security on
    # app.user_id) and the service providers' doors.
    api.add_router("/network", network_person_router)
    api.add_router("/providers", provider_public_router)
    provider_router.add_decorator(provider_operation, mode="view")
    api.add_router("/providers/{provider_slug}", provider_router)


_register()
