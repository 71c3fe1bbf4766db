"""The dues app's part of the secretariat's to-do list (``core.contributions.TODOS``): open
bills past their due date, which the arrears list shows and reminds."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.associations.models import Association
from shanghui.core.contributions import TodoItem
from shanghui.dues.models import DuesBill

# The kind of data (``core.cache_versions``) the count depends on: every service that issues a
# bill or changes its status bumps it (``services.bills``, ``services.payments``).
BILLS_VERSION = "bills"


def dues_todos(association: Association) -> list[TodoItem]:
    # The arrears list's own rule (``selectors.arrears_search``): open and past the due date.
    overdue = DuesBill.objects.filter(
        association=association, status=DuesBill.Status.OPEN, due_on__lt=timezone.localdate()
    ).count()
    if not overdue:
        return []
    url = reverse("dues:office_dues_arrears", kwargs={"association_slug": association.slug})
    return [TodoItem(_("逾期未缴的账单"), overdue, url)]
