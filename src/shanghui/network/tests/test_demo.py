"""The demo's network reads as a visitor would find it after ``seed_demo``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.demo import GDJX, SZDZ, ZSJX
from shanghui.core.tenancy import tenant_context
from shanghui.network.demo.posts import DEAL_VALUE, HUANG_OFFER, LIU_NEED, ORANGES_TITLE
from shanghui.network.models import (
    Conversation,
    Deal,
    EnterpriseIndex,
    Listing,
    ListingIndex,
    NetworkSettings,
    ShowcaseItem,
    Visibility,
)
from shanghui.testing.fixtures import client_for


@pytest.fixture
def demo(db: None) -> dict[str, Association]:
    call_command("seed_demo", members=300, stdout=StringIO())
    return {a.slug: a for a in Association.objects.all()}


def user(phone: str) -> User:
    return User.objects.get(phone=phone)


def test_liu_jianhua_sees_the_shenzhen_match_talk_and_deal(demo: dict[str, Association]) -> None:
    gdjx, szdz = demo[GDJX.slug], demo[SZDZ.slug]
    liu, huang = user(GDJX.member_phone), user(SZDZ.member_phone)
    with tenant_context(gdjx):
        need = Listing.objects.get(association=gdjx, poster=liu, title=LIU_NEED.title)
        assert need.visibility == Visibility.PLATFORM and need.status == Listing.Status.PUBLISHED
    with tenant_context(szdz):
        offer = Listing.objects.get(association=szdz, poster=huang, title=HUANG_OFFER.title)

    page = client_for(liu).get(
        reverse("network:matches", kwargs={"association_slug": gdjx.slug, "listing_id": need.pk})
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert HUANG_OFFER.title in text and "深圳电子信息协会" in text and "同行业" in text

    # 黄志伟 found it as a match and wrote; 刘建华 shared his contact and marked the deal.
    thread = Conversation.objects.get(listing_id=need.pk, inquirer=huang)
    assert thread.from_match and thread.poster_shared_contact.endswith(GDJX.member_phone)
    page = client_for(huang).get(
        reverse(
            "network:conversation",
            kwargs={"association_slug": szdz.slug, "conversation_id": thread.pk},
        )
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert GDJX.member_phone in text and "首批800套" in text
    with tenant_context(gdjx):
        assert Deal.objects.get(conversation=thread).value == DEAL_VALUE
    assert offer.pk != need.pk
    # 钟国平 of 中山 asks a 广东省江西商会 grower about 脐橙.
    zhong = user(ZSJX.member_phone)
    page = client_for(zhong).get(
        reverse("network:conversations", kwargs={"association_slug": ZSJX.slug})
    )
    assert ORANGES_TITLE in page.content.decode()


def test_the_demo_network_spans_three_associations(demo: dict[str, Association]) -> None:
    counts = {}
    for slug, reviews in ((GDJX.slug, False), (ZSJX.slug, True), (SZDZ.slug, False)):
        association = demo[slug]
        with tenant_context(association):
            settings = NetworkSettings.objects.get(association=association)
            assert settings.joins_platform and settings.moderate_before_publishing is reviews
            listings = Listing.objects.filter(association=association)
            counts[slug] = listings.count()
            assert listings.filter(status=Listing.Status.EXPIRED).exists()
            visibilities = set(
                listings.filter(status=Listing.Status.PUBLISHED).values_list(
                    "visibility", flat=True
                )
            )
            assert visibilities == set(Visibility.values)
            assert ShowcaseItem.objects.filter(association=association).exists()
        # Expired and pending listings are in nobody's search.
        assert not ListingIndex.objects.filter(
            association=association,
            listing_id__in=listings.exclude(status=Listing.Status.PUBLISHED).values("pk"),
        ).exists()
        assert EnterpriseIndex.objects.filter(association=association).exists()
    assert sum(counts.values()) >= 36
    with tenant_context(demo[ZSJX.slug]):
        [pending] = Listing.objects.filter(status=Listing.Status.PENDING)
    office = client_for(user(ZSJX.admin_phone)).get(
        reverse("network:office_listings", kwargs={"association_slug": ZSJX.slug})
    )
    assert office.status_code == 200 and pending.title in office.content.decode()
    # The directory of the platform shows other associations' enterprises to a member.
    home = client_for(user(GDJX.member_phone)).get(
        reverse("network:home", kwargs={"association_slug": GDJX.slug}), {"q": "螺纹钢"}
    )
    assert home.status_code == 200 and "螺纹钢" in home.content.decode()
