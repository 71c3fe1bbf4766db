"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Our own checksum, because ``stdnum.cn.uscc`` rejects codes that begin with a letter — and
social organisations (5…), public institutions (1…), farmers' co-operatives (N…) and other
registrations (Y…, A…) begin with one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100 alphabet: the digits and the capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


_VALUES = {char: value for value, char in enumerate(ALPHABET)}


def uscc_check_char(first17: str) -> str:
    """The 18th character for the first 17 (ValueError for anything else)."""
    if len(first17) != LENGTH - 1:
        raise ValueError(first17)
    try:
        total = sum(map(int.__mul__, map(_VALUES.__getitem__, first17), WEIGHTS))
    except KeyError as exc:
        raise ValueError(first17) from exc
    return ALPHABET[(31 - total % 31) % 31]


def normalize_uscc(raw: str) -> str:
    return raw.strip().upper().replace(" ", "").replace("-", "")


def is_valid_uscc(raw: str) -> bool:
    code = normalize_uscc(raw)
    if len(code) != LENGTH or not _VALUES.keys() >= set(code):
        return False
    if not code[2:8].isdigit():  # the registration authority's GB/T 2260 region code
        return False
    return uscc_check_char(code[:17]) == code[17]


def validate_uscc(raw: str) -> str:
    """Return the normalized code or raise a ValidationError in the user's language."""
    code = normalize_uscc(raw)
    if not is_valid_uscc(code):
        raise ValidationError(
            _("统一社会信用代码无效：应为 18 位数字或大写字母，且校验位正确"), code="invalid_uscc"
        )
    return code
