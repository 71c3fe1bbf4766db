"""An account's notification preferences (``core.models.NotificationSettings``, a platform
table: they belong to the person across associations): the channels muted per message kind,
and quiet hours in Asia/Shanghai time during which messages wait until the end rather than
being dropped. Urgent kinds (one-time codes, invitations) ignore both; the inbox is never
muted (it is where a person finds every message)."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shanghui.core.models import NotificationSettings
from shanghui.core.notify.kinds import MessageKind, message_kind, message_kinds
from shanghui.core.types import Account

LOCAL = ZoneInfo("Asia/Shanghai")
MUTABLE_CHANNELS = ("sms", "wechat", "email")
CHANNEL_LABELS = {
    "sms": gettext_lazy("短信"),
    "wechat": gettext_lazy("微信"),
    "email": gettext_lazy("邮件"),
}


def settings_of(user_ids: Iterable[int | None]) -> dict[int, NotificationSettings]:
    """The preferences of these accounts (those who set any), in one read."""
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=ids)}


def preferences_of(user: Account) -> NotificationSettings:
    """The account's preferences (unsaved defaults when it set none)."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def is_muted(person: NotificationSettings | None, kind: MessageKind, channel: str) -> bool:
    if person is None or kind.urgent or channel not in MUTABLE_CHANNELS:
        return False
    return f"{kind.code}/{channel}" in (person.muted or [])


def quiet_until(person: NotificationSettings | None, now: datetime) -> datetime | None:
    """When ``person``'s quiet hours end if ``now`` falls in them (else None)."""
    if person is None or person.quiet_start is None or person.quiet_end is None:
        return None
    start, end = person.quiet_start, person.quiet_end
    if start == end:
        return None
    local = now.astimezone(LOCAL)
    clock = local.time().replace(tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    ending = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ending <= local:
        ending += timedelta(days=1)
    return ending


def preferences_update(
    *,
    user: Account,
    muted: Iterable[str],
    quiet_start: time | None,
    quiet_end: time | None,
) -> NotificationSettings:
    """Saves the account's preferences. ``muted``: "kind/channel" pairs of registered,
    non-urgent kinds and mutable channels (others are refused)."""
    pairs = sorted(set(muted))
    for pair in pairs:
        code, _sep, channel = pair.rpartition("/")
        try:
            kind = message_kind(code)
        except Exception:
            raise ValidationError(_("未知的消息类型。")) from None
        if kind.urgent or channel not in MUTABLE_CHANNELS or channel not in kind.channels:
            raise ValidationError(_("该消息不能关闭。"))
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError(_("免打扰时段需同时填写开始和结束时间。"))
    prefs, _created = NotificationSettings.objects.update_or_create(
        user_id=user.pk,
        defaults={"muted": pairs, "quiet_start": quiet_start, "quiet_end": quiet_end},
    )
    return prefs


def preference_rows(prefs: NotificationSettings) -> list[dict[str, Any]]:
    """Each kind a person may mute, with its channels and whether each is on: what the
    preferences page and the API show (urgent kinds, which cannot be muted, are left out)."""
    muted = set(prefs.muted or [])
    rows = []
    for kind in message_kinds():
        if kind.urgent:
            continue
        channels = [
            {
                "value": f"{kind.code}/{channel}",
                "label": CHANNEL_LABELS[channel],
                "on": f"{kind.code}/{channel}" not in muted,
            }
            for channel in MUTABLE_CHANNELS
            if channel in kind.channels
        ]
        if channels:
            rows.append({"code": kind.code, "label": kind.label, "channels": channels})
    return rows
