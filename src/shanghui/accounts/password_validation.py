"""Password rules of our own (the rest are Django's, listed in ``AUTH_PASSWORD_VALIDATORS``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ASCII_DIGITS = frozenset("0123456789")


class PhoneDigitsValidator:
    """Refuses a password that contains the last 8 digits of the person's own phone number,
    also when they are split by other characters (``1391234-5678x``): the number is the first
    thing anyone who knows the person tries. Needs the user (every place that sets a password
    passes it to ``validate_password``)."""

    DIGITS = 8

    def validate(self, password: str, user: object = None) -> None:
        phone = str(getattr(user, "phone", None) or "")
        tail = "".join(ch for ch in phone if ch in ASCII_DIGITS)[-self.DIGITS :]
        if len(tail) < self.DIGITS:
            return
        if tail in "".join(ch for ch in password if ch in ASCII_DIGITS):
            raise ValidationError(_("密码不能包含您的手机号"), code="password_contains_phone")

    def get_help_text(self) -> str:
        return _("密码不能包含您的手机号。")
