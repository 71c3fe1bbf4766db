"""The listing pages as the three personas use them: a member posts, edits, renews and
withdraws; a member of another association sees a platform-wide listing without its
contact details and reports it; the secretariat and the platform operator handle it."""

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import Listing, ListingImage, ListingReport, PosterBlock
from shanghui.network.tests.listing_helpers import join, post
from shanghui.testing.factories import UserFactory
from shanghui.testing.fixtures import Side, client_for

pytestmark = pytest.mark.django_db


def _url(name: str, side: Side, **kwargs: object) -> str:
    return reverse(name, kwargs={"association_slug": side.association.slug, **kwargs})


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(data, format="PNG")
    data.seek(0)
    data.name = "steel.png"
    return data


def test_a_member_posts_and_manages_a_listing(side_a: Side, member_a: object) -> None:
    client = member_a
    page = client.get(_url("network:listing_new", side_a))  # type: ignore[attr-defined]
    assert page.status_code == 200 and "平台供需网络" not in page.content.decode()
    response = client.post(  # type: ignore[attr-defined]
        _url("network:listing_new", side_a),
        {
            "kind": "need",
            "title": "采购螺纹钢",
            "body": "月需 500 吨",
            "industry_code": "32",
            "region_code": "360100",
            "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "visibility": "association",
            "contact": "13800001111",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    with tenant_context(side_a.association):
        listing = Listing.objects.get()
    detail = client.get(_url("network:listing", side_a, listing_id=listing.pk))  # type: ignore[attr-defined]
    text = detail.content.decode()
    assert "采购螺纹钢" in text and "13800001111" in text and "撤回" in text
    mine = client.get(_url("network:my_listings", side_a))  # type: ignore[attr-defined]
    assert "采购螺纹钢" in mine.content.decode()
    uploaded = client.post(  # type: ignore[attr-defined]
        _url("network:listing_image_add", side_a, listing_id=listing.pk), {"image": _png()}
    )
    assert uploaded.status_code == 302
    with tenant_context(side_a.association):
        image = ListingImage.objects.get()
    picture = client.get(_url("network:listing_image", side_a, listing_image_id=image.pk))  # type: ignore[attr-defined]
    assert picture.status_code == 200 and picture["Content-Type"].startswith("image/")
    client.post(_url("network:listing_renew", side_a, listing_id=listing.pk))  # type: ignore[attr-defined]
    client.post(_url("network:listing_withdraw", side_a, listing_id=listing.pk))  # type: ignore[attr-defined]
    with tenant_context(side_a.association):
        listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN and listing.renewed_times == 1


def test_the_form_posts_a_valid_listing(side_a: Side, member_a: object) -> None:
    valid_until = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = member_a.post(  # type: ignore[attr-defined]
        _url("network:listing_new", side_a),
        {
            "kind": "offer",
            "title": "供应钢材",
            "industry_code": "32",
            "region_code": "360100",
            "valid_until": valid_until,
            "visibility": "association",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    with tenant_context(side_a.association):
        assert Listing.objects.get().title == "供应钢材"


def test_another_association_sees_a_platform_listing_without_contact(
    side_a: Side, side_b: Side, member_b: object
) -> None:
    join(side_a)
    join(side_b)
    platform = post(side_a, visibility="platform", title="采购平台钢材")
    local = post(side_a, visibility="association", title="本会内部采购")
    page = member_b.get(_url("network:listing", side_b, listing_id=platform.pk))  # type: ignore[attr-defined]
    text = page.content.decode()
    assert page.status_code == 200 and "采购平台钢材" in text
    assert "13800001111" not in text and side_a.member.name in text
    assert member_b.get(_url("network:listing", side_b, listing_id=local.pk)).status_code == 404  # type: ignore[attr-defined]
    # Through A's slug, B's member is a stranger: the same 404.
    assert member_b.get(_url("network:listing", side_a, listing_id=platform.pk)).status_code == 404  # type: ignore[attr-defined]
    report = member_b.post(  # type: ignore[attr-defined]
        _url("network:listing_report", side_b, listing_id=platform.pk),
        {"reason": "fraud", "text": "价格异常"},
    )
    assert report.status_code == 302
    assert ListingReport.objects.get().platform_wide


def test_the_secretariat_handles_reports_and_blocks(
    side_a: Side, admin_a: object, member_a: object
) -> None:
    listing = post(side_a)
    other = UserFactory()
    ListingReport.objects.create(
        listing_association=side_a.association,
        listing_id=listing.pk,
        reporter=other,
        reason="other",
    )
    reports = admin_a.get(_url("network:office_reports", side_a))  # type: ignore[attr-defined]
    assert "采购螺纹钢" in reports.content.decode()
    assert member_a.get(_url("network:office_reports", side_a)).status_code == 403  # type: ignore[attr-defined]
    report = ListingReport.objects.get()
    admin_a.post(  # type: ignore[attr-defined]
        _url("network:office_report_handle", side_a, report_id=report.pk),
        {"decision": "take_down", "note": "不实信息"},
    )
    with tenant_context(side_a.association):
        listing.refresh_from_db()
    assert listing.status == Listing.Status.TAKEN_DOWN
    admin_a.post(  # type: ignore[attr-defined]
        _url("network:office_blocks", side_a), {"listing_id": listing.pk, "reason": "多次违规"}
    )
    with tenant_context(side_a.association):
        block = PosterBlock.objects.get()
    blocks = admin_a.get(_url("network:office_blocks", side_a))  # type: ignore[attr-defined]
    assert side_a.member_user.name in blocks.content.decode()
    admin_a.post(_url("network:office_block_remove", side_a, block_id=block.pk))  # type: ignore[attr-defined]
    with tenant_context(side_a.association):
        assert not PosterBlock.objects.exists()


def test_office_review_and_settings(side_a: Side, admin_a: object) -> None:
    response = admin_a.post(  # type: ignore[attr-defined]
        _url("network:office_settings", side_a),
        {"joins_platform": "on", "moderate_before_publishing": "on"},
    )
    assert response.status_code == 302
    listing = post(side_a, visibility="platform")
    assert listing.status == Listing.Status.PENDING
    pending = admin_a.get(_url("network:office_listings", side_a))  # type: ignore[attr-defined]
    assert "采购螺纹钢" in pending.content.decode()
    detail = admin_a.get(_url("network:office_listing", side_a, listing_id=listing.pk))  # type: ignore[attr-defined]
    assert "13800001111" in detail.content.decode()
    admin_a.post(  # type: ignore[attr-defined]
        _url("network:office_listing_review", side_a, listing_id=listing.pk),
        {"decision": "approve"},
    )
    with tenant_context(side_a.association):
        listing.refresh_from_db()
    assert listing.status == Listing.Status.PUBLISHED


def test_the_platform_console_is_for_operators(side_a: Side, side_b: Side, admin_a: object) -> None:
    join(side_a)
    join(side_b)
    listing = post(side_a, visibility="platform", title="平台举报目标")
    report = ListingReport.objects.create(
        listing_association=side_a.association,
        listing_id=listing.pk,
        platform_wide=True,
        reporter=side_b.member_user,
        reason="fraud",
    )
    assert admin_a.get(reverse("network:platform_reports")).status_code == 404  # type: ignore[attr-defined]
    operator = client_for(UserFactory(is_platform_operator=True))
    page = operator.get(reverse("network:platform_reports"))
    assert "平台举报目标" in page.content.decode() and "13800001111" not in page.content.decode()
    operator.post(
        reverse("network:platform_report_handle", kwargs={"report_id": report.pk}),
        {"decision": "take_down", "note": "诈骗", "block_poster": "on"},
    )
    report.refresh_from_db()
    assert report.outcome == "taken_down"
    blocks = operator.get(reverse("network:platform_blocks"))
    assert side_a.member_user.name in blocks.content.decode()
    operator.post(reverse("network:platform_words"), {"word": "刷流水"})
    words = operator.get(reverse("network:platform_words"))
    assert "刷流水" in words.content.decode()


def test_the_secretariat_sees_its_network_todos(side_a: Side, admin_a: object) -> None:
    from shanghui.network.selectors.listings import listing_todos

    join(side_a, moderate=True)
    post(side_a)
    with tenant_context(side_a.association):
        items = listing_todos(side_a.association)
    assert [(i.label, i.count) for i in items] == [("待审核的供需信息", 1)]


def test_the_sidebars_cached_count_follows_a_new_listing_and_its_review(
    side_a: Side, admin_a: Any
) -> None:
    """The sidebar's counts are cached (site.todos); posting a listing for review, and the
    review, count them again — the secretariat never sees a stale 待审核."""
    from shanghui.network.services.moderation import listing_review

    join(side_a, moderate=True)
    office = reverse(
        "network:office_listings", kwargs={"association_slug": side_a.association.slug}
    )

    def badges() -> dict[str, int]:
        page = admin_a.get(office).content.decode()
        nav = page.split('class="office__nav"', 1)[1].split("</nav>", 1)[0]
        found = re.findall(r'>([^<>]+) <span class="nav-badge"[^>]*>(\d+)<', nav)
        return {label.strip(): int(count) for label, count in found}

    assert "供需对接" not in badges()
    listing = post(side_a)
    assert badges()["供需对接"] == 1
    with tenant_context(side_a.association):
        listing_review(
            association=side_a.association, actor=side_a.admin, listing=listing, approve=True
        )
    assert "供需对接" not in badges()
