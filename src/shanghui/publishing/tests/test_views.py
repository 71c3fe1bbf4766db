"""The pages: the back office's list, editor, review buttons, pictures, categories and
preview; members' list and article (who read it, once); the public article for anyone; the
article pictures, which serve nothing but article pictures."""

import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shanghui.accounts.models import Role
from shanghui.core.audience import AudienceChoice
from shanghui.core.models import AudienceRule, StoredFile
from shanghui.core.storage.content import content_blocks
from shanghui.core.storage.files import file_attach
from shanghui.core.tenancy import tenant_context
from shanghui.core.uploads import picture_put
from shanghui.publishing import counters
from shanghui.publishing.models import Article, ArticleImage, ArticlePicture, ArticleRead
from shanghui.publishing.services.images import image_put
from shanghui.publishing.tests.factories import article_make, cover_set, picture_make
from shanghui.testing.factories import RoleFactory, UserFactory
from shanghui.testing.fixtures import Side, client_for
from shanghui.testing.pictures import photo_like

pytestmark = pytest.mark.django_db


def _office(side: Side) -> str:
    return f"/a/{side.association.slug}/office/news/"


def test_editor_writes_submits_and_administrator_publishes_on_the_pages(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        clerk = UserFactory(name="宣传干事")
        RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    editor = client_for(clerk)
    new = editor.get(f"{_office(side_a)}new/")
    assert new.status_code == 200 and "商会动态" in new.content.decode()
    answer = editor.post(f"{_office(side_a)}new/", {
        "title": "我会举办新春团拜会", "body": "<p>团拜会<script>alert(1)</script>圆满举行</p>",
        "audience": "members", "tags": "团拜会，新春", "author_name": "秘书处",
    })  # fmt: skip
    assert answer.status_code == 302
    with tenant_context(a):
        article = Article.objects.get(association=a, title="我会举办新春团拜会")
    assert article.body == "<p>团拜会圆满举行</p>" and article.tags == ["团拜会", "新春"]
    edit_url = f"{_office(side_a)}{article.pk}/"
    page = editor.get(edit_url).content.decode()
    assert 'id="submit-review"' in page and 'id="publish"' not in page  # staff: no publishing
    assert editor.post(f"{edit_url}publish/").status_code == 403
    editor.post(f"{edit_url}submit/")
    admin = client_for(side_a.admin)
    listing = admin.get(_office(side_a)).content.decode()
    assert 'id="waiting-review"' in listing
    assert "圆满举行" in admin.get(f"{edit_url}preview/").content.decode()
    admin.post(f"{edit_url}publish/", {"at": ""})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    member = client_for(side_a.member_user)
    assert "我会举办新春团拜会" in member.get(f"/a/{a.slug}/news/").content.decode()


def test_members_read_once_is_recorded_and_views_are_not_written(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="会员内参")
    member = client_for(side_a.member_user)
    url = f"/a/{a.slug}/news/{article.pk}/"
    assert "会员内参" in member.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert member.get(url).status_code == 200
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    writes = [w for w in writes if "django_session" not in w]
    assert writes == []  # neither a second read record nor a view count
    with tenant_context(a):
        assert ArticleRead.objects.filter(association=a, article=article).count() == 1
    office = client_for(side_a.admin).get(f"{_office(side_a)}{article.pk}/").content.decode()
    readers = office.split('id="readers"', 1)[1]
    assert side_a.member_user.name in readers


def test_anonymous_page_view_writes_nothing_and_the_flush_counts_it(
    side_a: Side, django_capture_on_commit_callbacks
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="公开报道", audience=Article.Audience.PUBLIC)
    anonymous = Client()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert anonymous.get(f"/a/{a.slug}/news/{article.pk}/").status_code == 200
    assert not [q for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    article.refresh_from_db()
    assert article.view_count == 0 and counters.views_of(article) == 3
    with tenant_context(a), django_capture_on_commit_callbacks(execute=True):
        assert counters.flush(a) == 3
    with tenant_context(a), django_capture_on_commit_callbacks(execute=True):
        assert counters.flush(a) == 0
    article.refresh_from_db()
    assert article.view_count == 3 and counters.views_of(article) == 3
    assert not ArticleRead.objects.exists()  # public articles keep no readers


def test_public_article_for_anyone_members_only_is_404(side_a: Side) -> None:
    a = side_a.association
    public = article_make(a, side_a.admin, title="公开报道", audience=Article.Audience.PUBLIC)
    private = article_make(a, side_a.admin, title="会员内参")
    draft = article_make(a, side_a.admin, title="未发布稿件", publish=False,
                         audience=Article.Audience.PUBLIC)  # fmt: skip
    anonymous = Client()
    page = anonymous.get(f"/a/{a.slug}/news/{public.pk}/")
    assert page.status_code == 200 and "公开报道" in page.content.decode()
    assert anonymous.get(f"/a/{a.slug}/news/{private.pk}/").status_code == 404
    assert anonymous.get(f"/a/{a.slug}/news/{draft.pk}/").status_code == 404
    listing = anonymous.get(f"/a/{a.slug}/news/").content.decode()
    assert "公开报道" in listing and "会员内参" not in listing and "未发布稿件" not in listing
    assert client_for(side_a.member_user).get(f"/a/{a.slug}/news/{draft.pk}/").status_code == 404


def test_picture_upload_embeds_it_and_it_is_served_publicly(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="配图资讯", audience=Article.Audience.PUBLIC)
    admin = client_for(side_a.admin)
    upload = SimpleUploadedFile("p.jpg", photo_like(side=2400, height=1200), "image/jpeg")
    admin.post(f"{_office(side_a)}{article.pk}/images/", {"image": upload, "use": "body"})
    article.refresh_from_db()
    match = re.search(r'<img src="(/a/[^"]+/picture/)\?v=(\w+)"', article.body)
    assert match, article.body  # versioned: cached for long, a new picture has a new address
    upload = SimpleUploadedFile("c.png", photo_like(1, side=300, fmt="PNG"), "image/png")
    admin.post(f"{_office(side_a)}{article.pk}/images/", {"image": upload, "use": "cover"})
    article.refresh_from_db()
    assert article.cover_id is not None
    picture = Client().get(match.group(1))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    assert picture["Cache-Control"].startswith("public")
    with tenant_context(a):
        stored = ArticleImage.objects.filter(association=a).order_by("id").first()
        assert stored is not None and stored.file is not None
        assert stored.file.holder == "publishing.articleimage.file"  # in the content store
    thumb = Client().get(f"{match.group(1)}?size=thumb")
    assert thumb.status_code == 200
    page = Client().get(f"/a/{a.slug}/news/{article.pk}/").content.decode()
    assert "配图资讯" in page
    # The cover, on the page, in the list and in the share card, is versioned too.
    cover = f"/a/{a.slug}/news/images/{article.cover_id}/picture/?"
    assert re.search(re.escape(cover) + r"v=\w+", page)
    assert re.search(r'og:image" content="http://testserver' + re.escape(cover) + r"v=\w+", page)
    listing = client_for(side_a.member_user).get(f"/a/{a.slug}/news/").content.decode()
    assert re.search(re.escape(cover) + r"size=thumb&amp;v=\w+", listing)
    fresh = Client().get(f"{match.group(1)}?v={match.group(2)}")
    assert "immutable" in fresh["Cache-Control"]


def _picture(side: Side, seed: int, pk: int | None = None) -> ArticleImage:
    """An article picture of the side's association (with the id ``pk`` when given)."""
    a = side.association
    if pk is None:
        return picture_make(a, side.admin, seed)
    picture = ContentFile(photo_like(seed, side=120), name="p.jpg")
    stored = image_put(association=a, actor=side.admin, picture=picture)
    with tenant_context(a):
        image = ArticleImage.objects.create(pk=pk, association=a, uploaded_by=side.admin)
        file_attach(image, "file", stored)
    return image


def _stored_bytes(side: Side, image: ArticleImage) -> bytes:
    with tenant_context(side.association):
        stored = StoredFile.objects.select_related("content").get(pk=image.file_id)
        return b"".join(content_blocks(side.association, stored.content))


def _cover(side: Side, article: Article, image: ArticleImage) -> None:
    cover_set(side.association, side.admin, article, image)


def test_a_member_photo_cannot_be_fetched_through_the_article_picture_path(side_a: Side) -> None:
    a = side_a.association
    face = photo_like(7, side=200)
    photo = picture_put(a, ContentFile(face, name="face.jpg"), holder="members.person.photo")
    with tenant_context(a):
        person = side_a.person
        file_attach(person, "photo", photo)
    # An article picture with the very id of the person: the path names that picture only.
    image = _picture(side_a, 8, pk=person.pk)
    article = article_make(a, side_a.admin, title="公开", audience=Article.Audience.PUBLIC)
    _cover(side_a, article, image)
    expected = _stored_bytes(side_a, image)
    for client in (Client(), client_for(side_a.admin)):
        answer = client.get(f"/a/{a.slug}/news/images/{person.pk}/picture/?size=full")
        assert answer.status_code == 200
        served = b"".join(answer.streaming_content) if answer.streaming else answer.content
        assert served == expected and served != face


def test_pictures_are_public_only_when_a_public_published_article_uses_them(
    side_a: Side,
) -> None:
    a = side_a.association
    public_cover, member_cover, draft_body, loose = (_picture(side_a, n) for n in range(4))
    public = article_make(a, side_a.admin, title="公开", audience=Article.Audience.PUBLIC)
    _cover(side_a, public, public_cover)
    members = article_make(a, side_a.admin, title="会员内参")
    _cover(side_a, members, member_cover)
    path = f"/a/{a.slug}/news/images/{draft_body.pk}/picture/"
    article_make(a, side_a.admin, title="草稿", body=f'<p><img src="{path}"></p>',
                 audience=Article.Audience.PUBLIC, publish=False)  # fmt: skip

    def status(client: Client, image: ArticleImage) -> int:
        return client.get(f"/a/{a.slug}/news/images/{image.pk}/picture/").status_code

    anonymous, member, admin = Client(), client_for(side_a.member_user), client_for(side_a.admin)
    assert [status(anonymous, i) for i in (public_cover, member_cover, draft_body, loose)] == [
        200, 404, 404, 404,
    ]  # fmt: skip
    assert [status(member, i) for i in (public_cover, member_cover, draft_body, loose)] == [
        200, 200, 404, 404,
    ]  # fmt: skip
    private = member.get(f"/a/{a.slug}/news/images/{member_cover.pk}/picture/")
    assert private["Cache-Control"].startswith("private")
    assert [status(admin, i) for i in (public_cover, member_cover, draft_body, loose)] == [
        200, 200, 200, 200,
    ]  # fmt: skip
    # Published in its body, the draft's picture becomes public.
    with tenant_context(a):
        draft = Article.objects.get(association=a, title="草稿")
    admin.post(f"{_office(side_a)}{draft.pk}/publish/")
    assert status(anonymous, draft_body) == 200
    # Taken out of the body (saved through the editor), it is no longer public.
    with tenant_context(a):
        assert ArticlePicture.objects.filter(association=a, image=draft_body).exists()
    admin.post(f"{_office(side_a)}{draft.pk}/", {"title": "草稿", "audience": "public",
                                                 "body": "<p>没有图片了</p>"})  # fmt: skip
    assert status(anonymous, draft_body) == 404
    with tenant_context(a):
        assert not ArticlePicture.objects.filter(association=a, image=draft_body).exists()
    # Another association's picture path in a body records nothing.
    assert status(admin, loose) == 200


def test_categories_page_adds_and_deletes(side_a: Side) -> None:
    admin = client_for(side_a.admin)
    url = f"{_office(side_a)}categories/"
    assert "政策解读" in admin.get(url).content.decode()
    admin.post(url, {"name": "招商引资", "sort_order": 9})
    page = admin.get(url).content.decode()
    assert "招商引资" in page
    category_id = re.findall(r"categories/(\d+)/delete/", page)[-1]
    # Renamed on its own page; a name another category has is refused there.
    edit = f"{url}{category_id}/"
    assert 'value="招商引资"' in admin.get(edit).content.decode()
    assert (
        "已有同名栏目" in admin.post(edit, {"name": "政策解读", "sort_order": 1}).content.decode()
    )
    assert admin.post(edit, {"name": "招商合作", "sort_order": 2}).status_code == 302
    page = admin.get(url).content.decode()
    assert "招商合作" in page and "招商引资" not in page
    admin.post(f"{url}{category_id}/delete/")
    assert "招商合作" not in admin.get(url).content.decode()


def test_revision_restore_and_delete_on_the_pages(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="第一版", publish=False)
    admin = client_for(side_a.admin)
    edit = f"{_office(side_a)}{article.pk}/"
    admin.post(edit, {"title": "第二版", "audience": "members", "body": "<p>二</p>"})
    page = admin.get(edit).content.decode()
    restore = re.findall(r"revisions/(\d+)/restore/", page)
    assert len(restore) == 1
    admin.post(f"{edit}revisions/{restore[0]}/restore/")
    article.refresh_from_db()
    assert article.title == "第一版"
    admin.post(f"{edit}delete/")
    with tenant_context(a):
        assert not Article.objects.filter(pk=article.pk).exists()


def test_members_cannot_open_the_back_office(side_a: Side) -> None:
    member = client_for(side_a.member_user)
    assert member.get(_office(side_a)).status_code == 403
    assert member.get(f"{_office(side_a)}new/").status_code == 403


def test_the_flush_command_adds_the_buffered_views(
    side_a: Side, django_capture_on_commit_callbacks
) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="公开报道", audience=Article.Audience.PUBLIC)
    for _ in range(2):
        Client().get(f"/a/{a.slug}/news/{article.pk}/")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("flush_article_views", stdout=out)
    article.refresh_from_db()
    assert counters.pending([article.pk]) == {}
    assert article.view_count == 2 and "阅读 2 次" in out.getvalue()


def test_articles_in_review_are_on_the_publishers_to_do_list(side_a: Side) -> None:
    a = side_a.association
    admin = client_for(side_a.admin)
    dashboard = f"/a/{a.slug}/office/"
    assert "资讯待审核" not in admin.get(dashboard).content.decode()
    article = article_make(a, side_a.admin, title="待审资讯", publish=False)
    admin.post(f"{_office(side_a)}{article.pk}/submit/")
    page = admin.get(dashboard).content.decode()
    assert "资讯待审核" in page and f"/office/news/{article.pk}/" in page
    admin.post(f"{_office(side_a)}{article.pk}/publish/")
    assert "资讯待审核" not in admin.get(dashboard).content.decode()


def test_the_editor_says_an_edit_in_review_went_back_to_draft(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        clerk = UserFactory(name="宣传干事")
        RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    editor = client_for(clerk)
    article = article_make(a, side_a.admin, title="待审", publish=False)
    editor.post(f"{_office(side_a)}{article.pk}/submit/")
    page = editor.post(
        f"{_office(side_a)}{article.pk}/",
        {"title": "改过", "audience": "members", "body": "<p>新</p>"},
        follow=True,
    ).content.decode()
    assert "已退回草稿" in page
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.title == "改过"


def test_an_old_cover_stays_on_the_editor_and_through_a_save(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="旧封面", publish=False)
    old = _picture(side_a, 1)
    _cover(side_a, article, old)
    with tenant_context(a):  # newer pictures push the cover out of the recent ones
        ArticleImage.objects.bulk_create([ArticleImage(association=a) for _n in range(31)])
    admin = client_for(side_a.admin)
    edit = f"{_office(side_a)}{article.pk}/"
    page = admin.get(edit).content.decode()
    assert re.search(rf'<option value="{old.pk}" selected', page)
    admin.post(edit, {"title": "改标题", "audience": "members", "cover": str(old.pk)})
    article.refresh_from_db()
    assert article.title == "改标题" and article.cover_id == old.pk


def test_the_page_form_keeps_audience_rules_naming_people(side_a: Side) -> None:
    a = side_a.association
    article = article_make(
        a, side_a.admin, title="点名阅读", audience=Article.Audience.RULES, publish=False,
        choices=[AudienceChoice("person", [side_a.person.pk]),
                 AudienceChoice("council", [], chosen=True)],
    )  # fmt: skip
    admin = client_for(side_a.admin)
    # The shared audience form (events, announcements) shows the people by phone number.
    page = admin.get(f"{_office(side_a)}{article.pk}/").content.decode()
    phones = re.search(r'<textarea name="phones"[^>]*>\s*([^<]*)</textarea>', page)
    assert phones is not None and phones.group(1).strip() == side_a.person.phone
    assert 'name="council"' in page and "checked" in page.split('name="council"')[1][:40]
    admin.post(
        f"{_office(side_a)}{article.pk}/",
        {"title": "点名阅读（改）", "audience": "rules", "council": "on",
         "phones": phones.group(1)},
    )  # fmt: skip
    with tenant_context(a):
        rules = set(
            AudienceRule.objects.filter(association=a, owner_id=article.pk).values_list(
                "kind", "target_id"
            )
        )
    assert rules == {("person", side_a.person.pk), ("council", None)}


def test_a_picture_the_article_may_not_take_is_not_stored(side_a: Side) -> None:
    a = side_a.association
    with tenant_context(a):
        clerk = UserFactory(name="宣传干事")
        RoleFactory(association=a, user=clerk, kind=Role.Kind.STAFF)
    published = article_make(a, side_a.admin, title="已发布")  # changed only by a publisher
    upload = SimpleUploadedFile("p.jpg", photo_like(side=300), "image/jpeg")
    answer = client_for(clerk).post(
        f"{_office(side_a)}{published.pk}/images/", {"image": upload, "use": "body"}
    )
    assert answer.status_code == 403
    with tenant_context(a):
        assert not ArticleImage.objects.filter(association=a).exists()
    published.refresh_from_db()
    assert "<img" not in published.body


def test_an_unknown_phone_in_the_audience_is_refused(side_a: Side) -> None:
    a = side_a.association
    article = article_make(a, side_a.admin, title="范围", publish=False)
    admin = client_for(side_a.admin)
    page = admin.post(
        f"{_office(side_a)}{article.pk}/",
        {"title": "范围（改）", "audience": "rules", "phones": "13900000000"},
    ).content.decode()
    assert "有手机号未找到对应的联系人" in page
    article.refresh_from_db()
    assert article.title == "范围"
