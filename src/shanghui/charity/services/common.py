"""What every charity service checks the same way: a text field's length and presence, and
that a record a caller passes in is the association's."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shanghui.core.types import Tenant


def clean_text(value: object, *, field: str, limit: int, required: str = "") -> str:
    """``value`` stripped; refused under ``field`` when longer than ``limit`` characters, or
    empty when ``required`` (the message to show) is given."""
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("不能超过 %(limit)d 个字") % {"limit": limit}})
    return text


def own_record(association: Tenant, obj: object, field: str, *, required: bool = False) -> None:
    """A defence behind the access helpers: a record of another association (or none, when
    ``required``) is refused under ``field`` as if it were not there."""
    if obj is None:
        if required:
            raise ValidationError({field: _("请选择本会的记录")})
        return
    if getattr(obj, "association_id", None) != association.pk:
        raise ValidationError({field: _("请选择本会的记录")})
