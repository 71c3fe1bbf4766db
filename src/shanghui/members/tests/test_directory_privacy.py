"""A member's directory search finds a phone only as that member may see it (issue 12, item 1):
a hidden number is found neither by its tail nor whole, a shown one by its whole number; the
secretariat keeps searching by the last digits; members' searches are rate-limited."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import tenant_context
from shanghui.members.models import Member
from shanghui.members.selectors import MemberFilters, member_search
from shanghui.testing.factories import MemberFactory, PersonFactory, RepresentativeFactory
from shanghui.testing.fixtures import Side, api_client_for, client_for

pytestmark = pytest.mark.django_db

HIDDEN = "13112346851"  # the attacked number: shown to members as 131****6851
SHOWN = "13970001234"
HIDDEN_MEMBER = "吉安市青原区秀英茶叶有限公司"
SHOWN_MEMBER = "九江市濂溪区建国建材有限公司"
# What the attacker typed: the visible tail, then one guessed digit more at a time, up to the
# whole number (the right guess each time: the search must not tell it from a wrong one).
WALK = [HIDDEN[-n:] for n in range(4, 12)]


@pytest.fixture
def phones(side_a: Side) -> Side:
    a = side_a.association
    for member, name, phone, shown in (
        (HIDDEN_MEMBER, "黄秀英", HIDDEN, False),
        (SHOWN_MEMBER, "刘建国", SHOWN, True),
    ):
        RepresentativeFactory(
            association=a,
            member=MemberFactory(association=a, name=member),
            person=PersonFactory(association=a, name=name, phone=phone, show_phone=shown),
        )
    return side_a


def _page(client: Client, side: Side, q: str) -> tuple[int, str]:
    url = reverse("members:directory", kwargs={"association_slug": side.association.slug})
    response = client.get(url, {"q": q})
    return response.status_code, response.content.decode()


def _api(client: Client, side: Side, q: str) -> list[str]:
    url = f"/api/v1/associations/{side.association.slug}/members"
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return [item["name"] for item in json.loads(response.content)["items"]]


def test_a_member_cannot_walk_a_hidden_phone_from_its_tail(phones: Side) -> None:
    page, api = client_for(phones.member_user), api_client_for(phones.member_user)
    a = phones.association
    with tenant_context(a):
        hidden = Member.objects.get(association=a, name=HIDDEN_MEMBER)
    card = page.get(
        reverse("members:member_card", kwargs={"association_slug": a.slug, "member_id": hidden.pk})
    ).content.decode()
    assert "131****6851" in card and HIDDEN not in card  # what the attacker started from
    nobody = _page(page, phones, "13100000000")[1]
    for q in WALK:
        status, html = _page(page, phones, q)
        assert status == 200 and HIDDEN_MEMBER not in html, q
        assert "没有找到匹配的会员" in html and "没有找到匹配的会员" in nobody, q
        assert _api(api, phones, q) == [], q


def test_a_member_finds_a_shown_phone_by_its_whole_number_only(phones: Side) -> None:
    page, api = client_for(phones.member_user), api_client_for(phones.member_user)
    assert _api(api, phones, SHOWN) == [SHOWN_MEMBER]
    assert SHOWN_MEMBER in _page(page, phones, SHOWN)[1]
    for q in (SHOWN[-4:], SHOWN[-8:], SHOWN[1:]):
        assert _api(api, phones, q) == [], q
        assert SHOWN_MEMBER not in _page(page, phones, q)[1], q


def test_the_secretariat_still_finds_phones_by_their_last_digits(phones: Side) -> None:
    office = client_for(phones.admin)
    url = reverse("members:office_members", kwargs={"association_slug": phones.association.slug})
    for q in ("6851", HIDDEN[-7:], HIDDEN):
        assert HIDDEN_MEMBER in office.get(url, {"q": q}).content.decode(), q
        assert _api(api_client_for(phones.admin), phones, q) == [HIDDEN_MEMBER], q
    assert _api(api_client_for(phones.admin), phones, "1234") == [SHOWN_MEMBER]


@override_settings(RATE_LIMITS={**settings.RATE_LIMITS, "directory_search": "3/60"})
def test_a_members_searches_are_limited_per_minute_on_the_page_and_the_api(
    phones: Side,
) -> None:
    page, api = client_for(phones.member_user), api_client_for(phones.member_user)
    assert [_page(page, phones, q)[0] for q in ("6851", "46851", "346851")] == [200] * 3
    status, html = _page(page, phones, "2346851")
    assert status == 429 and "操作太频繁" in html
    url = f"/api/v1/associations/{phones.association.slug}/members"
    refused = api.get(url, {"q": "12346851"})  # the same person's count, whichever door
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert json.loads(refused.content)["error"]["code"] == "rate_limited"
    # Browsing without a query is not a search; another member has their own count.
    assert _page(page, phones, "")[0] == 200
    assert api.get(url, {"level": "1"}).status_code == 200
    assert _page(client_for(phones.admin), phones, "6851")[0] == 200


@override_settings(
    RATE_LIMITS={
        **settings.RATE_LIMITS,
        "directory_search": "100/60",
        "directory_search_daily": "2/86400",
    }
)
def test_a_members_searches_are_limited_per_day(phones: Side) -> None:
    api = api_client_for(phones.member_user)
    url = f"/api/v1/associations/{phones.association.slug}/members"
    statuses = [api.get(url, {"q": q}).status_code for q in ("gzj", "稀土", "jgj")]
    assert statuses == [200, 200, 429]


@pytest.mark.postgres_only
def test_the_members_phone_rule_holds_as_the_application_role(phones: Side) -> None:
    a = phones.association
    with tenant_context(a), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        found = {
            q: list(
                member_search(
                    association=a, filters=MemberFilters(q=q), directory=True
                ).values_list("name", flat=True)
            )
            for q in (*WALK, SHOWN, "6851")
        }
        office = list(
            member_search(
                association=a, filters=MemberFilters(q="6851"), directory=False
            ).values_list("name", flat=True)
        )
        cursor.execute("RESET ROLE")
    assert all(found[q] == [] for q in WALK)
    assert found[SHOWN] == [SHOWN_MEMBER]
    assert office == [HIDDEN_MEMBER]
