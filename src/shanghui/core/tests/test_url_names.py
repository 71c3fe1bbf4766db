"""One convention for URL names (docs/architecture.md, "URLs"): every app's urls.py holds all
its routes under its own namespace, the app label, included once from config/urls.py; a page
under /a/<slug>/office/ is named office_<name>, a page under /platform/ platform_<name>, and
no other page carries those prefixes."""

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from shanghui.core.urls import OFFICE


def _routes() -> list[tuple[str, str, str]]:
    """(namespace, route, name) of every named page route; the API is left to django-ninja."""
    found: list[tuple[str, str, str]] = []

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace == "api":
                    continue
                assert not (namespace and entry.namespace), f"nested namespace at {route}"
                walk(entry.url_patterns, entry.namespace or namespace, route)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"{route} has no name"
                found.append((namespace, route, entry.name))

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_app_includes_its_routes_once_under_its_label() -> None:
    included = [
        entry.namespace
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace != "api"
    ]
    assert len(included) == len(set(included)), included
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace != "api":
            assert entry.urlconf_module.__name__ == f"shanghui.{entry.namespace}.urls"
            assert str(entry.pattern) == "", f"{entry.namespace} is included under a prefix"


def test_route_names_follow_the_audience_of_their_path() -> None:
    routes = _routes()
    assert len(routes) > 150
    for namespace, route, name in routes:
        where = f"{namespace}:{name} ({route})"
        assert namespace, f"{where} is outside an app namespace"
        assert route.startswith(OFFICE) == name.startswith("office_"), where
        assert route.startswith("platform/") == name.startswith("platform_"), where
