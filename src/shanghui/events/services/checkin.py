"""Check-in and check-out at a check-in list. Idempotent: the unique (list, registration,
companion) row means a second scan answers "already checked in at 09:12" and changes
nothing; a person who checked out and comes back is checked in again."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.phone import normalize_mobile
from shanghui.events import tickets
from shanghui.events.models import ACTIVE_STATUSES, Checkin, CheckinList, Event, Registration

REFUSALS: dict[str, Any] = {
    Registration.Status.PENDING: gettext_lazy("报名尚未审核通过"),
    Registration.Status.WAITLISTED: gettext_lazy("仍在候补名单中，尚未获得名额"),
    Registration.Status.CANCELLED: gettext_lazy("该报名已取消"),
    Registration.Status.REJECTED: gettext_lazy("该报名未通过审核"),
}


def _mobile(text: str) -> str:
    """``text`` as a mainland mobile number (spaces, dashes, +86 allowed), or ""."""
    try:
        return normalize_mobile(text)
    except ValidationError:
        return ""


def find_registration(*, association: Association, event: Event, text: str) -> Registration:
    """The registration a scanned QR text, a typed code (K7M2-QX9P) or a phone number names,
    within this event. A valid ticket of another event is said to be one, without naming the
    event: a 签到员 may not be allowed to see it."""
    text = (text or "").strip()[:200]
    qs = Registration.objects.filter(association=association).select_related(
        "event", "member__level", "person", "ticket_type"
    )
    token = tickets.token_from_qr(text)
    found: Registration | None = None
    if token:
        found = qs.filter(token=token).first()
        if found is not None and found.event_id != event.pk:
            raise ValidationError(_("这是本会其他活动的电子票，不是本活动的"))
    elif phone := _mobile(text):
        matches = qs.filter(event=event, phone=phone)
        found = matches.filter(status__in=ACTIVE_STATUSES).first() or matches.first()
    else:
        code = tickets.normalize_code(text)
        if len(code) == tickets.CODE_LENGTH:
            found = qs.filter(event=event, code=code).first()
    if found is None:
        raise ValidationError(_("未找到对应的报名，请核对二维码、签到码或手机号"))
    return found


@dataclass(frozen=True)
class CheckinResult:
    checkin: Checkin
    created: bool


def checkin_record(
    *,
    association: Association,
    actor: User,
    checkin_list: CheckinList,
    registration: Registration,
    companion: int = 0,
) -> CheckinResult:
    """Checks in the registrant (``companion`` 0) or one of their accompanying persons."""
    if registration.event_id != checkin_list.event_id:
        raise ValidationError(_("该报名不属于本活动"))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(str(REFUSALS.get(registration.status, _("该报名不能签到"))))
    if not 0 <= companion <= registration.companions:
        raise ValidationError(
            {"companion": _("该报名共有 %(n)d 位随行人员") % {"n": registration.companions}}
        )
    existing = Checkin.objects.filter(
        association=association,
        checkin_list=checkin_list,
        registration=registration,
        companion=companion,
    ).first()
    if existing is not None:
        if existing.checked_out_at is None:
            return CheckinResult(existing, False)
        return _reenter(association, actor, existing)
    try:
        with transaction.atomic():
            checkin = Checkin.objects.create(
                association=association,
                checkin_list=checkin_list,
                registration=registration,
                companion=companion,
                checked_in_at=timezone.now(),
                by=actor,
            )
            audit(
                actor=actor,
                action="events.checkin",
                association=association,
                target=checkin,
                summary=f"{checkin_list.name} {registration.name} {companion}",
            )
    except IntegrityError:
        # The same person scanned at two doors at once: the first scan counts.
        again = Checkin.objects.get(
            association=association,
            checkin_list=checkin_list,
            registration=registration,
            companion=companion,
        )
        return CheckinResult(again, False)
    return CheckinResult(checkin, True)


@transaction.atomic
def _reenter(association: Association, actor: User, checkin: Checkin) -> CheckinResult:
    Checkin.objects.filter(pk=checkin.pk, association=association).update(checked_out_at=None)
    checkin.checked_out_at = None
    audit(actor=actor, action="events.checkin.reenter", association=association, target=checkin)
    return CheckinResult(checkin, True)


@transaction.atomic
def checkout_record(
    *,
    association: Association,
    actor: User,
    checkin_list: CheckinList,
    registration: Registration,
    companion: int = 0,
) -> Checkin:
    """Marks the person as having left (for shuttles, a dinner, a venue with a limit)."""
    checkin = (
        Checkin.objects.select_for_update()
        .filter(
            association=association,
            checkin_list=checkin_list,
            registration=registration,
            companion=companion,
        )
        .first()
    )
    if checkin is None:
        raise ValidationError(_("尚未签到，不能签退"))
    if checkin.checked_out_at is None:
        checkin.checked_out_at = timezone.now()
        checkin.save(update_fields=["checked_out_at"])
        audit(
            actor=actor,
            action="events.checkout",
            association=association,
            target=checkin,
            summary=f"{checkin_list.name} {registration.name} {companion}",
        )
    return checkin


def checkins_of(
    *, association: Association, checkin_list: CheckinList, registration: Registration
) -> dict[int, Checkin]:
    """Companion number → check-in, for the person shown after a scan."""
    return {
        c.companion: c
        for c in Checkin.objects.filter(
            association=association, checkin_list=checkin_list, registration=registration
        )
    }
