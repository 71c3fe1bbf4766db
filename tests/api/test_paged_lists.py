"""Every paged list of the API takes ``cursor`` and answers ``next_cursor``, as its schema says:
a walk one row at a time by cursor returns what one big page does, for each list the
association's administrator can read (core.apikit.pagination)."""

import json
from typing import Any

import pytest
from django.test import Client

from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, api_client_for


def openapi() -> dict[str, Any]:
    return json.loads(Client().get("/api/v1/openapi.json").content)  # type: ignore[no-any-return]


def paged_lists(schema: dict[str, Any]) -> list[str]:
    """Paths of GET operations with ``page``, whose only path parameter is the slug."""
    found = []
    for path, item in schema["paths"].items():
        names = {p["name"] for p in item.get("get", {}).get("parameters", [])}
        if "page" in names and not (set(path.split("/")) - {"{slug}"}) & {
            "{" + n + "}" for n in names
        }:
            found.append(path)
    return found


@pytest.mark.django_db
def test_the_schema_documents_cursor_and_next_cursor() -> None:
    schema = openapi()
    operation = schema["paths"]["/api/v1/associations/{slug}/members"]["get"]
    cursor = next(p for p in operation["parameters"] if p["name"] == "cursor")
    assert cursor["in"] == "query" and not cursor.get("required")
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paged = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(paged["required"]) >= {"items", "count", "next_cursor"}
    assert {"type": "null"} in paged["properties"]["next_cursor"]["anyOf"]
    every = [
        path
        for path, item in schema["paths"].items()
        if any(p["name"] == "page" for p in item.get("get", {}).get("parameters", []))
    ]
    assert len(every) > 15
    for path in every:
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert "cursor" in names, path


@pytest.mark.django_db
def test_every_list_walks_by_cursor_as_it_pages(side_a: Side) -> None:
    for i in range(3):
        MemberFactory(association=side_a.association, name="同名商贸有限公司", member_no=f"S{i}")
    client = api_client_for(side_a.admin)
    lists = paged_lists(openapi())
    assert len(lists) > 10
    for path in lists:
        address = path.replace("{slug}", side_a.association.slug)
        whole = client.get(address, {"page_size": 100})
        if whole.status_code != 200:  # the platform's lists: not an association's admin's
            assert whole.status_code in (403, 404), (path, whole.content)
            continue
        expected = json.loads(whole.content)["items"]
        walked: list[Any] = []
        cursor = None
        for _ in range(len(expected) + 1):
            response = client.get(
                address, {"page_size": 1, **({"cursor": cursor} if cursor else {})}
            )
            assert response.status_code == 200, (path, response.content)
            body = json.loads(response.content)
            walked += body["items"]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert walked == expected, path
