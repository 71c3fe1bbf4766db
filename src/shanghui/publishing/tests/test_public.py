"""The deliberate exceptions of the isolation walker: an association's public news list, its
article pictures and its categories answer anyone — a signed-in person of another association
included — and show only what is public."""

import pytest

from shanghui.publishing.models import Article
from shanghui.publishing.tests.factories import article_make, cover_set, picture_make
from shanghui.testing.fixtures import Side, api_client_for, client_for

pytestmark = pytest.mark.django_db


def test_another_associations_person_sees_only_public_news(side_a: Side, side_b: Side) -> None:
    b = side_b.association
    public = article_make(b, side_b.admin, title="乙市公开新闻", audience=Article.Audience.PUBLIC)
    private = article_make(b, side_b.admin, title="乙市会员内参")
    image, inside = picture_make(b, seed=0), picture_make(b, seed=1)
    cover_set(b, side_b.admin, public, image)
    cover_set(b, side_b.admin, private, inside)
    visitor = client_for(side_a.admin)  # administrator of A, no role in B
    page = visitor.get(f"/a/{b.slug}/news/").content.decode()
    assert "乙市公开新闻" in page and "乙市会员内参" not in page
    assert visitor.get(f"/a/{b.slug}/news/{private.pk}/").status_code == 404
    assert visitor.get(f"/a/{b.slug}/news/images/{image.pk}/picture/").status_code == 200
    assert visitor.get(f"/a/{b.slug}/news/images/{inside.pk}/picture/").status_code == 404
    api = api_client_for(side_a.admin)
    listing = api.get(f"/api/v1/associations/{b.slug}/articles").json()
    assert [item["title"] for item in listing["items"]] == ["乙市公开新闻"]
    assert api.get(f"/api/v1/associations/{b.slug}/categories").status_code == 200
    # A's slug with B's ids: nothing.
    a = side_a.association
    assert visitor.get(f"/a/{a.slug}/news/images/{image.pk}/picture/").status_code == 404
