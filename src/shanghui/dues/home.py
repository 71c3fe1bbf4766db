"""The dues panel of a member's home (``core.contributions.MEMBER_HOME``): the open bills of
the members the person represents, the earliest due first."""

from typing import Any

from django.utils import timezone

from shanghui.dues.models import DuesBill
from shanghui.dues.selectors import my_member_ids

SHOWN = 3


def dues_panel(request: Any) -> dict[str, Any] | None:
    """None when nothing is owed: one query."""
    association = request.association
    bills = list(
        DuesBill.objects.filter(
            association=association,
            status=DuesBill.Status.OPEN,
            member_id__in=my_member_ids(association=association, user=request.user),
        )
        .select_related("member")
        .order_by("due_on", "id")[:SHOWN]
    )
    if not bills:
        return None
    return {"bills": bills, "today": timezone.localdate()}
