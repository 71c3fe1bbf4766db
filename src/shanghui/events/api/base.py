"""The events router and what its endpoints share."""

from django.http import HttpRequest
from ninja import Router

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.models import Role
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations.models import Association
from shanghui.events import selectors
from shanghui.events.models import Event

events_router = Router(tags=["会务"])


def file_response(description: str, mime: str) -> dict[str, object]:
    return {
        "responses": {
            200: {
                "description": description,
                "content": {mime: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


PDF = file_response("PDF", "application/pdf")
XLSX = file_response("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PNG = file_response("PNG", "image/png")
ICS = file_response("iCalendar", "text/calendar")


def member(request: HttpRequest) -> tuple[Association, Role]:
    return current_association(request), require_member(current_role(request))


def manager(request: HttpRequest) -> Association:
    require_perm(current_role(request), Perm.MANAGE_EVENTS)
    return current_association(request)


def event_for_member(request: HttpRequest, event_id: int) -> Event:
    association, role = member(request)
    return selectors.access_event(
        association=association, event_id=event_id, role=role, user=signed_in_user(request)
    )


def event_for_manager(request: HttpRequest, event_id: int) -> Event:
    association = manager(request)
    return selectors.access_event(association=association, event_id=event_id)


def event_for_checkin(request: HttpRequest, event_id: int) -> Event:
    """An event whose door the caller works: the secretariat, or the event's 签到员."""
    return selectors.access_checkin_event(
        association=current_association(request),
        event_id=event_id,
        role=current_role(request),
        user=signed_in_user(request),
    )
