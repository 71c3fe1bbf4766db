"""Arrears: the list, reminders, and the export as a background job (the secretariat)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.jobs import job_start_once
from shanghui.dues import selectors
from shanghui.dues.api.schemas import ArrearsQuery, BillOut, RemindIn, RemindOut
from shanghui.dues.services import status as status_services
from shanghui.dues.tasks import export_arrears

arrears_router = Router(tags=["会费"])


@arrears_router.get(
    "/arrears",
    operation_id="shanghui_dues_api_arrears_list",
    response={200: list[BillOut], **ERRORS},
)
@paginate(Pages)
def arrears_list(request: HttpRequest, slug: Path[str], filters: Query[ArrearsQuery]) -> object:
    """The arrears list (欠费名单): open bills past their due date, longest overdue first.
    ``min_days`` keeps bills overdue by at least that many days."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return selectors.arrears_search(
        association=current_association(request),
        filters=selectors.BillFilters(**filters.dict()),
    )


@arrears_router.post(
    "/arrears/reminders",
    operation_id="shanghui_dues_api_arrears_remind",
    response={200: RemindOut, **ERRORS},
)
def arrears_remind(request: HttpRequest, slug: Path[str], payload: RemindIn) -> object:
    """催缴: remind the members owing the given bills (or every bill the arrears filters
    select) by SMS, WeChat and email, sent from the outbox by a worker. Each bill at most once
    every seven days — the rule of the daily reminders; skipped bills are listed with why."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    association = current_association(request)
    if payload.filters is not None and payload.bill_ids is None:
        filters = selectors.BillFilters(**payload.filters.dict())
        qs = selectors.arrears_search(association=association, filters=filters)
        bill_ids = list(qs.values_list("id", flat=True))
    elif payload.filters is None and payload.bill_ids:
        bill_ids = payload.bill_ids
    else:
        raise ValidationError(
            {"bill_ids": _("请给出要催缴的账单（bill_ids）或筛选条件（filters），二者选一")}
        )
    return status_services.bills_remind(
        association=association, actor=signed_in_user(request), bill_ids=bill_ids
    )


@arrears_router.post(
    "/arrears/exports",
    operation_id="shanghui_dues_api_arrears_export",
    response={202: JobOut, **ERRORS},
)
def arrears_export(request: HttpRequest, slug: Path[str], filters: ArrearsQuery) -> Status[object]:
    """Export the filtered arrears list to xlsx as a background job (administrators only: it
    holds phone numbers). One at a time per person: while one of yours is queued or running,
    that job is answered and no other is started."""
    require_perm(current_role(request), Perm.EXPORT_MEMBERS)
    job, _started = job_start_once(
        association=current_association(request),
        actor=signed_in_user(request),
        kind="dues.arrears_export",
        label=_("欠费名单导出"),
        task=export_arrears,
        params=selectors.BillFilters(**filters.dict()).__dict__,
        restartable=True,
    )
    return Status(202, job)
