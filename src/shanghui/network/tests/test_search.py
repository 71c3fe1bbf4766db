"""Searching the network (part S): own listings and the index rows that reach the
association, Chinese words, pinyin and initials, single characters, filters, reach rules
and one result per enterprise and title."""

import pytest
from django.urls import reverse

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import ListingKind, Visibility
from shanghui.network.selectors.search import NetworkFilters, network_search
from shanghui.network.tests.s_helpers import join, post
from shanghui.testing.fixtures import Side, build_side, client_for

pytestmark = pytest.mark.django_db


def _titles(side: Side, **filters: str) -> list[str]:
    with tenant_context(side.association):
        hits = network_search(association=side.association, filters=NetworkFilters(**filters))
    return [hit.title for hit in hits]


def test_platform_listings_reach_members_of_joined_associations_only(
    side_a: Side, side_b: Side
) -> None:
    post(side_b, "供应优质螺纹钢")
    join(side_b.association)
    post(side_b, "批发镀锌钢材")
    assert _titles(side_a, q="钢材") == []  # A has not joined the network
    join(side_a.association)
    assert _titles(side_a, q="钢材") == ["批发镀锌钢材"]
    # The first was posted before B joined: it is indexed as "federation" and reaches no one.
    assert _titles(side_a, q="螺纹钢") == []


def test_association_only_listings_stay_home(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    post(side_b, "乙市内部钢材", visibility=Visibility.ASSOCIATION)
    post(side_a, "甲市内部钢材", visibility=Visibility.ASSOCIATION)
    assert _titles(side_a, q="钢材") == ["甲市内部钢材"]
    assert _titles(side_b, q="钢材") == ["乙市内部钢材"]


def test_chinese_words_pinyin_initials_and_single_characters(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    post(side_b, "长期供应冷轧钢板", body="厚度0.5至3毫米，可开票")
    post(side_b, "求购办公家具", kind=ListingKind.NEED)
    assert _titles(side_a, q="钢板") == ["长期供应冷轧钢板"]
    assert _titles(side_a, q="gangban") == ["长期供应冷轧钢板"]
    assert _titles(side_a, q="gb") == ["长期供应冷轧钢板"]
    assert _titles(side_a, q="冷軋") == ["长期供应冷轧钢板"]  # 繁體 input
    assert _titles(side_a, q="开票") == ["长期供应冷轧钢板"]  # a word of the body
    assert _titles(side_a, q="钢") == ["长期供应冷轧钢板"]  # one character
    assert _titles(side_a, q="家钢") == []  # both characters required
    assert _titles(side_a, q="，，") == []


def test_own_listings_are_found_by_words_and_pinyin(side_a: Side) -> None:
    post(side_a, "甲市供应水泥", visibility=Visibility.ASSOCIATION)
    assert _titles(side_a, q="水泥") == ["甲市供应水泥"]
    assert _titles(side_a, q="shuini") == ["甲市供应水泥"]
    assert _titles(side_a, q="木材") == []


def test_filters_kind_industry_region(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    post(side_b, "供应钢材一", industry="31", region="440305")
    post(side_b, "采购钢材二", kind=ListingKind.NEED, industry="31", region="360102")
    post(side_b, "供应钢材三", industry="C", region="440106")
    assert _titles(side_a, q="钢材", kind="need") == ["采购钢材二"]
    assert len(_titles(side_a, q="钢材", industry="C")) == 3  # a section takes in its divisions
    assert _titles(side_a, q="钢材", industry="32") == []
    assert _titles(side_a, q="钢材", industry="31", kind="offer") == ["供应钢材一"]
    assert sorted(_titles(side_a, region="44")) == ["供应钢材一", "供应钢材三"]
    assert _titles(side_a, region="440300") == ["供应钢材一"]


def test_same_enterprise_and_title_in_several_chambers_appears_once(
    side_a: Side, side_b: Side
) -> None:
    side_c = build_side("丙市", "bingshi")
    for side in (side_a, side_b, side_c):
        join(side.association)
    with tenant_context(side_c.association):
        side_c.member.uscc = side_b.member.uscc
        side_c.member.save(update_fields=["uscc"])
    post(side_b, "供应不锈钢管")
    post(side_c, "供应不锈钢管")
    post(side_c, "供应不锈钢板")
    assert sorted(_titles(side_a, q="不锈钢")) == ["供应不锈钢板", "供应不锈钢管"]


def test_federation_listings_reach_linked_associations(side_a: Side, side_b: Side) -> None:
    from shanghui.org.models import FigureSharingConsent

    with tenant_context(side_b.association):
        FigureSharingConsent.objects.create(
            association=side_b.association, parent=side_a.association
        )
    post(side_b, "乙市联盟专供钢材", visibility=Visibility.FEDERATION)
    assert _titles(side_a, q="钢材") == ["乙市联盟专供钢材"]
    side_c = build_side("丙市", "bingshi")
    join(side_c.association)
    assert _titles(side_c, q="钢材") == []


def test_home_page_shows_results_with_association_and_no_enterprise(
    side_a: Side, side_b: Side
) -> None:
    join(side_a.association)
    join(side_b.association)
    post(side_b, "供应优质钢材")
    url = reverse("network:home", kwargs={"association_slug": side_a.association.slug})
    response = client_for(side_a.member_user).get(url, {"q": "钢材"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "供应优质钢材" in text
    assert side_b.association.short_name in text
    assert side_b.member.name not in text
    assert "13900001111" not in text
    response = client_for(side_b.member_user).get(url)  # B's member, A's space
    assert response.status_code == 404
