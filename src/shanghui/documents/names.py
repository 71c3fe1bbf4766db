"""Names people give files and folders, checked before anything is stored."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FORBIDDEN = set('/\\:*?"<>|')


def name_checked(name: str, *, field: str, max_length: int) -> str:
    """The name as stored (NFC, trimmed), or a ValidationError on ``field`` that says what is
    wrong with it: empty, too long, a path ("../", "a/b"), control characters."""
    cleaned = unicodedata.normalize("NFC", (name or "").strip())
    if not cleaned:
        raise ValidationError({field: _("请填写名称")})
    if _CONTROL.search(cleaned) or _FORBIDDEN & set(cleaned) or cleaned in {".", ".."}:
        raise ValidationError({field: _('名称不能包含 / \\ : * ? " < > | 或控制字符')})
    if len(cleaned) > max_length:
        raise ValidationError({field: _("名称不能超过 %(n)d 个字") % {"n": max_length}})
    return cleaned
