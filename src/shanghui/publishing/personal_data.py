"""What the publishing app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): which articles not meant for
everyone they read, and when (``ArticleRead``). Removed as the account is deleted."""

from typing import Any

from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.publishing.models import ArticleRead


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``."""
    return set(
        ArticleRead.objects.filter(user=user).values_list("association_id", flat=True).distinct()
    )


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    reads = (
        ArticleRead.objects.filter(association=association, user=user)
        .select_related("article")
        .order_by("read_at", "id")
    )
    return {
        _("资讯阅读记录"): [
            {_("资讯"): r.article.title, _("首次阅读时间"): r.read_at} for r in reads
        ]
    }


def erase(*, association: Association, user: User) -> None:
    """As the account is deleted: the records of what they read go."""
    ArticleRead.objects.filter(association=association, user=user).delete()
