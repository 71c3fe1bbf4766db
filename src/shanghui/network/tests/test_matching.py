"""Match suggestions for a member's own listing (part S): opposite-kind listings and
enterprises that opted in, ranked with their reasons; the poster's own enterprise never;
an enterprise in several chambers once; someone else's listing is 404."""

import pytest
from django.urls import reverse

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import ListingKind, Visibility
from shanghui.network.selectors.matching import match_suggestions
from shanghui.network.services.showcase import showcase_set
from shanghui.network.tests.s_helpers import join, post
from shanghui.testing.factories import MemberFactory
from shanghui.testing.fixtures import Side, build_side, client_for

pytestmark = pytest.mark.django_db


def _opt_in(side: Side, member=None, **fields: str) -> None:  # type: ignore[no-untyped-def]
    member = member or side.member
    with tenant_context(side.association):
        for name, value in fields.items():
            setattr(member, name, value)
        member.save()
        showcase_set(association=side.association, actor=side.member_user, member=member, on=True)


def test_a_need_gets_ranked_offers_with_reasons(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    need = post(
        side_a, "采购螺纹钢", kind=ListingKind.NEED, body="需要螺纹钢500吨", region="440305"
    )
    post(side_b, "供应螺纹钢现货", region="440306")  # same industry, city, keyword
    post(side_b, "供应螺纹钢", region="360102", industry="50")  # keyword only, other province
    post(side_b, "供应铝合金门窗", region="440305")  # same industry and city, no keyword
    post(side_b, "采购螺纹钢", kind=ListingKind.NEED)  # same kind: never
    post(side_b, "出租仓库", industry="59", region="440305")  # nothing in common
    with tenant_context(side_a.association):
        found = match_suggestions(association=side_a.association, listing=need)
    titles = [m.title for m in found.listings]
    assert titles == ["供应螺纹钢现货", "供应铝合金门窗", "供应螺纹钢"]
    assert found.listings[0].reasons_text == "同行业 · 同城 · 关键词: 螺纹钢"
    assert found.listings[2].reasons_text == "关键词: 螺纹钢"


def test_enterprises_are_suggested_once_and_never_the_posters_own(
    side_a: Side, side_b: Side
) -> None:
    side_c = build_side("丙市", "bingshi")
    for side in (side_a, side_b, side_c):
        join(side.association)
    need = post(side_a, "采购不锈钢管", kind=ListingKind.NEED, region="440305")
    _opt_in(side_a, industry_code="31", main_products="不锈钢管")  # the poster's own
    neighbour = MemberFactory(association=side_a.association, name="甲市不锈钢厂")
    _opt_in(side_a, neighbour, industry_code="31", region_code="440303", main_products="不锈钢管")
    _opt_in(side_b, industry_code="31", region_code="440301", main_products="钢管")
    with tenant_context(side_c.association):
        side_c.member.uscc = side_b.member.uscc  # the same enterprise, another chamber
        side_c.member.save(update_fields=["uscc"])
    _opt_in(side_c, industry_code="31", region_code="440301")
    with tenant_context(side_a.association):
        found = match_suggestions(association=side_a.association, listing=need)
    names = [m.title for m in found.enterprises]
    assert names[0] == "甲市不锈钢厂"
    assert found.enterprises[0].reasons_text == "同行业 · 同城 · 关键词: 不锈钢管"
    assert side_a.member.name not in names
    assert sum(1 for m in found.enterprises if m.uscc == side_b.member.uscc) == 1


def test_other_associations_enterprises_need_the_network(side_a: Side, side_b: Side) -> None:
    join(side_b.association)
    _opt_in(side_b, industry_code="31")
    need = post(side_a, "采购钢材", kind=ListingKind.NEED, visibility=Visibility.ASSOCIATION)
    with tenant_context(side_a.association):
        found = match_suggestions(association=side_a.association, listing=need)
    assert found.enterprises == []


def test_matches_page_is_the_posters_alone(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    need = post(side_a, "采购螺纹钢", kind=ListingKind.NEED)
    post(side_b, "供应螺纹钢")
    url = reverse(
        "network:matches",
        kwargs={"association_slug": side_a.association.slug, "listing_id": need.pk},
    )
    response = client_for(side_a.member_user).get(url)
    assert response.status_code == 200
    assert "供应螺纹钢" in response.content.decode()
    assert "关键词: 螺纹钢" in response.content.decode()
    assert client_for(side_a.admin).get(url).status_code == 404  # not the poster
    other = post(side_b, "乙市采购", kind=ListingKind.NEED)
    url_b = reverse(
        "network:matches",
        kwargs={"association_slug": side_a.association.slug, "listing_id": other.pk},
    )
    assert client_for(side_a.member_user).get(url_b).status_code == 404


def test_an_inquiry_started_from_a_match_counts_as_one(side_a: Side, side_b: Side) -> None:
    """From the matches page to the offer and its 我要洽谈: the conversation is a match in the
    对接 report; the same listing found by search is not."""
    from shanghui.network.models import Conversation
    from shanghui.network.selectors.reports import network_report

    join(side_a.association)
    join(side_b.association)
    need = post(side_a, "采购螺纹钢", kind=ListingKind.NEED)
    offer = post(side_b, "供应螺纹钢")
    client = client_for(side_a.member_user)
    slug = side_a.association.slug
    page = client.get(
        reverse("network:matches", kwargs={"association_slug": slug, "listing_id": need.pk})
    )
    listing_url = reverse(
        "network:listing", kwargs={"association_slug": slug, "listing_id": offer.pk}
    )
    assert f"{listing_url}?from=match" in page.content.decode()
    detail = client.get(f"{listing_url}?from=match").content.decode()
    start = reverse(
        "network:conversation_start", kwargs={"association_slug": slug, "listing_id": offer.pk}
    )
    assert f"{start}?from=match" in detail
    assert client.post(f"{start}?from=match", {"text": "请报价"}).status_code == 302
    assert Conversation.objects.get().from_match
    with tenant_context(side_a.association):
        year = Conversation.objects.get().created_at.year
        assert network_report(association=side_a.association, year=year).total.matches == 1
