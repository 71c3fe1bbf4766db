"""``{{ event.cover|picture_version }}``: the token for ``?v=`` in a stored picture's URL,
which lets the browser keep the picture for a year (``core.uploads.image_response``)."""

from django import template
from django.db.models.fields.files import FieldFile

from shanghui.core.uploads import picture_version as version_of

register = template.Library()


@register.filter
def picture_version(file: FieldFile | str | None) -> str:
    name = file if isinstance(file, str) else (file.name if file else "")
    return version_of(name or "")
