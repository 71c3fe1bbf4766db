"""The publishing API: the same services as the pages, reading for anyone (public articles)
and members, the editors' workflow, revisions, readers, pictures, categories and the portal
opt-in."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shanghui.publishing.models import Article
from shanghui.publishing.selectors import portal_news
from shanghui.publishing.tests.factories import article_make
from shanghui.testing.fixtures import Side, api_client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db


def _url(side: Side, path: str) -> str:
    return f"/api/v1/associations/{side.association.slug}{path}"


def _post(client: Client, url: str, body: object) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_editor_round_trip_through_the_api(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    created = _post(admin, _url(side_a, "/articles"), {
        "title": "API 发布的资讯", "body": '<p>正文</p><img src=x onerror="alert(1)">',
        "audience": "members", "tags": ["商会", "年会"],
    })  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and "onerror" not in data["body"]
    article_id = data["id"]
    assert _post(admin, _url(side_a, f"/articles/{article_id}/submit"), {}).status_code == 200
    published = _post(admin, _url(side_a, f"/articles/{article_id}/publish"), {})
    assert published.json()["status"] == "published"
    member = api_client_for(side_a.member_user)
    listing = member.get(_url(side_a, "/articles")).json()
    assert [item["title"] for item in listing["items"]] == ["API 发布的资讯"]
    read = member.get(_url(side_a, f"/articles/{article_id}"))
    assert read.status_code == 200 and read.json()["body"] == "<p>正文</p>"
    member.get(_url(side_a, f"/articles/{article_id}"))
    readers = admin.get(_url(side_a, f"/articles/{article_id}/readers")).json()
    assert [r["name"] for r in readers["items"]] == [side_a.member_user.name]
    changed = admin.put(
        _url(side_a, f"/articles/{article_id}"),
        json.dumps({"title": "改过的标题", "audience": "members"}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    revisions = admin.get(_url(side_a, f"/articles/{article_id}/revisions")).json()["items"]
    assert [r["title"] for r in revisions] == ["改过的标题", "API 发布的资讯"]
    first = revisions[1]["id"]
    restored = _post(admin, _url(side_a, f"/articles/{article_id}/revisions/{first}/restore"), {})
    assert restored.json()["title"] == "API 发布的资讯"
    pinned = _post(admin, _url(side_a, f"/articles/{article_id}/pin"), {"pinned": True})
    assert pinned.json()["pinned"] is True
    assert _post(admin, _url(side_a, f"/articles/{article_id}/unpublish"), {}).status_code == 200
    assert member.get(_url(side_a, f"/articles/{article_id}")).status_code == 404
    editor_list = admin.get(_url(side_a, "/articles/editor?status=unpublished")).json()
    assert [a["id"] for a in editor_list["items"]] == [article_id]
    assert admin.delete(_url(side_a, f"/articles/{article_id}")).status_code == 204


def test_members_cannot_write_and_strangers_get_404(side_a: Side, side_b: Side) -> None:
    member = api_client_for(side_a.member_user)
    assert _post(member, _url(side_a, "/articles"), {"title": "会员投稿"}).status_code == 403
    stranger = api_client_for(side_b.member_user)
    assert _post(stranger, _url(side_a, "/articles"), {"title": "外会投稿"}).status_code == 404


def test_anyone_reads_public_articles_without_signing_in(side_a: Side) -> None:
    public = article_make(side_a.association, side_a.admin, title="公开报道",
                          audience=Article.Audience.PUBLIC)  # fmt: skip
    private = article_make(side_a.association, side_a.admin, title="会员内参")
    anonymous = Client()
    listing = anonymous.get(_url(side_a, "/articles")).json()
    assert [item["title"] for item in listing["items"]] == ["公开报道"]
    assert anonymous.get(_url(side_a, f"/articles/{public.pk}")).status_code == 200
    assert anonymous.get(_url(side_a, f"/articles/{private.pk}")).status_code == 404
    categories = anonymous.get(_url(side_a, "/categories")).json()
    assert isinstance(categories, list)


def test_picture_upload_and_categories_and_portal_opt_in(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    upload = admin.post(
        _url(side_a, "/articles/images"),
        {"image": _file()},
    )
    assert upload.status_code == 201, upload.content
    picture = upload.json()
    assert Client().get(picture["url"]).status_code == 404  # in no public article yet
    created = _post(admin, _url(side_a, "/articles"), {
        "title": "带图资讯", "body": f'<p><img src="{picture["url"]}"></p>',
        "cover_id": picture["id"], "audience": "public",
    })  # fmt: skip
    assert picture["url"] in created.json()["body"]
    category = _post(admin, _url(side_a, "/categories"), {"name": "招商引资", "sort_order": 5})
    assert category.status_code == 201
    assert admin.delete(_url(side_a, f"/categories/{category.json()['id']}")).status_code == 204
    # Sharing the news with the portal is one of the public site's settings.
    settings = admin.get(_url(side_a, "/site-settings")).json()
    shared = admin.put(_url(side_a, "/site-settings"),
                       json.dumps({**settings, "share_news_to_portal": True}),
                       content_type="application/json")  # fmt: skip
    assert shared.status_code == 200 and shared.json()["share_news_to_portal"] is True
    _post(admin, _url(side_a, f"/articles/{created.json()['id']}/publish"), {})
    items = list(portal_news())
    assert [i.title for i in items] == ["带图资讯"] and items[0].cover_url
    assert Client().get(picture["url"]).status_code == 200  # published: public now


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", photo_like(3, side=400), "image/jpeg")


def test_a_scheduled_time_without_a_zone_is_beijing_time(side_a: Side) -> None:
    admin = api_client_for(side_a.admin)
    created = _post(admin, _url(side_a, "/articles"), {"title": "定时资讯", "audience": "public"})
    article_id = created.json()["id"]
    answer = _post(
        admin, _url(side_a, f"/articles/{article_id}/publish"), {"at": "2099-01-01T09:00"}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["published_at"] == "2099-01-01T09:00:00+08:00"
    assert Client().get(_url(side_a, f"/articles/{article_id}")).status_code == 404


def test_another_associations_category_and_cover_are_refused(side_a: Side, side_b: Side) -> None:
    from shanghui.core.tenancy import tenant_context
    from shanghui.publishing import selectors
    from shanghui.publishing.services.images import image_upload
    from shanghui.publishing.tests.factories import admin_role

    b = side_b.association
    with tenant_context(b):
        b_category = selectors.categories_ensure(b)[0]
        b_image = image_upload(
            association=b,
            actor=side_b.admin,
            role=admin_role(b, side_b.admin),
            upload=SimpleUploadedFile("p.jpg", photo_like(2)),
        )
    admin = api_client_for(side_a.admin)
    base = {"title": "越权引用", "audience": "members"}
    for field, value, message in (
        ("category_id", b_category.pk, "未找到所选栏目"),
        ("cover_id", b_image.pk, "未找到所选图片"),
    ):
        answer = _post(admin, _url(side_a, "/articles"), {**base, field: value})
        assert answer.status_code == 400, (field, value, answer.content)
        assert answer.json()["error"]["fields"][field] == [message]
    # The service itself (whatever door calls it) refuses an id beyond any row's, too.
    from django.core.exceptions import ValidationError

    from shanghui.publishing.services.articles import ArticleInput, article_create

    a = side_a.association
    with tenant_context(a):
        for field in ("category_id", "cover_id"):
            with pytest.raises(ValidationError) as refused:
                article_create(
                    association=a,
                    actor=side_a.admin,
                    role=admin_role(a, side_a.admin),
                    data=ArticleInput(title="越权引用", **{field: 2**64}),  # type: ignore[arg-type]
                )
            assert field in refused.value.message_dict
        assert not Article.objects.filter(title="越权引用").exists()
