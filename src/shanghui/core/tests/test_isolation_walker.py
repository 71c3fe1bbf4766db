"""The isolation walker: every page route (from the URL resolver) and every API operation
(from the OpenAPI schema) is called by an administrator and a member of association A — and
by a person who is only a user of a service provider on A's side — with the ids, slugs and
tokens of association B's objects (and of B's side's provider). Each must answer 404 (403
where A's own slug is used and the persona lacks the permission) and show none of B's data.
Routes added by later modules are walked automatically; a parameter the walker cannot fill
fails the test."""

import importlib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shanghui.accounts.models import Role, User
from shanghui.accounts.services.invitations import invitation_send
from shanghui.accounts.services.tokens import api_token_create
from shanghui.associations.models import OnboardingApplication
from shanghui.core.models import Job
from shanghui.core.storage.files import file_attach, file_store
from shanghui.core.tenancy import provider_context, tenant_context
from shanghui.providers.models import Provider, ProviderUser
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for


@dataclass
class Foreign:
    """B's objects, by the URL/API parameter name that refers to them."""

    values: dict[str, str]
    markers: list[str]
    # Public facts about B (its name is on the platform's public list of associations): never
    # on a page that names B's objects, but allowed on public listing pages.
    public_markers: list[str] = field(default_factory=list)


# Routes meant to answer a holder of B's secret token inside B's own space (the invitee opens
# their link) or to show B's public profile. They are still walked with A's slug.
PUBLIC_IN_FOREIGN_SPACE = {
    # A donor's honor certificate carries a QR code that anyone may scan to verify it
    # (charity/tests/test_honors.py); B's token on A's slug is still walked and must be 404.
    "charity:honor_verify",
    "GET /api/v1/public/associations/{slug}/charity/verify/{verify_token}",
    "accounts:invitation_accept",
    # A registration's pass and an invitation's event page open by their signed key, without
    # an account (links sent to guests); B's key on A's slug is still walked and must be 404.
    "events:pass",
    "events:invited",
    # An association's public application form (入会申请) is for anyone.
    "members:member_apply",
    "members:member_apply_done",
    "POST /api/v1/associations/{slug}/member-applications",
    "POST /api/v1/associations/{slug}/invitations/{token}/accept",
    "GET /api/v1/associations/{slug}",
    # A member's calendar subscription: calendar apps fetch it by its signed key, no session.
    "events:member_feed",
    # An announcement's personal SMS link (and its attachments): signed for one recipient of
    # one announcement, opened without an account (publishing/tests/test_announcements.py has
    # its positive and negative tests); B's key on A's slug is still walked and must be 404.
    "publishing:announcement_open",
    "publishing:announcement_open_attachment",
    # An association's public news (its public articles, their pictures, its categories) is
    # for anyone (publishing/tests/test_public.py shows it answers there, and only that);
    # B's members-only article on B's slug is still walked below and must be 404.
    "publishing:articles",
    "publishing:image",
    "GET /api/v1/associations/{slug}/articles",
    "GET /api/v1/associations/{slug}/categories",
    # An association's public site (官网) is for anyone: at /a/<slug>/ a person without a role
    # there gets it instead of the member home; its sitemap and news feed likewise. They show
    # only public articles, public events of a published calendar, the names on a published
    # organisation chart and the enterprises that opted in (publishing/tests/
    # test_public_site.py proves each, and that nothing members-only shows).
    "members:home",
    "publishing:site_home",
    "publishing:site_sitemap",
    "publishing:news_feed",
    "GET /api/v1/associations/{slug}/site",
    # A document share link opens by its token for anyone holding it, without an account
    # (documents/tests/test_shares.py has its positive and negative tests); B's token on A's
    # slug is still walked and must be 404.
    "documents:share",
}
# Parameters that name no object of anyone's (formats, not ids).
# Route parameters that name no association's object: a feed's format, a GB/T 2260 region
# code (public reference data, the region picker's endpoint).
NON_OBJECT_PARAMS = {"fmt": "json", "code": "440000", "year": "2026"}
# Parameters that name a space (an association's, a service provider's back office): filled
# with B's (foreign-slug) or with the walking persona's own side's (own-slug).
SLUG_PARAMS = {"association_slug", "slug", "provider_slug"}


@dataclass
class ProviderPersona:
    """The third persona: a person who is only a user of a service provider on A's side (no
    role in any association). Walks every route as A's people do: B's associations and B's
    provider's objects must all answer 404, in its own provider's back office too."""

    user: User
    provider: Provider


@pytest.fixture
def provider_persona(side_a: Side) -> ProviderPersona:
    provider = Provider.objects.create(
        name="甲市商业银行",
        slug="jiashi-bank",
        category="bank",
        uscc="",
        licence_number="A0001",
        region_code="440300",
        contact_name="甲市客户经理",
        contact_phone="13800001111",
        status=Provider.Status.APPROVED,
    )
    user = UserFactory(name="甲市客户经理")
    with provider_context(provider):
        ProviderUser.objects.create(provider=provider, user=user, kind=ProviderUser.Kind.ADMIN)
    return ProviderPersona(user=user, provider=provider)


@pytest.fixture
def foreign(side_a: Side, side_b: Side, tmp_path: Any) -> Foreign:
    b = side_b.association
    with tenant_context(b):
        _invitation, token = invitation_send(
            association=b, actor=side_b.admin, user=side_b.member_user, role_kind=Role.Kind.MEMBER
        )
        job = Job.objects.create(association=b, owner=side_b.admin, kind="x", label="乙市导出")
        role = Role.objects.get(association=b, user=side_b.member_user)
    api_token, _raw = api_token_create(user=side_b.admin, name="乙市令牌")
    application = OnboardingApplication.objects.create(
        association=b, contact_name="乙市联系人", contact_phone="13911112222"
    )
    certificate = file_store(
        b,
        io.BytesIO(b"%PDF-1.4 test"),
        holder="associations.onboardingapplication.certificate",
        name="c.pdf",
    )
    with tenant_context(b):
        file_attach(application, "certificate", certificate)
    foreign = Foreign(
        values={
            "association_slug": b.slug,
            "slug": b.slug,
            "member_id": str(side_b.member.pk),
            "role_id": str(role.pk),
            "token": token,
            "job_id": str(job.pk),
            "token_id": str(api_token.pk),
            "application_id": str(application.pk),
            "association_id": str(b.pk),
        },
        public_markers=[b.name],
        markers=[
            side_b.member.name,
            side_b.person.phone,
            side_b.member.uscc,
            side_b.member_user.phone or "",
            "乙市导出",
            "乙市联系人",
        ],
    )
    # Each module teaches the walker its own objects in <app>/tests/walker.py:
    # foreign_objects(side_b) -> ({url parameter: B's value}, [texts only B's pages show]).
    for app in apps.get_app_configs():
        if not app.name.startswith("shanghui."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tests.walker")
        except ModuleNotFoundError:
            continue
        values, markers = module.foreign_objects(side_b)
        clash = set(values) & set(foreign.values)
        assert not clash, f"{app.name} reuses walker parameter names {clash}"
        foreign.values.update(values)
        foreign.markers.extend(markers)
    return foreign


def page_routes() -> list[tuple[str, list[str]]]:
    """(namespaced url name, its keyword parameters) for every named page route."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], namespace: str, params: list[str]) -> None:
        for entry in patterns:
            converters = (
                list(entry.pattern.converters) if hasattr(entry.pattern, "converters") else []
            )
            regex_params = re.findall(r"\?P<(\w+)>", str(entry.pattern))
            here = params + [p for p in converters + regex_params if p not in params]
            if isinstance(entry, URLResolver):
                if entry.namespace == "api":
                    continue  # walked through the OpenAPI schema below
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, here)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((f"{namespace}{entry.name}", here))

    walk(get_resolver().url_patterns, "", [])
    return found


def _own_slugs(own: str | Mapping[str, str]) -> Mapping[str, str]:
    """The own side's slugs by parameter; a plain string is A's association slug."""
    return {"association_slug": own, "slug": own} if isinstance(own, str) else own


def _value(param: str, foreign: Foreign, own: Mapping[str, str] | None) -> str:
    if param in NON_OBJECT_PARAMS:
        return NON_OBJECT_PARAMS[param]
    if own is not None and param in own:
        return own[param]
    if param not in foreign.values:
        pytest.fail(f"The isolation walker cannot fill parameter {param!r}: add B's object for it")
    return foreign.values[param]


def variants(
    params: list[str], foreign: Foreign, own_slug: str | Mapping[str, str]
) -> list[tuple[str, dict[str, str]]]:
    """B's slug with B's objects, and — when the route names objects besides the slug — A's
    own slug (A's association, or A's side's provider for ``provider_slug``) with B's objects
    (the id-guessing attack)."""
    own = _own_slugs(own_slug)
    out = [("foreign-slug", {p: _value(p, foreign, None) for p in params})]
    objects = [p for p in params if p not in SLUG_PARAMS and p not in NON_OBJECT_PARAMS]
    has_slug = any(p in SLUG_PARAMS for p in params)
    if objects and has_slug:
        out.append(("own-slug", {p: _value(p, foreign, own) for p in params}))
    return out


def _assert_no_leak(body: bytes, foreign: Foreign, where: str, *, names_b: bool = True) -> None:
    text = body.decode("utf-8", "replace")
    for marker in foreign.markers + (foreign.public_markers if names_b else []):
        if marker:
            assert marker not in text, f"{where} shows B's data {marker!r}"


class FreshSessions:
    """A new client in a new signed-in session of ``user`` for every request — the walk also
    visits /logout/ and pages that write to the session — each a copy of one real sign-in
    (signing in for every request, with its signals, cost almost half the page walk)."""

    def __init__(self, user: User) -> None:
        self.data = dict(client_for(user).session.items())
        self.store = importlib.import_module(settings.SESSION_ENGINE).SessionStore

    def client(self) -> Client:
        session = self.store()
        session.update(self.data)
        session.create()
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return client


def _call_page(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.django_db
def test_every_page_route_hides_other_associations(
    side_a: Side, foreign: Foreign, provider_persona: ProviderPersona
) -> None:
    routes = page_routes()
    assert len(routes) > 20, "the resolver walk found too few routes"
    sessions = {
        "admin": FreshSessions(side_a.admin),
        "member": FreshSessions(side_a.member_user),
        "provider": FreshSessions(provider_persona.user),
    }
    own = _own_slugs_of(side_a, provider_persona)
    walked = 0
    for name, params in routes:
        for persona, signed_in in sessions.items():
            if all(p in NON_OBJECT_PARAMS for p in params):  # names nobody's object
                response = _call_page(
                    signed_in.client(),
                    reverse(name, kwargs={p: NON_OBJECT_PARAMS[p] for p in params}),
                )
                assert response.status_code < 500, f"{name} as {persona}: {response.status_code}"
                _assert_no_leak(response.content, foreign, f"{name} as {persona}", names_b=False)
                walked += 1
                continue
            for variant, kwargs in variants(params, foreign, own):
                if variant == "foreign-slug" and name in PUBLIC_IN_FOREIGN_SPACE:
                    continue
                url = reverse(name, kwargs=kwargs)
                response = _call_page(signed_in.client(), url)
                # A's administrator holds every permission in A (and the provider persona in
                # its provider), so nothing but 404 may answer them for B's ids; a member may
                # meet 403 first for a missing right.
                strict = variant == "foreign-slug" or persona in {"admin", "provider"}
                allowed = {404} if strict else {404, 403}
                assert response.status_code in allowed, (
                    f"{name} ({variant}) as {persona}: {url} answered {response.status_code}"
                )
                _assert_no_leak(response.content, foreign, f"{url} as {persona}")
                walked += 1
    assert walked > 40


def _own_slugs_of(side_a: Side, provider_persona: ProviderPersona) -> dict[str, str]:
    slug = side_a.association.slug
    return {"association_slug": slug, "slug": slug, "provider_slug": provider_persona.provider.slug}


def _example(schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """A minimal value that satisfies a JSON schema (so validation passes and the access
    check is what answers)."""
    if "$ref" in schema:
        ref = schema["$ref"].split("/")[-1]
        return _example(spec["components"]["schemas"][ref], spec)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _example(schema[key][0], spec)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _example(prop, spec)
            for name, prop in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2020-01-01"
    if schema.get("format") == "binary":
        return b"%PDF-1.4"
    return "x"


def api_operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.django_db
def test_every_api_operation_hides_other_associations(
    side_a: Side, foreign: Foreign, provider_persona: ProviderPersona
) -> None:
    spec = json.loads(Client().get("/api/v1/openapi.json").content)
    operations = api_operations(spec)
    assert len(operations) > 15
    tokens = {
        "admin": api_token_create(user=side_a.admin, name="walker")[1],
        "member": api_token_create(user=side_a.member_user, name="walker")[1],
        "provider": api_token_create(user=provider_persona.user, name="walker")[1],
    }
    own = _own_slugs_of(side_a, provider_persona)
    walked = 0
    for method, path, operation in operations:
        # From the path itself, so a parameter the framework misreads as a query is still filled.
        params = re.findall(r"{(\w+)}", path)
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert set(params) == declared, (
            f"{method} {path} does not declare {params} as path parameters"
        )
        body_schema = (
            operation.get("requestBody", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema")
        )
        body = json.dumps(_example(body_schema, spec)) if body_schema else None
        for persona, token in tokens.items():
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            cases = variants(params, foreign, own) if params else [("none", {})]
            for variant, kwargs in cases:
                key = f"{method} {path}"
                if variant == "foreign-slug" and key in PUBLIC_IN_FOREIGN_SPACE:
                    continue
                url = path
                for name, value in kwargs.items():
                    url = url.replace("{" + name + "}", value)
                response = client.generic(method, url, body or "", content_type="application/json")
                if params:
                    strict = persona in {"admin", "provider"} or variant == "foreign-slug"
                    allowed = {404} if strict else {404, 403}
                    assert response.status_code in allowed, (
                        f"{key} ({variant}) as {persona}: {url} answered "
                        f"{response.status_code} {response.content[:200]!r}"
                    )
                else:
                    assert response.status_code < 500, f"{key} as {persona}: {response.status_code}"
                _assert_no_leak(
                    response.content, foreign, f"{key} as {persona}", names_b=bool(params)
                )
                walked += 1
    assert walked > 30


def test_walker_fails_on_unknown_parameter() -> None:
    foreign = Foreign(values={"association_slug": "b"}, markers=[])
    with pytest.raises(pytest.fail.Exception, match="cannot fill parameter 'gadget_id'"):
        variants(["association_slug", "gadget_id"], foreign, "own")


def test_walker_detects_a_leak() -> None:
    foreign = Foreign(values={}, markers=["乙市江西商会"])
    with pytest.raises(AssertionError):
        _assert_no_leak("<p>乙市江西商会</p>".encode(), foreign, "demo")
