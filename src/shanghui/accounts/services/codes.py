"""Six-digit codes sent by SMS to prove a phone (password reset, sign-in by code): only their
hash is stored, each lives ``ONE_TIME_CODE_TTL_SECONDS`` and takes five tries."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import OneTimeCode
from shanghui.core.tokens import hash_token, new_numeric_code

CODE_MAX_ATTEMPTS = 5


def invalid_code() -> ValidationError:
    return ValidationError(_("验证码错误或已过期"), code="invalid_code")


def code_create(*, phone: str, purpose: str) -> str:
    """A new code for ``phone`` and ``purpose``; the raw code is returned to be sent, once."""
    code = new_numeric_code()
    OneTimeCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=hash_token(code),
        expires_at=timezone.now() + timedelta(seconds=settings.ONE_TIME_CODE_TTL_SECONDS),
    )
    return code


def code_check(*, phone: str, purpose: str, code: str) -> OneTimeCode:
    """The latest unexpired, unused code of ``phone`` for ``purpose`` when ``code`` is it.
    A wrong code counts against that code (five tries) in a transaction of its own, so the
    count survives the caller's failure; raises ``invalid_code()``. The caller marks the code
    used with ``code_consume`` once what it proves has been done."""
    with transaction.atomic():
        otc = (
            OneTimeCode.objects.select_for_update()
            .filter(
                phone=phone,
                purpose=purpose,
                consumed_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        if otc is None or otc.attempts >= CODE_MAX_ATTEMPTS:
            raise invalid_code()
        right = otc.code_hash == hash_token(code.strip())
        if not right:
            OneTimeCode.objects.filter(pk=otc.pk).update(attempts=F("attempts") + 1)
    if not right:
        raise invalid_code()
    return otc


def code_consume(otc: OneTimeCode) -> None:
    """Marks the code used; raises ``invalid_code()`` when a concurrent request used it first
    (run it inside the caller's transaction so that what it proved is undone too)."""
    used = OneTimeCode.objects.filter(pk=otc.pk, consumed_at__isnull=True).update(
        consumed_at=timezone.now()
    )
    if not used:
        raise invalid_code()
