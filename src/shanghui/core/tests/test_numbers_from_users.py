"""Numbers typed into filters and forms: ``str.isdigit`` admits “²” and other digits that
``int`` refuses, and numbers beyond a database integer. Each is read as no number at all —
never a 500 — through ``core.http.whole_number``."""

import json

import pytest
from django.test import Client

from shanghui.accounts.services.tokens import api_token_create
from shanghui.core.http import whole_number
from shanghui.testing.fixtures import Side

NOT_NUMBERS = ["²", "²⁰²⁴", "١٢", "9" * 30, "-1", " 7", ""]


def test_whole_numbers_are_ascii_digits_below_a_bound() -> None:
    assert [whole_number(v) for v in NOT_NUMBERS] == [None] * len(NOT_NUMBERS)
    assert whole_number("2024") == 2024
    assert whole_number("0") == 0
    assert whole_number("99", below=100) == 99
    assert whole_number("100", below=100) is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_filters_and_feeds_answer_odd_digits_without_an_error(
    side_a: Side, admin_a: Client, member_a: Client, value: str
) -> None:
    slug = side_a.association.slug
    _token, raw = api_token_create(user=side_a.admin, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    found = api.get(
        f"/api/v1/associations/{slug}/members",
        {"level": value, "committee": value, "joined_year": value},
    )
    assert found.status_code == 200
    assert json.loads(found.content)["count"] == 1  # no filter applied: the one member
    for client, path, params in (
        (member_a, f"/a/{slug}/directory/", {"level": value, "committee": value}),
        (admin_a, f"/a/{slug}/office/members/", {"level": value, "joined_year": value}),
        (admin_a, f"/a/{slug}/office/dues/", {"year": value, "level": value, "min_days": value}),
        (admin_a, f"/a/{slug}/office/dues/arrears/", {"year": value, "min_days": value}),
    ):
        assert client.get(path, params).status_code == 200, path
    feed = Client().get(f"/a/{slug}/events/feed/{value or '0'}-{'a' * 32}.ics")
    assert feed.status_code == 404
