"""The life of an article: a draft written by whoever edits content (``Perm.EDIT_CONTENT``),
submitted for review, published — now or at a later time — by whoever publishes
(``Perm.PUBLISH_CONTENT``), unpublished, pinned, deleted. Every save keeps a revision that can
be restored; every change is audit-logged. The body is sanitised here, whatever the client
sent. Publishing a public article of an association that shares its news to the portal
writes the platform's copy (``PortalNewsItem``); unpublishing or deleting removes it.

Every service checks the caller's role itself (``PermissionDenied``), so the pages and the
API cannot differ on who may do what."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.audience import AudienceChoice, audience_rules, audience_rules_replace
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.models import AudienceRule
from shanghui.core.richtext import sanitize_html
from shanghui.core.uploads import image_normalized
from shanghui.publishing import selectors
from shanghui.publishing.models import (
    ARTICLE_TYPE,
    Article,
    ArticleImage,
    ArticlePicture,
    ArticleRead,
    ArticleRevision,
    Category,
    PortalNewsItem,
)
from shanghui.publishing.pictures import image_url, pictures_in
from shanghui.publishing.services.images import ARTICLE_IMAGE_MAX_SIDE, image_keep, image_put
from shanghui.publishing.todos import ARTICLES_VERSION

MAX_TAGS = 8
MAX_TAG_LENGTH = 20
# Revisions kept per article (the oldest go): enough to undo a day's edits.
MAX_REVISIONS = 50


@dataclass
class ArticleInput:
    """What the editor fills in (text as typed: the service cleans it). ``audience_choices``
    names the audience rules when ``audience`` is "rules"."""

    title: str
    summary: str = ""
    body: str = ""
    category_id: int | None = None
    cover_id: int | None = None
    tags: list[str] = field(default_factory=list)
    author_name: str = ""
    audience: str = Article.Audience.MEMBERS
    audience_choices: list[AudienceChoice] = field(default_factory=list)
    source_url: str = ""


def _require(role: Role | None, perm: Perm) -> None:
    if not has_perm(role, perm):
        raise PermissionDenied


def _may_write(role: Role | None, article: Article | None = None) -> None:
    """Drafts are written with either content permission; a published article changes only
    by whoever may publish (else an edit would go live without review)."""
    if not selectors.may_edit(role):
        raise PermissionDenied
    if article is not None and article.status == Article.Status.PUBLISHED:
        _require(role, Perm.PUBLISH_CONTENT)


def _tags(values: list[str]) -> list[str]:
    tags: list[str] = []
    for value in values:
        for part in str(value).replace("，", ",").split(","):
            tag = part.strip()[:MAX_TAG_LENGTH]
            if tag and tag not in tags:
                tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": _("标签最多 %(n)d 个") % {"n": MAX_TAGS}})
    return tags


def _clean(association: Association, data: ArticleInput) -> dict[str, object]:
    title = " ".join((data.title or "").split())
    if not title:
        raise ValidationError({"title": _("请填写标题")})
    if len(title) > 120:
        raise ValidationError({"title": _("标题不能超过 120 个字")})
    summary = " ".join((data.summary or "").split())
    if len(summary) > 300:
        raise ValidationError({"summary": _("摘要不能超过 300 个字")})
    if data.audience not in Article.Audience.values:
        raise ValidationError({"audience": _("请选择阅读范围")})
    category: Category | None = None
    cover: ArticleImage | None = None
    # Through the access helpers: another association's id is "not found", like a wrong one.
    try:
        if data.category_id:
            category = selectors.access_category(
                association=association, category_id=data.category_id
            )
    except Http404:
        raise ValidationError({"category_id": _("未找到所选栏目")}) from None
    try:
        if data.cover_id:
            cover = selectors.access_article_image(association=association, image_id=data.cover_id)
    except Http404:
        raise ValidationError({"cover_id": _("未找到所选图片")}) from None
    source = (data.source_url or "").strip()
    if source and not source.startswith(("https://", "http://")):
        raise ValidationError({"source_url": _("原文链接应以 https:// 开头")})
    return {
        "title": title,
        "summary": summary,
        "body": sanitize_html(data.body or ""),
        "category": category,
        "cover": cover,
        "tags": _tags(data.tags),
        "author_name": " ".join((data.author_name or "").split())[:50],
        "audience": data.audience,
        "source_url": source[:200],
    }


def _set_rules(association: Association, article: Article, data: ArticleInput) -> None:
    if data.audience == Article.Audience.RULES:
        chosen = [c for c in data.audience_choices if c.target_ids or c.chosen]
        if not chosen:
            raise ValidationError({"audience": _("请至少选择一项阅读范围")})
        audience_rules_replace(
            association=association, owner_type=ARTICLE_TYPE, owner_id=article.pk, choices=chosen
        )
    else:
        AudienceRule.objects.filter(
            association=association, owner_type=ARTICLE_TYPE, owner_id=article.pk
        ).delete()


def _record_pictures(association: Association, article: Article) -> None:
    """The pictures ``article`` uses now (its cover, those its body embeds: its association's
    only), for ``selectors.access_image``."""
    ids = set(pictures_in(association, article.body))
    if article.cover_id:
        ids.add(article.cover_id)
    existing = set(
        ArticleImage.objects.filter(association=association, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    uses = ArticlePicture.objects.filter(association=association, article=article)
    uses.exclude(image_id__in=existing).delete()
    ArticlePicture.objects.bulk_create(
        [ArticlePicture(association=association, article=article, image_id=i) for i in existing],
        ignore_conflicts=True,
    )


def _revision(association: Association, article: Article, actor: User | None) -> None:
    ArticleRevision.objects.create(
        association=association,
        article=article,
        title=article.title,
        summary=article.summary,
        body=article.body,
        saved_by=actor,
    )
    stale = list(
        ArticleRevision.objects.filter(association=association, article=article)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[MAX_REVISIONS:]
    )
    if stale:
        ArticleRevision.objects.filter(association=association, pk__in=stale).delete()


def _portal_copy(association: Association, article: Article) -> PortalNewsItem:
    assert article.published_at is not None
    return PortalNewsItem(
        association=association,
        article_id=article.pk,
        title=article.title,
        summary=article.summary,
        cover_url=image_url(association, article.cover, size="thumb") if article.cover else "",
        published_at=article.published_at,
    )


def portal_sync(*, association: Association, article: Article) -> None:
    """The platform portal's copy of ``article``: present exactly while the article is
    published, public, and the association shares its news to the portal."""
    shared = (
        article.status == Article.Status.PUBLISHED
        and article.audience == Article.Audience.PUBLIC
        and article.published_at is not None
        and selectors.site_settings(association).share_news_to_portal
    )
    if not shared:
        PortalNewsItem.objects.filter(association=association, article_id=article.pk).delete()
        return
    copy = _portal_copy(association, article)
    PortalNewsItem.objects.update_or_create(
        association=association,
        article_id=article.pk,
        defaults={
            name: getattr(copy, name) for name in ("title", "summary", "cover_url", "published_at")
        },
    )


def portal_sync_all(*, association: Association, share: bool) -> None:
    """The portal's copies of all the association's articles at once (after the opt-in
    changed): every published public article's when ``share``, none otherwise — a fixed
    number of statements however many articles there are."""
    if not share:
        PortalNewsItem.objects.filter(association=association).delete()
        return
    copies = [
        _portal_copy(association, article)
        for article in Article.objects.filter(
            association=association,
            status=Article.Status.PUBLISHED,
            audience=Article.Audience.PUBLIC,
            published_at__isnull=False,
        ).select_related("cover")
    ]
    PortalNewsItem.objects.filter(association=association).exclude(
        article_id__in=[c.article_id for c in copies]
    ).delete()
    PortalNewsItem.objects.bulk_create(
        copies,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["association", "article_id"],
        update_fields=["title", "summary", "cover_url", "published_at"],
    )


def _log(
    action: str, association: Association, actor: User, article: Article, **data: object
) -> None:
    audit(
        actor=actor,
        action=f"publishing.article.{action}",
        association=association,
        target=article,
        summary=article.title,
        data={k: v for k, v in data.items() if v is not None},
    )


@transaction.atomic
def article_create(
    *, association: Association, actor: User, role: Role | None, data: ArticleInput
) -> Article:
    """A new draft by ``actor`` (who edits content); its first revision."""
    _may_write(role)
    values = _clean(association, data)
    article = Article.objects.create(association=association, author=actor, **values)
    _record_pictures(association, article)
    _set_rules(association, article, data)
    _revision(association, article, actor)
    _log("create", association, actor, article)
    return article


@transaction.atomic
def article_update(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    article: Article,
    data: ArticleInput,
    action: str = "update",
) -> Article:
    """Saves the editor's changes as a new revision. A published article is changed only by
    whoever may publish; its portal copy follows. An article in review changed by someone
    who may not publish goes back to its draft (``DRAFT``): the publisher reviewed what it
    said before, and must not publish a text they have not seen; it is submitted again."""
    locked = Article.objects.select_for_update().get(association=association, pk=article.pk)
    _may_write(role, locked)
    values = _clean(association, data)
    for name, value in values.items():
        setattr(locked, name, value)
    fields = [*values, "updated_at"]
    back_to_draft = locked.status == Article.Status.REVIEW and not selectors.may_publish(role)
    if back_to_draft:
        locked.status = Article.Status.DRAFT
        fields.append("status")
        bump(association.pk, ARTICLES_VERSION)  # the review to-do
    locked.save(update_fields=fields)
    _record_pictures(association, locked)
    _set_rules(association, locked, data)
    _revision(association, locked, actor)
    portal_sync(association=association, article=locked)
    _log(action, association, actor, locked, back_to_draft=back_to_draft or None)
    return locked


def _status_change(association: Association, article: Article, *, allowed: set[str]) -> Article:
    locked = Article.objects.select_for_update().get(association=association, pk=article.pk)
    if locked.status not in allowed:
        raise ValidationError(
            _("资讯当前为“%(status)s”，不能进行此操作") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def article_submit(
    *, association: Association, actor: User, role: Role | None, article: Article
) -> Article:
    """Sends a draft (or an unpublished article) for review."""
    _may_write(role)
    locked = _status_change(
        association, article, allowed={Article.Status.DRAFT, Article.Status.UNPUBLISHED}
    )
    locked.status = Article.Status.REVIEW
    locked.submitted_by = actor
    locked.save(update_fields=["status", "submitted_by", "updated_at"])
    bump(association.pk, ARTICLES_VERSION)  # the review to-do
    _log("submit", association, actor, locked)
    return locked


@transaction.atomic
def article_return(
    *, association: Association, actor: User, role: Role | None, article: Article, reason: str = ""
) -> Article:
    """A reviewer sends an article in review back to its draft."""
    _require(role, Perm.PUBLISH_CONTENT)
    locked = _status_change(association, article, allowed={Article.Status.REVIEW})
    locked.status = Article.Status.DRAFT
    locked.save(update_fields=["status", "updated_at"])
    bump(association.pk, ARTICLES_VERSION)  # the review to-do
    _log("return", association, actor, locked, reason=reason.strip()[:200] or None)
    return locked


@transaction.atomic
def article_publish(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    article: Article,
    at: datetime | None = None,
) -> Article:
    """Publishes now, or at ``at`` (a later time: the article is scheduled and readers see
    it from then on). A published article may be rescheduled; an article for chosen readers
    needs its audience rules first."""
    _require(role, Perm.PUBLISH_CONTENT)
    locked = _status_change(
        association,
        article,
        allowed={
            Article.Status.DRAFT,
            Article.Status.REVIEW,
            Article.Status.UNPUBLISHED,
            Article.Status.PUBLISHED,
        },
    )
    if (
        locked.audience == Article.Audience.RULES
        and not AudienceRule.objects.filter(
            association=association, owner_type=ARTICLE_TYPE, owner_id=locked.pk
        ).exists()
    ):
        raise ValidationError(_("请先设置阅读范围"))
    now = timezone.now()
    if at is not None and timezone.is_naive(at):  # typed without a zone: Beijing time
        at = timezone.make_aware(at)
    when = at if at is not None and at > now else now
    locked.status = Article.Status.PUBLISHED
    locked.published_at = when
    locked.published_by = actor
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    bump(association.pk, ARTICLES_VERSION)  # the review to-do
    portal_sync(association=association, article=locked)
    scheduled = when > now
    _log(
        "schedule" if scheduled else "publish",
        association,
        actor,
        locked,
        at=when.isoformat() if scheduled else None,
        audience=locked.audience,
    )
    return locked


@transaction.atomic
def article_unpublish(
    *, association: Association, actor: User, role: Role | None, article: Article
) -> Article:
    """Takes a published (or scheduled) article off; readers get 404, the portal copy goes."""
    _require(role, Perm.PUBLISH_CONTENT)
    locked = _status_change(association, article, allowed={Article.Status.PUBLISHED})
    locked.status = Article.Status.UNPUBLISHED
    locked.pinned = False
    locked.save(update_fields=["status", "pinned", "updated_at"])
    portal_sync(association=association, article=locked)
    _log("unpublish", association, actor, locked)
    return locked


@transaction.atomic
def article_pin(
    *, association: Association, actor: User, role: Role | None, article: Article, pinned: bool
) -> Article:
    """Pins an article at the top of the lists (or unpins it)."""
    _require(role, Perm.PUBLISH_CONTENT)
    Article.objects.filter(association=association, pk=article.pk).update(pinned=pinned)
    article.pinned = pinned
    _log("pin" if pinned else "unpin", association, actor, article)
    return article


@transaction.atomic
def article_delete(
    *, association: Association, actor: User, role: Role | None, article: Article
) -> None:
    """Deletes an article with its revisions, readers, audience rules and portal copy. A
    published one only by whoever may publish."""
    locked = Article.objects.select_for_update().get(association=association, pk=article.pk)
    _may_write(role, locked)
    bump(association.pk, ARTICLES_VERSION)  # the review to-do
    _log("delete", association, actor, locked)
    AudienceRule.objects.filter(
        association=association, owner_type=ARTICLE_TYPE, owner_id=locked.pk
    ).delete()
    PortalNewsItem.objects.filter(association=association, article_id=locked.pk).delete()
    ArticlePicture.objects.filter(association=association, article=locked).delete()
    ArticleRead.objects.filter(association=association, article=locked).delete()
    ArticleRevision.objects.filter(association=association, article=locked).delete()
    locked.delete()


@transaction.atomic
def article_restore(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    article: Article,
    revision: ArticleRevision,
) -> Article:
    """Brings back a revision's title, summary and body, saved as a new revision (the
    present version stays in the history)."""
    if revision.article_id != article.pk:
        raise ValidationError(_("该版本不属于这篇资讯"))
    data = input_of(article)
    data.title, data.summary, data.body = revision.title, revision.summary, revision.body
    return article_update(
        association=association,
        actor=actor,
        role=role,
        article=article,
        data=data,
        action="restore",
    )


def article_picture_add(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    article: Article,
    upload: UploadedFile | None,
    use: str = "body",
) -> ArticleImage:
    """A picture uploaded in the editor, stored and made the article's cover (``use`` is
    "cover") or appended to its body, in one transaction: the picture is never stored
    without the article taking it, and the article is read after it is locked (an edit
    saved meanwhile is kept). The picture is re-encoded and its bytes stored before the
    transaction (a crash in between leaves a stored file no article picture holds, removed by
    ``files_expire``)."""
    if not selectors.may_edit(role):
        raise PermissionDenied
    _may_write(role, article)  # checked again below, on the locked article
    picture = image_normalized(upload, field="image", max_side=ARTICLE_IMAGE_MAX_SIDE)
    stored = image_put(association=association, actor=actor, picture=picture)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(association=association, pk=article.pk)
        _may_write(role, locked)
        image = image_keep(association=association, actor=actor, stored=stored)
        data = input_of(locked)
        if use == "cover":
            data.cover_id = image.pk
        else:
            data.body += f'<p><img src="{image_url(association, image)}" alt=""></p>'
        article_update(association=association, actor=actor, role=role, article=locked, data=data)
    return image


def input_of(article: Article) -> ArticleInput:
    """The article as the editor's input (to change one part and save the rest as it is)."""
    rules = audience_rules(
        association=article.association, owner_type=ARTICLE_TYPE, owner_id=article.pk
    )
    by_kind: dict[str, list[int]] = {}
    chosen: set[str] = set()
    for rule in rules:
        if rule.target_id:
            by_kind.setdefault(rule.kind, []).append(rule.target_id)
        else:
            chosen.add(rule.kind)
    choices = [AudienceChoice(kind, ids) for kind, ids in by_kind.items()] + [
        AudienceChoice(kind, [], chosen=True) for kind in chosen
    ]
    return ArticleInput(
        title=article.title,
        summary=article.summary,
        body=article.body,
        category_id=article.category_id,
        cover_id=article.cover_id,
        tags=list(article.tags or []),
        author_name=article.author_name,
        audience=article.audience,
        audience_choices=choices,
        source_url=article.source_url,
    )


def article_read_record(*, association: Association, article: Article, user: User | None) -> None:
    """Records that a signed-in person read an article not meant for everyone — the first
    time only (one row per person and article): a later view writes nothing."""
    if user is None or not user.is_authenticated or article.audience == Article.Audience.PUBLIC:
        return
    if ArticleRead.objects.filter(association=association, article=article, user=user).exists():
        return
    ArticleRead.objects.bulk_create(
        [ArticleRead(association=association, article=article, user=user)],
        ignore_conflicts=True,
    )
