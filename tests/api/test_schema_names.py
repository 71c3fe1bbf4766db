"""Every request and response body of the API has a name of its own. The OpenAPI document
keys bodies by class name, so a second ``TotalsOut`` silently replaced the first one's
description for both operations (a client generated from the schema then expects fields the
answer does not have); django-ninja says nothing."""

from collections import defaultdict

from ninja import Schema

from shanghui.site.api import api


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_no_two_bodies_share_a_name() -> None:
    api.get_openapi_schema()  # imports every router's module
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("shanghui."):
            by_name[cls.__name__].add(cls.__module__)
    clashes = {name: sorted(modules) for name, modules in by_name.items() if len(modules) > 1}
    assert clashes == {}
