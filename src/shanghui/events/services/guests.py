"""Guests (no account): a phone number proved by a one-time code sent by SMS."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import shanghui.events.services.notices as notices
from shanghui.associations.models import Association
from shanghui.core.phone import normalize_mobile
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.sms_codes import sms_code_allowed
from shanghui.core.tokens import hash_token, new_numeric_code
from shanghui.events.models import (
    GuestCode,
)

GUEST_CODE_MINUTES = 10
GUEST_CODE_ATTEMPTS = 5


@transaction.atomic
def guest_code_send(*, association: Association, phone: str) -> None:
    """Sends a six-digit code to a guest's phone (at most one a minute), within the caps on
    SMS codes per number, per client address and platform-wide (``core.sms_codes``; raises
    ``RateLimited`` past them): the page sends to any number typed into it."""
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    now = timezone.now()
    recent = GuestCode.objects.filter(
        association=association, phone=phone, created_at__gte=now - timedelta(minutes=1)
    )
    if recent.exists():
        raise ValidationError({"phone": _("验证码已发送，请一分钟后再试")})
    sms_code_allowed(
        phone=phone, address=(current_origin.get() or Origin()).ip, purpose="event_guest"
    )
    code = new_numeric_code()
    GuestCode.objects.create(
        association=association,
        phone=phone,
        code_hash=hash_token(code),
        expires_at=now + timedelta(minutes=GUEST_CODE_MINUTES),
    )
    notices.guest_code(association, phone, code)


def guest_code_verify(*, association: Association, phone: str, code: str) -> str:
    """The verified phone number, or a ValidationError (wrong, expired, too many tries)."""
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    error = _check_guest_code(association, phone, (code or "").strip())
    if error:
        raise ValidationError({"code": error})
    return phone


@transaction.atomic
def _check_guest_code(association: Association, phone: str, code: str) -> str:
    """Counts the attempt (kept even when the code is wrong) and answers the error, if any."""
    row = (
        GuestCode.objects.select_for_update()
        .filter(association=association, phone=phone, expires_at__gte=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if row is None or row.attempts >= GUEST_CODE_ATTEMPTS:
        return _("验证码已失效，请重新获取")
    if row.code_hash != hash_token(code):
        GuestCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        return _("验证码不正确")
    GuestCode.objects.filter(pk=row.pk).update(attempts=GUEST_CODE_ATTEMPTS)
    return ""
