"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Our own checksum, because ``stdnum.cn.uscc`` rejects codes that begin with a letter — and
social organisations (5…), public institutions (1…), farmers' co-operatives (N…) and other
registrations (Y…, A…) begin with one.
"""

import re
import unicodedata

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


# Spaces of every width and dashes people and Word put into long codes.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_·.]+")


def normalize_uscc(raw: str) -> str:
    """The code as stored: full-width characters made plain, separators removed, upper case.
    The one normaliser of the form, the API and the import."""
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    return _SEPARATORS.sub("", text).upper()


def is_valid_uscc(raw: str) -> bool:
    code = normalize_uscc(raw)
    if len(code) != LENGTH or not _VALUES.keys() >= set(code):
        return False
    if not code[2:8].isdigit():  # the registration authority's GB/T 2260 region code
        return False
    return uscc_check_char(code[:17]) == code[17]


def uscc_problem(code: str) -> str:
    """What is wrong with a normalised code, in the person's language ("" when nothing)."""
    if len(code) == 15 and code.isdigit():
        return str(_("这是 15 位的旧工商注册号，请填写 18 位统一社会信用代码（见新版营业执照）"))
    if len(code) != LENGTH:
        return str(_("请填写 18 位统一社会信用代码（现为 %(count)d 位）") % {"count": len(code)})
    if not _VALUES.keys() >= set(code):
        return str(_("统一社会信用代码只含数字和大写字母（不含 I、O、S、V、Z）"))
    if not code[2:8].isdigit() or uscc_check_char(code[:17]) != code[17]:
        return str(_("统一社会信用代码的校验位不对，请逐位核对"))
    return ""


def validate_uscc(raw: str) -> str:
    """Return the normalized code or raise a ValidationError in the user's language."""
    code = normalize_uscc(raw)
    problem = uscc_problem(code)
    if problem:
        raise ValidationError(problem, code="invalid_uscc")
    return code
