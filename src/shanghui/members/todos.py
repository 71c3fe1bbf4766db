"""The members app's part of the secretariat's to-do list (``core.contributions.TODOS``):
applications to join waiting for a decision, and those waiting on the applicant."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.contributions import TodoItem
from shanghui.members.models import MembershipApplication

Status = MembershipApplication.Status

# The kind of data (``core.cache_versions``) the counts depend on: every service that files an
# application or changes its status bumps it (``services.applications``).
APPLICATIONS_VERSION = "applications"


@dataclass(frozen=True)
class ApplicationCounts:
    submitted: int  # 待审核: the secretariat decides
    needs_info: int  # 待补充资料: the applicant was asked for more

    @property
    def in_progress(self) -> int:
        return self.submitted + self.needs_info


def application_counts(association: Association) -> ApplicationCounts:
    """Open applications to join ``association`` by status, in one query."""
    row = MembershipApplication.objects.filter(
        association=association, status__in=(Status.SUBMITTED, Status.NEEDS_INFO)
    ).aggregate(
        submitted=Count("id", filter=Q(status=Status.SUBMITTED)),
        needs_info=Count("id", filter=Q(status=Status.NEEDS_INFO)),
    )
    return ApplicationCounts(row["submitted"], row["needs_info"])


def application_todos(association: Association) -> list[TodoItem]:
    counts = application_counts(association)
    url = reverse("members:office_applications", kwargs={"association_slug": association.slug})
    items = []
    if counts.submitted:
        items.append(TodoItem(_("待审核"), counts.submitted, f"{url}?status={Status.SUBMITTED}"))
    if counts.needs_info:
        items.append(
            TodoItem(
                _("待申请人补充资料"),
                counts.needs_info,
                f"{url}?status={Status.NEEDS_INFO}",
                waiting_on_us=False,
            )
        )
    return items
