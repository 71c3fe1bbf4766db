"""The notification center's API: my inbox across every association, its unread count and
marking read, my notification preferences (under /me), and an association's 未送达 list
with resend (MANAGE_MEMBERS) — the same services as the pages."""

import re
from datetime import datetime, time
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Path, Router, Schema
from ninja.pagination import paginate
from pydantic import Field, StrictInt, field_validator

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core import notifications
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.inbox import person_inbox, person_mark_read, person_unread_count
from shanghui.core.models import InboxMessage
from shanghui.core.notify import preferences
from shanghui.core.tenancy import person_context

# Mounted on /me (me_router) and on /associations/{slug} (tenant_router).
inbox_router = Router(tags=["个人中心"])
deliveries_router = Router()


class InboxOut(Schema):
    id: int
    association_slug: str
    association_name: str
    kind: str
    subject: str
    text: str
    link: str
    target_type: str
    target_id: int | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_association_slug(obj: InboxMessage) -> str:
        return obj.association.slug

    @staticmethod
    def resolve_association_name(obj: InboxMessage) -> str:
        return obj.association.short_name


class UnreadOut(Schema):
    unread: int


WALL_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")


class ReadIn(Schema):
    ids: list[StrictInt] | None = None  # none: every unread message


class ChangedOut(Schema):
    changed: int


class PreferenceChannelOut(Schema):
    value: str  # "kind/channel", what ``muted`` lists
    label: str
    on: bool


class PreferenceKindOut(Schema):
    code: str
    label: str
    channels: list[PreferenceChannelOut]


class PreferencesOut(Schema):
    muted: list[str]
    quiet_start: time | None
    quiet_end: time | None
    kinds: list[PreferenceKindOut]


class PreferencesIn(Schema):
    muted: list[str] = []
    quiet_start: time | None = None
    quiet_end: time | None = None

    # Quiet hours are Beijing wall-clock times: "22:00" or "22:00:00", never a number of
    # seconds or a time with a zone (which the database could not store as it was meant).
    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _wall_clock(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and WALL_CLOCK.fullmatch(value)):
            return value
        raise ValueError(_("请按“时:分”填写，例如 22:00"))


@inbox_router.get(
    "/inbox", operation_id="shanghui_accounts_api_inbox", response={200: list[InboxOut], **ERRORS}
)
def inbox(request: HttpRequest) -> object:
    """My newest messages (up to 200) from every association I belong to."""
    user = signed_in_user(request)
    with person_context(user):
        return person_inbox(user)


@inbox_router.get(
    "/inbox/unread-count",
    operation_id="shanghui_accounts_api_inbox_unread",
    response={200: UnreadOut, **ERRORS},
)
def inbox_unread(request: HttpRequest) -> object:
    return {"unread": person_unread_count(signed_in_user(request))}


@inbox_router.post(
    "/inbox/read",
    operation_id="shanghui_accounts_api_inbox_read",
    response={200: ChangedOut, **ERRORS},
)
def inbox_read(request: HttpRequest, payload: ReadIn) -> object:
    """Marks my messages of ``ids`` (or all) read; others' ids change nothing."""
    return {"changed": person_mark_read(user=signed_in_user(request), ids=payload.ids)}


def _preferences(request: HttpRequest) -> dict[str, object]:
    prefs = preferences.preferences_of(signed_in_user(request))
    return {
        "muted": prefs.muted or [],
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
        "kinds": [
            {**row, "label": str(row["label"]),
             "channels": [{**c, "label": str(c["label"])} for c in row["channels"]]}
            for row in preferences.preference_rows(prefs)
        ],
    }  # fmt: skip


@inbox_router.get(
    "/notification-preferences",
    operation_id="shanghui_accounts_api_notification_preferences",
    response={200: PreferencesOut, **ERRORS},
)
def notification_preferences(request: HttpRequest) -> object:
    """My muted kinds × channels and quiet hours (Asia/Shanghai); urgent kinds are not
    listed: they always come at once."""
    return _preferences(request)


@inbox_router.put(
    "/notification-preferences",
    operation_id="shanghui_accounts_api_notification_preferences_set",
    response={200: PreferencesOut, **ERRORS},
)
def notification_preferences_set(request: HttpRequest, payload: PreferencesIn) -> object:
    preferences.preferences_update(
        user=signed_in_user(request),
        muted=payload.muted,
        quiet_start=payload.quiet_start,
        quiet_end=payload.quiet_end,
    )
    return _preferences(request)


class DeliveryOut(Schema):
    id: int
    kind: str
    channel: str
    phone: str
    email: str
    subject: str
    status: str
    attempts: int
    last_error: str
    provider_message_id: str
    created_at: datetime


class ResendIn(Schema):
    """``ids`` (each a database id), or ``all: true`` for every failed delivery; neither (or
    both) is refused, so a client's mistake never resends everything."""

    ids: list[Annotated[StrictInt, Field(gt=0, lt=2**63)]] | None = None
    all: bool = False


class DeliveriesResentOut(Schema):
    resent: int


@deliveries_router.get(
    "/deliveries/failed",
    operation_id="shanghui_accounts_api_deliveries_failed",
    response={200: list[DeliveryOut], **ERRORS},
)
@paginate(Pages)
def deliveries_failed(request: HttpRequest, slug: Path[str]) -> object:
    """未送达: messages that failed after every attempt, newest first (MANAGE_MEMBERS)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    return notifications.failed_deliveries(association=current_association(request))


@deliveries_router.post(
    "/deliveries/resend",
    operation_id="shanghui_accounts_api_deliveries_resend",
    response={200: DeliveriesResentOut, **ERRORS},
)
def deliveries_resend(request: HttpRequest, slug: Path[str], payload: ResendIn) -> object:
    """Sends failed deliveries again: those of ``ids``, or all with ``all: true``
    (MANAGE_MEMBERS)."""
    require_perm(current_role(request), Perm.MANAGE_MEMBERS)
    if (payload.ids is None) == (not payload.all):
        return error_response(
            "validation_error",
            status=400,
            message=str(_("请给出 ids，或以 all: true 重新发送全部")),
        )
    count = notifications.deliveries_resend(
        association=current_association(request),
        actor=signed_in_user(request),
        ids=None if payload.all else payload.ids,
    )
    return {"resent": count}
