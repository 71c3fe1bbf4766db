"""Signing in and what protects it: the password sign-in shared by the page and the API, the
sign-in by SMS code, changing the password, and revoking a person's credentials.

Two locks guard password guessing, both keyed by the client address as ``client_ip`` reads it
(``X-Forwarded-For`` only when ``USE_X_FORWARDED_FOR`` says nginx sets it):

- five failures for one phone from one address (django-axes, ``AXES_*`` settings) make that
  pair sign in with an SMS code (``CodeRequired``) until the cool-off ends; the same phone from
  another address signs in with its password as before, so nobody can lock a person out by
  knowing their number;
- ``sign_in_failures_address`` failures from one address, whatever the phones, close sign-in
  from that address for the rest of the window (``RateLimited``, a 429).
"""

import time
from datetime import timedelta

from axes.exceptions import AxesBackendPermissionDenied
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts import messages
from shanghui.accounts.models import (
    ApiToken,
    OneTimeCode,
    User,
)
from shanghui.accounts.services.codes import code_check, code_consume, code_create, invalid_code
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify
from shanghui.core.phone import normalize_mobile
from shanghui.core.ratelimit import RateLimited, rate_count, rate_hit, rate_of
from shanghui.core.request_context import Origin, current_origin
from shanghui.core.sms_codes import sms_code_allowed
from shanghui.core.tokens import hash_token, new_numeric_code

FAILURES_PER_ADDRESS = "sign_in_failures_address"


class CodeRequired(Exception):
    """Too many failed passwords for this phone from this address: sign in with an SMS code."""


def _address() -> str:
    return (current_origin.get() or Origin()).ip or ""


def sign_in_address_check() -> None:
    """Raises ``RateLimited`` while the client's address is at its limit of failed sign-ins
    (checked before a password or code is even looked at)."""
    rate = rate_of(FAILURES_PER_ADDRESS)
    if rate_count(FAILURES_PER_ADDRESS, _address()) >= rate.count:
        raise RateLimited(FAILURES_PER_ADDRESS, int(rate.seconds - time.time() % rate.seconds) + 1)


def sign_in_failed() -> None:
    """Counts one failed sign-in (wrong password or code) against the client's address."""
    rate_hit(FAILURES_PER_ADDRESS, _address())


def invalid_credentials() -> ValidationError:
    return ValidationError(_("手机号或密码错误"), code="invalid_credentials")


def sign_in_password(*, request: HttpRequest, phone: str, password: str) -> User:
    """The active person whose ``phone`` and ``password`` these are. Raises ``RateLimited``
    when the address is locked, ``CodeRequired`` when this phone must sign in by code from this
    address, ``invalid_credentials()`` otherwise. The caller starts the session or the token."""
    phone = normalize_mobile(phone)
    sign_in_address_check()
    try:
        user = authenticate(request, phone=phone, password=password)
    except AxesBackendPermissionDenied:
        raise CodeRequired from None
    if isinstance(user, User):
        return user
    sign_in_failed()
    if getattr(request, "axes_locked_out", False):  # this failure was the fifth
        raise CodeRequired
    raise invalid_credentials()


def sign_in_code_request(*, phone: str) -> None:
    """Sends a sign-in code to ``phone`` when it belongs to an active account. Every number
    gets the same answer and counts against the same caps (per number, per address,
    platform-wide), so the form tells nobody which numbers have accounts."""
    phone = normalize_mobile(phone)
    sms_code_allowed(phone=phone, address=_address(), purpose=OneTimeCode.Purpose.SIGN_IN)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return
    with transaction.atomic():
        code = code_create(phone=phone, purpose=OneTimeCode.Purpose.SIGN_IN)
        notify(
            association=None,
            kind=messages.SIGN_IN_CODE,
            to=Recipient(phone=phone),
            params={"code": code},
        )
        audit(actor=user, action="auth.sign_in_code_request")


def sign_in_code(*, phone: str, code: str) -> User:
    """The active person of ``phone`` when ``code`` is their latest sign-in code. Proving the
    phone lifts a lockout of it (from every address), as a password reset does; a wrong code
    counts against the code (five tries) and against the client's address."""
    phone = normalize_mobile(phone)
    sign_in_address_check()
    try:
        otc = code_check(phone=phone, purpose=OneTimeCode.Purpose.SIGN_IN, code=code)
    except ValidationError:
        sign_in_failed()
        raise
    with transaction.atomic():
        user = User.objects.filter(phone=phone, is_active=True).first()
        if user is None:
            raise invalid_code()
        code_consume(otc)
        axes_reset(username=phone)
    return user


def credentials_revoke(*, user: User, keep_token_key_hash: str = "") -> int:
    """Revokes every API token of ``user`` (but the one whose hash is given: the token the
    person is using to change their password) and returns how many. Their other browser
    sessions end by themselves: Django checks each session against the password's hash on
    every request, so a new password signs every other session out. Audit-logged."""
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep_token_key_hash:
        tokens = tokens.exclude(key_hash=keep_token_key_hash)
    revoked = tokens.update(revoked_at=timezone.now())
    if revoked:
        audit(actor=user, action="api_token.revoke_all", summary=str(revoked))
    return revoked


@transaction.atomic
def password_change(
    *, user: User, current_password: str, new_password: str, keep_token_key_hash: str = ""
) -> User:
    """The signed-in person sets a new password, confirming the current one. Every API token
    but the one in use is revoked and every other session ends (``credentials_revoke``); the
    caller keeps the current session (``update_session_auth_hash``). A wrong current password
    counts as a failed sign-in from the client's address."""
    sign_in_address_check()
    if not user.check_password(current_password):
        sign_in_failed()
        raise ValidationError({"current_password": _("当前密码不正确")})
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    credentials_revoke(user=user, keep_token_key_hash=keep_token_key_hash)
    audit(actor=user, action="auth.password_change")
    return user


def sign_in_record(*, user: User, via: str) -> None:
    """Audit record of a successful sign-in (page or API token)."""
    audit(actor=user, action="auth.sign_in", summary=via)


@transaction.atomic
def password_reset_request(*, phone: str) -> None:
    """Sends a one-time code to ``phone`` when it belongs to an active account. Every number
    gets the same answer and counts against the same caps (``core.sms_codes``: per number, per
    client address, platform-wide; ``RateLimited`` past them) before its account is looked
    up, so the form does not reveal which numbers have accounts."""
    phone = normalize_mobile(phone)
    sms_code_allowed(
        phone=phone,
        address=(current_origin.get() or Origin()).ip,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
    )
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return
    code = new_numeric_code()
    OneTimeCode.objects.create(
        phone=phone,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
        code_hash=hash_token(code),
        expires_at=timezone.now() + timedelta(seconds=settings.ONE_TIME_CODE_TTL_SECONDS),
    )
    notify(
        association=None,  # the platform's: the account may belong to no association
        kind=messages.PASSWORD_RESET_CODE,
        to=Recipient(phone=phone),
        params={"code": code},
    )
    audit(actor=user, action="auth.password_reset_request")


def password_reset_confirm(*, phone: str, code: str, new_password: str) -> User:
    """Sets a new password when ``code`` is the latest unexpired code for ``phone``. Wrong
    codes count against the code (five tries); the count survives the failed attempt. Every
    API token of the person is revoked and every session of theirs ends."""
    phone = normalize_mobile(phone)
    otc = code_check(phone=phone, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    with transaction.atomic():
        user = User.objects.select_for_update().get(phone=phone, is_active=True)
        password_validation.validate_password(new_password, user)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        code_consume(otc)
        # Proving the phone by SMS lifts a lockout on it: that is what the lockout page offers.
        axes_reset(username=phone)
        credentials_revoke(user=user)
        audit(actor=user, action="auth.password_reset")
    return user
