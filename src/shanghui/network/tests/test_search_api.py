"""Part S's API: search, matches, directory and the showcase, with the same rules as the
pages (B's member is 404 in A's space; another person's item is 404)."""

import pytest

from shanghui.core.tenancy import tenant_context
from shanghui.network.models import EnterpriseIndex, ListingKind, ShowcaseItem
from shanghui.network.tests.s_helpers import join, post
from shanghui.testing.fixtures import Side, api_client_for

pytestmark = pytest.mark.django_db


def _base(side: Side) -> str:
    return f"/api/v1/associations/{side.association.slug}/network"


def test_search_and_matches(side_a: Side, side_b: Side) -> None:
    join(side_a.association)
    join(side_b.association)
    need = post(side_a, "采购螺纹钢", kind=ListingKind.NEED)
    post(side_b, "供应螺纹钢")
    client = api_client_for(side_a.member_user)
    found = client.get(f"{_base(side_a)}/search", {"q": "螺纹钢", "kind": "offer"}).json()
    assert [(row["title"], row["own_association"]) for row in found] == [("供应螺纹钢", False)]
    assert "contact" not in found[0]
    matches = client.get(f"{_base(side_a)}/listings/{need.pk}/matches").json()
    assert matches["listings"][0]["title"] == "供应螺纹钢"
    assert "关键词: 螺纹钢" in matches["listings"][0]["reasons"]
    stranger = api_client_for(side_b.member_user)
    assert stranger.get(f"{_base(side_a)}/search").status_code == 404
    assert stranger.get(f"{_base(side_a)}/listings/{need.pk}/matches").status_code == 404


def test_showcase_opt_in_items_and_directory(side_a: Side, side_b: Side) -> None:
    join(side_b.association)
    join(side_a.association)
    client = api_client_for(side_b.member_user)
    base = _base(side_b)
    assert client.get(f"{base}/showcase").json()["network_showcase"] is False
    response = client.put(
        f"{base}/showcase", {"network_showcase": True}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["network_showcase"] is True
    created = client.post(
        f"{base}/showcase/items", {"name": "冷轧钢板"}, content_type="application/json"
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    bad = client.post(f"{base}/showcase/items", {"name": " "}, content_type="application/json")
    assert bad.status_code == 400
    assert "冷轧钢板" in EnterpriseIndex.objects.get().products
    directory = api_client_for(side_a.member_user).get(f"{_base(side_a)}/directory").json()
    assert [row["name"] for row in directory] == [side_b.member.name]
    enterprise_id = directory[0]["enterprise_id"]
    detail = api_client_for(side_a.member_user).get(f"{_base(side_a)}/enterprises/{enterprise_id}")
    assert detail.json()["items"][0]["name"] == "冷轧钢板"
    # A's member cannot touch B's item through A's space.
    other = api_client_for(side_a.member_user)
    assert other.delete(f"{_base(side_a)}/showcase/items/{item_id}").status_code == 404
    assert client.delete(f"{base}/showcase/items/{item_id}").status_code == 204
    with tenant_context(side_b.association):
        assert not ShowcaseItem.objects.exists()
