"""The listing API: the same services as the pages; another association's ids answer 404."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from shanghui.core.tenancy import tenant_context
from shanghui.network.tests.listing_helpers import join, post
from shanghui.testing.fixtures import Side, api_client_for

pytestmark = pytest.mark.django_db


def _base(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/network"


def test_a_member_posts_edits_and_withdraws(side_a: Side) -> None:
    client = api_client_for(side_a.member_user)
    body = {
        "kind": "offer",
        "title": "供应不锈钢板",
        "industry_code": "32",
        "region_code": "360100",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact": "13800002222",
    }
    created = client.post(f"{_base(side_a)}/listings", body, content_type="application/json")
    assert created.status_code == 201, created.content
    listing_id = created.json()["id"]
    refused = client.post(
        f"{_base(side_a)}/listings", {**body, "title": "代开发票"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "代开发票" in refused.content.decode()
    got = client.get(f"{_base(side_a)}/listings/{listing_id}")
    assert got.status_code == 200 and got.json()["contact"] == "13800002222"
    changed = client.patch(
        f"{_base(side_a)}/listings/{listing_id}",
        {**body, "title": "供应304不锈钢板"},
        content_type="application/json",
    )
    assert changed.json()["title"] == "供应304不锈钢板"
    mine = client.get(f"{_base(side_a)}/listings")
    assert mine.json()["items"][0]["id"] == listing_id
    done = client.post(f"{_base(side_a)}/listings/{listing_id}/withdraw")
    assert done.json()["status"] == "withdrawn"


def test_other_associations_get_404_and_no_contact(side_a: Side, side_b: Side) -> None:
    join(side_a)
    join(side_b)
    local = post(side_a)
    platform = post(side_a, visibility="platform")
    client = api_client_for(side_b.member_user)
    assert client.get(f"{_base(side_b)}/listings/{local.pk}").status_code == 404
    assert client.get(f"{_base(side_a)}/listings/{platform.pk}").status_code == 404
    seen = client.get(f"{_base(side_b)}/listings/{platform.pk}")
    assert seen.status_code == 200 and seen.json()["contact"] == ""
    assert not seen.json()["same_association"]
    patched = client.patch(
        f"{_base(side_b)}/listings/{platform.pk}", {}, content_type="application/json"
    )
    assert patched.status_code in (404, 422)
    reported = client.post(
        f"{_base(side_b)}/listings/{platform.pk}/report",
        {"reason": "fraud"},
        content_type="application/json",
    )
    assert reported.status_code == 201 and reported.json()["platform_wide"]
    admin_b = api_client_for(side_b.admin)
    assert admin_b.get(f"{_base(side_b)}/office/reports").json() == []
    admin_a = api_client_for(side_a.admin)
    reports = admin_a.get(f"{_base(side_a)}/office/reports").json()
    assert len(reports) == 1
    handled = admin_a.post(
        f"{_base(side_a)}/office/reports/{reports[0]['id']}/handle",
        {"take_down": True, "note": "核实不实"},
        content_type="application/json",
    )
    assert handled.json()["outcome"] == "taken_down"


def test_the_secretariat_settings_and_review(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    member = api_client_for(side_a.member_user)
    assert member.get(f"{_base(side_a)}/settings").status_code == 403
    put = admin.put(
        f"{_base(side_a)}/settings",
        {"joins_platform": True, "moderate_before_publishing": True},
        content_type="application/json",
    )
    assert put.json() == {"joins_platform": True, "moderate_before_publishing": True}
    listing = post(side_a)
    pending = admin.get(f"{_base(side_a)}/office/listings?tab=pending").json()["items"]
    assert [row["id"] for row in pending] == [listing.pk]
    reviewed = admin.post(
        f"{_base(side_a)}/office/listings/{listing.pk}/review",
        {"approve": True},
        content_type="application/json",
    )
    assert reviewed.json()["status"] == "published"


def _png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(data, format="PNG")
    data.seek(0)
    data.name = "steel.png"
    return data


def test_pictures_of_a_platform_listing_cross_only_with_it(side_a: Side, side_b: Side) -> None:
    join(side_a)
    join(side_b)
    listing = post(side_a, visibility="platform")
    poster = api_client_for(side_a.member_user)
    added = poster.post(f"{_base(side_a)}/listings/{listing.pk}/images", {"file": _png()})
    assert added.status_code == 201, added.content
    image_id = added.json()["id"]
    other = api_client_for(side_b.member_user)
    seen = other.get(f"{_base(side_b)}/listings/{listing.pk}").json()
    assert seen["image_ids"] == [image_id]
    picture = other.get(f"{_base(side_b)}/images/{image_id}?listing_id={listing.pk}")
    assert picture.status_code == 200 and picture["Content-Type"].startswith("image/")
    assert other.get(f"{_base(side_b)}/images/{image_id}").status_code == 404
    with tenant_context(side_a.association):
        local = post(side_a, title="本会内部")
    assert other.get(f"{_base(side_b)}/images/{image_id}?listing_id={local.pk}").status_code == 404
    removed = poster.delete(f"{_base(side_a)}/listings/{listing.pk}/images/{image_id}")
    assert removed.status_code == 200
    assert other.get(f"{_base(side_b)}/listings/{listing.pk}").json()["image_ids"] == []
