"""Mainland China mobile numbers (+86). Stored as the 11 digits."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(raw: str) -> str:
    """Accepts "138 1234 5678", "138-1234-5678", "+86 13812345678", "008613812345678";
    returns the 11 digits or raises a ValidationError in the user's language."""
    if raw and MOBILE_RE.fullmatch(raw):  # as stored already: an import asks 23,000 times
        return raw
    digits = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
            digits = digits[len(prefix) :]
            break
    if not MOBILE_RE.match(digits):
        raise ValidationError(
            _("请输入有效的中国大陆手机号（11 位，以 1 开头）"), code="invalid_phone"
        )
    return digits


def mask_mobile(phone: str) -> str:
    """138****5678 — what everyone but the secretariat sees."""
    if len(phone) != 11:
        return phone
    return f"{phone[:3]}****{phone[7:]}"
