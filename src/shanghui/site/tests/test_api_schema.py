"""The OpenAPI schema is built once per process and language, not on every request (it took
7 s under load, issue 15); what is served is the same document."""

import pytest
from django.test import Client
from django.utils import translation

from shanghui.site.api import api

pytestmark = pytest.mark.django_db


def test_the_schema_is_built_once_and_served_as_built() -> None:
    first = Client().get("/api/v1/openapi.json")
    second = Client().get("/api/v1/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(first.json()["paths"]) > 100
    with translation.override("zh-hans"):
        built = api.get_openapi_schema(path_prefix="/api/v1/")
        assert api.get_openapi_schema(path_prefix="/api/v1/") is built


def test_each_language_keeps_its_own_schema() -> None:
    with translation.override("zh-hans"):
        chinese = api.get_openapi_schema(path_prefix="/api/v1/")
    with translation.override("en"):
        english = api.get_openapi_schema(path_prefix="/api/v1/")
    assert english is not chinese
    assert english["paths"].keys() == chinese["paths"].keys()
