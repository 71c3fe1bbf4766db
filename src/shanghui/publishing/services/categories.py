"""An association's news categories (configurable; the defaults are seeded on first use)
and its portal opt-in (``SiteSettings.share_news_to_portal``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.publishing import selectors
from shanghui.publishing.models import Article, Category, SiteSettings
from shanghui.publishing.services.articles import portal_sync_all

MAX_CATEGORIES = 30


def _name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise ValidationError({"name": _("请填写栏目名称")})
    if len(name) > 20:
        raise ValidationError({"name": _("栏目名称不能超过 20 个字")})
    return name


def _require(role: Role | None) -> None:
    if not has_perm(role, Perm.PUBLISH_CONTENT):
        raise PermissionDenied


@transaction.atomic
def category_create(
    *, association: Association, actor: User, role: Role | None, name: str, sort_order: int = 0
) -> Category:
    """A new category (whoever publishes content)."""
    _require(role)
    clean = _name(name)
    if Category.objects.filter(association=association).count() >= MAX_CATEGORIES:
        raise ValidationError({"name": _("栏目最多 %(n)d 个") % {"n": MAX_CATEGORIES}})
    if Category.objects.filter(association=association, name=clean).exists():
        raise ValidationError({"name": _("已有同名栏目")})
    try:
        with transaction.atomic():
            category = Category.objects.create(
                association=association, name=clean, sort_order=max(0, min(sort_order, 999))
            )
    except IntegrityError as exc:
        raise ValidationError({"name": _("已有同名栏目")}) from exc
    audit(actor=actor, action="publishing.category.create", association=association,
          target=category, summary=clean)  # fmt: skip
    return category


@transaction.atomic
def category_update(
    *,
    association: Association,
    actor: User,
    role: Role | None,
    category: Category,
    name: str,
    sort_order: int = 0,
) -> Category:
    _require(role)
    clean = _name(name)
    clash = Category.objects.filter(association=association, name=clean).exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名栏目")})
    category.name, category.sort_order = clean, max(0, min(sort_order, 999))
    category.save(update_fields=["name", "sort_order"])
    audit(actor=actor, action="publishing.category.update", association=association,
          target=category, summary=clean)  # fmt: skip
    return category


@transaction.atomic
def category_delete(
    *, association: Association, actor: User, role: Role | None, category: Category
) -> None:
    """Deletes a category; its articles stay, without a category."""
    _require(role)
    audit(actor=actor, action="publishing.category.delete", association=association,
          target=category, summary=category.name)  # fmt: skip
    Article.objects.filter(association=association, category=category).update(category=None)
    category.delete()


@transaction.atomic
def portal_sharing_set(
    *, association: Association, actor: User, role: Role | None, share: bool
) -> SiteSettings:
    """Whether the association's public news appears on the platform portal (its
    administrators decide: ``EDIT_SETTINGS``). The portal's copies follow at once."""
    if not has_perm(role, Perm.EDIT_SETTINGS):
        raise PermissionDenied
    settings, _created = SiteSettings.objects.get_or_create(association=association)
    settings.share_news_to_portal = share
    settings.save(update_fields=["share_news_to_portal", "updated_at"])
    portal_sync_all(association=association, share=share)
    audit(actor=actor, action="publishing.settings.portal", association=association,
          data={"share": share})  # fmt: skip
    return settings


def categories_for_editor(association: Association) -> list[Category]:
    return selectors.categories_ensure(association)
