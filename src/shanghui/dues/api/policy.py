"""Fee schedules per level and year, and the dues policy (the secretariat)."""

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Router

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.dues import selectors
from shanghui.dues.api.schemas import PolicyIn, PolicyOut, ScheduleIn, ScheduleOut
from shanghui.dues.models import DuesPolicy
from shanghui.dues.services import bills as bill_services
from shanghui.dues.services import common as dues_common
from shanghui.members.models import Level

policy_router = Router(tags=["会费"])


@policy_router.get(
    "/schedules",
    operation_id="shanghui_dues_api_schedule_list",
    response={200: list[ScheduleOut], **ERRORS},
)
def schedule_list(request: HttpRequest, slug: Path[str], year: int | None = None) -> object:
    """Every active level's dues for ``year`` (default: this year): the schedule where one is
    set, otherwise the level's annual fee (``is_default``)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    rows = selectors.schedule_rows(
        association=current_association(request),
        year=dues_common.validate_year(year if year is not None else timezone.localdate().year),
    )
    return [
        {
            "level_id": r.level.pk,
            "level_name": r.level.name,
            "year": r.year,
            "amount": r.amount,
            "is_default": r.is_default,
        }
        for r in rows
    ]


@policy_router.put(
    "/schedules",
    operation_id="shanghui_dues_api_schedule_set",
    response={200: ScheduleOut, **ERRORS},
)
def schedule_set(request: HttpRequest, slug: Path[str], payload: ScheduleIn) -> object:
    """Set one level's dues for one year (administrator). Bills already issued keep their
    amount."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    association = current_association(request)
    level = (
        Level.objects.filter(association=association, pk=payload.level_id).first()
        if 0 < payload.level_id < 2**63
        else None
    )
    if level is None:
        raise Http404
    schedule = bill_services.fee_schedule_set(
        association=association,
        actor=signed_in_user(request),
        level=level,
        year=payload.year,
        amount=payload.amount,
    )
    return {
        "level_id": level.pk,
        "level_name": level.name,
        "year": schedule.year,
        "amount": schedule.amount,
        "is_default": False,
    }


@policy_router.get(
    "/policy", operation_id="shanghui_dues_api_policy_detail", response={200: PolicyOut, **ERRORS}
)
def policy_detail(request: HttpRequest, slug: Path[str]) -> DuesPolicy:
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return dues_common.dues_policy(current_association(request))


@policy_router.put(
    "/policy", operation_id="shanghui_dues_api_policy_update", response={200: PolicyOut, **ERRORS}
)
def policy_update(request: HttpRequest, slug: Path[str], payload: PolicyIn) -> DuesPolicy:
    """When an overdue bill turns a member into 欠费, and the default due date of new bills
    (administrator)."""
    require_perm(current_role(request), Perm.EDIT_SETTINGS)
    return bill_services.dues_policy_update(
        association=current_association(request), actor=signed_in_user(request), **payload.dict()
    )
