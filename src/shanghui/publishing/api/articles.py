"""Articles: reading them as members and visitors (``GET /articles``, ``GET
/articles/{article_id}``: public ones for anyone), and the editors' endpoints — the list of
every article, creating, changing, deleting, the workflow (submit, return, publish, unpublish,
pin), revisions and restoring one, who read an article, uploading pictures and importing from
a WeChat 公众号. The services check who may do what; these parse and present."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Path, Query, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import api_user, signed_in_user
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.publishing import counters, selectors
from shanghui.publishing.api.base import article_for_editor, editor, publishing_router
from shanghui.publishing.api.schemas import (
    ArticleCategoryQuery,
    ArticleEditorItemOut,
    ArticleEditorOut,
    ArticleImageOut,
    ArticleImportIn,
    ArticleIn,
    ArticleListItemOut,
    ArticleOut,
    ArticlePinIn,
    ArticlePublishIn,
    ArticleReaderOut,
    ArticleReturnIn,
    ArticleRevisionOut,
    ArticleStatusQuery,
)
from shanghui.publishing.pictures import image_url
from shanghui.publishing.services import articles as article_services
from shanghui.publishing.services import images as image_services
from shanghui.publishing.services import wechat as wechat_services


def _input(payload: ArticleIn) -> article_services.ArticleInput:
    choices = payload.rules.to_input().choices() if payload.rules else []
    return article_services.ArticleInput(
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
        category_id=payload.category_id,
        cover_id=payload.cover_id,
        tags=payload.tags,
        author_name=payload.author_name,
        audience=payload.audience,
        audience_choices=choices,
        source_url=payload.source_url,
    )


# --- Editors: fixed paths first (before /articles/{article_id}) ---------------------------


@publishing_router.get("/articles/editor", response={200: list[ArticleEditorItemOut], **ERRORS})
@paginate(Pages)
def article_editor_list(
    request: HttpRequest, slug: Path[str], query: Query[ArticleStatusQuery]
) -> object:
    """Every article whatever its status (editors), ``status`` to keep one; the body, the
    readers and the rules are in ``GET /articles/{article_id}/editor``."""
    association, _role = editor(request)
    return selectors.office_articles(association=association, status=query.status).select_related(
        "cover"
    )


@publishing_router.post("/articles", response={201: ArticleEditorOut, **ERRORS})
def article_create(request: HttpRequest, slug: Path[str], payload: ArticleIn) -> object:
    """A new draft (``EDIT_CONTENT``)."""
    association, role = editor(request)
    article = article_services.article_create(
        association=association, actor=signed_in_user(request), role=role, data=_input(payload)
    )
    return Status(201, article)


@publishing_router.post("/articles/images", response={201: ArticleImageOut, **ERRORS})
def image_upload(
    request: HttpRequest, slug: Path[str], image: File[UploadedFile | None] = None
) -> object:
    """Uploads a picture for articles (multipart ``image``, JPG or PNG): re-encoded and
    resized; ``url`` is what the body embeds (kept by the sanitiser), ``id`` a cover."""
    association, role = editor(request)
    picture = image_services.image_upload(
        association=association, actor=signed_in_user(request), role=role, upload=image
    )
    return Status(
        201,
        {
            "id": picture.pk,
            "url": image_url(association, picture),
            "thumb_url": image_url(association, picture, size="thumb"),
        },
    )


@publishing_router.post("/articles/import", response={201: ArticleEditorOut, **ERRORS})
def article_import(request: HttpRequest, slug: Path[str], payload: ArticleImportIn) -> object:
    """A draft from a WeChat 公众号 article: its link (fetched only from mp.weixin.qq.com,
    size- and time-limited) or its pasted HTML."""
    association, role = editor(request)
    if not (payload.url.strip() or payload.html.strip()):
        raise ValidationError({"url": "请填写文章链接或粘贴网页源代码"})
    article = wechat_services.article_import(
        association=association,
        actor=signed_in_user(request),
        role=role,
        url=payload.url,
        html=payload.html,
    )
    return Status(201, article)


# --- Readers ---------------------------------------------------------------------------------


@publishing_router.get("/articles", auth=None, response={200: list[ArticleListItemOut], **ERRORS})
@paginate(Pages)
def article_list(
    request: HttpRequest, slug: Path[str], query: Query[ArticleCategoryQuery]
) -> object:
    """The published articles the caller may read, pinned first, newest first: anyone (no
    sign-in) gets the public ones, members also theirs."""
    association = current_association(request)
    category = None
    if query.category_id:
        category = selectors.access_category(association=association, category_id=query.category_id)
    qs = selectors.published_articles(
        association, viewer_role=current_role(request), category=category
    )
    return qs


@publishing_router.get("/articles/{article_id}", auth=None, response={200: ArticleOut, **ERRORS})
def article_read(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    """One article the caller may read (a public one without sign-in). The first read of an
    article not for everyone is recorded for the editor; views are counted in the counter store."""
    association, role = current_association(request), current_role(request)
    article = selectors.access_article(
        association=association, article_id=article_id, viewer_role=role
    )
    counters.view_count(article.pk)
    if role is not None:
        article_services.article_read_record(
            association=association, article=article, user=api_user(request)
        )
    return article


# --- Editors: one article --------------------------------------------------------------------


@publishing_router.get("/articles/{article_id}/editor", response={200: ArticleEditorOut, **ERRORS})
def article_editor_get(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    """An article whatever its status (editors)."""
    article = article_for_editor(request, article_id)
    return article


@publishing_router.put("/articles/{article_id}", response={200: ArticleEditorOut, **ERRORS})
def article_update(
    request: HttpRequest, slug: Path[str], article_id: Path[int], payload: ArticleIn
) -> object:
    """Saves changes as a new revision (a published article: ``PUBLISH_CONTENT`` only)."""
    article = article_for_editor(request, article_id)
    association, role = editor(request)
    saved = article_services.article_update(
        association=association,
        actor=signed_in_user(request),
        role=role,
        article=article,
        data=_input(payload),
    )
    return saved


@publishing_router.delete("/articles/{article_id}", response={204: None, **ERRORS})
def article_delete(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    article = article_for_editor(request, article_id)
    association, role = editor(request)
    article_services.article_delete(
        association=association, actor=signed_in_user(request), role=role, article=article
    )
    return Status(204, None)


def _common(request: HttpRequest, article_id: int) -> dict[str, Any]:
    article = article_for_editor(request, article_id)
    association, role = editor(request)
    return {
        "association": association,
        "actor": signed_in_user(request),
        "role": role,
        "article": article,
    }


@publishing_router.post("/articles/{article_id}/submit", response={200: ArticleEditorOut, **ERRORS})
def article_submit(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    """Sends a draft for review."""
    common = _common(request, article_id)
    return article_services.article_submit(**common)


@publishing_router.post("/articles/{article_id}/return", response={200: ArticleEditorOut, **ERRORS})
def article_return(
    request: HttpRequest, slug: Path[str], article_id: Path[int], payload: ArticleReturnIn
) -> object:
    """Sends an article in review back to draft (``PUBLISH_CONTENT``)."""
    common = _common(request, article_id)
    returned = article_services.article_return(**common, reason=payload.reason)
    return returned


@publishing_router.post(
    "/articles/{article_id}/publish", response={200: ArticleEditorOut, **ERRORS}
)
def article_publish(
    request: HttpRequest, slug: Path[str], article_id: Path[int], payload: ArticlePublishIn
) -> object:
    """Publishes now, or at ``at`` (``PUBLISH_CONTENT``)."""
    common = _common(request, article_id)
    published = article_services.article_publish(**common, at=payload.at)
    return published


@publishing_router.post(
    "/articles/{article_id}/unpublish", response={200: ArticleEditorOut, **ERRORS}
)
def article_unpublish(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    common = _common(request, article_id)
    return article_services.article_unpublish(**common)


@publishing_router.post("/articles/{article_id}/pin", response={200: ArticleEditorOut, **ERRORS})
def article_pin(
    request: HttpRequest, slug: Path[str], article_id: Path[int], payload: ArticlePinIn
) -> object:
    """Pins (``pinned: true``) or unpins the article (``PUBLISH_CONTENT``)."""
    common = _common(request, article_id)
    pinned = article_services.article_pin(**common, pinned=payload.pinned)
    return pinned


@publishing_router.get(
    "/articles/{article_id}/revisions", response={200: list[ArticleRevisionOut], **ERRORS}
)
@paginate(Pages)
def revision_list(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    """The article's saved versions, newest first."""
    article = article_for_editor(request, article_id)
    return selectors.revisions(association=current_association(request), article=article)


@publishing_router.post(
    "/articles/{article_id}/revisions/{revision_id}/restore",
    response={200: ArticleEditorOut, **ERRORS},
)
def revision_restore(
    request: HttpRequest, slug: Path[str], article_id: Path[int], revision_id: Path[int]
) -> object:
    """Brings back a saved version (saved again as the newest)."""
    common = _common(request, article_id)
    revision = selectors.access_revision(
        association=common["association"], article=common["article"], revision_id=revision_id
    )
    restored = article_services.article_restore(**common, revision=revision)
    return restored


@publishing_router.get(
    "/articles/{article_id}/readers", response={200: list[ArticleReaderOut], **ERRORS}
)
@paginate(Pages)
def reader_list(request: HttpRequest, slug: Path[str], article_id: Path[int]) -> object:
    """Who read an article not meant for everyone (each person once, at the first read)."""
    article = article_for_editor(request, article_id)
    return selectors.readers(association=current_association(request), article=article)
