"""Reads of the publishing app: which articles a viewer may read (``published_articles``,
``access_article``), the editor's access (``access_article_for_editor``), categories, the
readers of an article, the site settings and the platform portal's news (``portal_news``).

A published article is readable from its ``published_at`` on (a later one is scheduled):
every read filters on it, so nothing has to run at that moment."""

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.audience import owners_inviting
from shanghui.members.models import Person
from shanghui.publishing.models import (
    ARTICLE_TYPE,
    DEFAULT_CATEGORIES,
    Article,
    ArticleImage,
    ArticlePicture,
    ArticleRead,
    ArticleRevision,
    Category,
    PortalNewsItem,
    SiteSettings,
)

MAX_ID = 2**63 - 1


def _valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def may_edit(role: Role | None) -> bool:
    return has_perm(role, Perm.EDIT_CONTENT) or has_perm(role, Perm.PUBLISH_CONTENT)


def may_publish(role: Role | None) -> bool:
    return has_perm(role, Perm.PUBLISH_CONTENT)


def _live(association: Association) -> QuerySet[Article]:
    return Article.objects.filter(
        association=association,
        status=Article.Status.PUBLISHED,
        published_at__lte=timezone.now(),
    )


def _person_ids(association: Association, role: Role) -> list[int]:
    return list(
        Person.objects.filter(association=association, user_id=role.user_id).values_list(
            "pk", flat=True
        )
    )


def published_articles(
    association: Association,
    *,
    viewer_role: Role | None = None,
    category: Category | int | None = None,
) -> QuerySet[Article]:
    """The published, due (``published_at`` <= now) articles ``viewer_role`` may read, pinned
    first, newest first: anonymous visitors and people without a role (``None``) only public
    ones; members also those for all members and those whose audience rules invite them;
    whoever edits content every audience."""
    qs = _live(association).select_related("category", "cover")
    if category is not None:
        qs = qs.filter(category=category)
    if viewer_role is None:
        qs = qs.filter(audience=Article.Audience.PUBLIC)
    elif not may_edit(viewer_role):
        ruled = qs.filter(audience=Article.Audience.RULES)
        invited = owners_inviting(
            association=association,
            owner_type=ARTICLE_TYPE,
            owner_ids=ruled.values("pk"),
            person_ids=_person_ids(association, viewer_role),
        )
        qs = qs.filter(~Q(audience=Article.Audience.RULES) | Q(pk__in=invited))
    return qs.order_by("-pinned", "-published_at", "-id")


def public_articles(association: Association) -> QuerySet[Article]:
    """What anyone may read (the public site, its feed and sitemap)."""
    return published_articles(association, viewer_role=None)


def access_article(
    *, association: Association, article_id: int, viewer_role: Role | None = None
) -> Article:
    """A published, due article of ``association`` that ``viewer_role`` may read (None:
    anonymous — public ones only); the same 404 for "does not exist", "not yours", "not
    published yet" and "not for you"."""
    if not _valid_id(article_id):
        raise Http404
    article = published_articles(association, viewer_role=viewer_role).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def access_article_for_editor(
    *, association: Association, article_id: int, role: Role | None
) -> Article:
    """Any article of ``association``, whatever its status, for whoever edits or publishes
    content (the caller checks the permission first; 404 for another association's id)."""
    if not _valid_id(article_id) or not may_edit(role):
        raise Http404
    article = (
        Article.objects.filter(association=association, pk=article_id)
        .select_related("category", "cover")
        .first()
    )
    if article is None:
        raise Http404
    return article


def office_articles(
    *, association: Association, status: str = "", category: int | None = None
) -> QuerySet[Article]:
    """Every article for the back office: those in review first, then newest."""
    qs = Article.objects.filter(association=association).select_related("category")
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category_id=category)
    return qs.order_by("-pinned", "-updated_at", "-id")


def categories(association: Association) -> QuerySet[Category]:
    return Category.objects.filter(association=association).order_by("sort_order", "id")


def categories_ensure(association: Association) -> list[Category]:
    """The association's categories, seeded with the defaults the first time."""
    found = list(categories(association))
    if found:
        return found
    Category.objects.bulk_create(
        [
            Category(association=association, name=name, sort_order=index)
            for index, name in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )
    return list(categories(association))


def access_category(*, association: Association, category_id: int) -> Category:
    if not _valid_id(category_id):
        raise Http404
    found = Category.objects.filter(association=association, pk=category_id).first()
    if found is None:
        raise Http404
    return found


def access_article_image(*, association: Association, image_id: int) -> ArticleImage:
    """An article picture of ``association`` by id (for the editor: a cover to choose); the
    same 404 for "does not exist" and "not yours"."""
    if not _valid_id(image_id):
        raise Http404
    found = ArticleImage.objects.filter(association=association, pk=image_id).first()
    if found is None:
        raise Http404
    return found


def _using_image(qs: QuerySet[Article], association: Association, image_id: int) -> bool:
    """Whether an article of ``qs`` uses the picture (its cover or in its body): the uses
    the article services record at every save (``ArticlePicture``, indexed by picture)."""
    users = ArticlePicture.objects.filter(association=association, image_id=image_id)
    return qs.filter(pk__in=users.values("article_id")).exists()


def access_image(
    *, association: Association, image_id: int, viewer_role: Role | None = None
) -> tuple[ArticleImage, bool]:
    """An article picture of ``association`` (only ``ArticleImage`` rows: no other picture
    can be named here) and whether it is public. Anyone may see a picture that a published,
    due public article uses (its cover, or in its body); otherwise only a viewer who may
    read a published article using it, or whoever edits content (a draft's pictures). The
    same 404 for every refusal."""
    if not _valid_id(image_id):
        raise Http404
    found = (
        ArticleImage.objects.filter(association=association, pk=image_id)
        .select_related("file__content")
        .first()
    )
    if found is None:
        raise Http404
    if _using_image(public_articles(association), association, image_id):
        return found, True
    if viewer_role is not None and (
        may_edit(viewer_role)
        or _using_image(
            published_articles(association, viewer_role=viewer_role), association, image_id
        )
    ):
        return found, False
    raise Http404


def revisions(*, association: Association, article: Article) -> QuerySet[ArticleRevision]:
    return ArticleRevision.objects.filter(association=association, article=article).select_related(
        "saved_by"
    )


def access_revision(
    *, association: Association, article: Article, revision_id: int
) -> ArticleRevision:
    if not _valid_id(revision_id):
        raise Http404
    found = revisions(association=association, article=article).filter(pk=revision_id).first()
    if found is None:
        raise Http404
    return found


def readers(*, association: Association, article: Article) -> QuerySet[ArticleRead]:
    """Who read an article (first read each), earliest first."""
    return (
        ArticleRead.objects.filter(association=association, article=article)
        .select_related("user")
        .order_by("read_at", "id")
    )


def site_settings(association: Association) -> SiteSettings:
    """The association's site settings (an unsaved default row until first changed)."""
    found = SiteSettings.objects.filter(association=association).first()
    return found or SiteSettings(association=association)


def portal_news(*, limit: int | None = None) -> QuerySet[PortalNewsItem]:
    """Platform-wide: the newest public news of active associations that share theirs to the
    portal, due now (a scheduled article appears at its time), each with its association's
    slug and name (``association_slug``, ``association_name``). Reads the platform table
    only — the one reader of it, for the portal page and the API alike."""
    items = (
        PortalNewsItem.objects.filter(
            published_at__lte=timezone.now(),
            association__status=Association.Status.ACTIVE,
        )
        .annotate(association_slug=F("association__slug"), association_name=F("association__name"))
        .order_by("-published_at", "-id")
    )
    return items if limit is None else items[:limit]
