"""``{{ event.cover_id|picture_version }}``: the token for ``?v=`` in a stored picture's URL,
which lets the browser keep the picture for a year (``core.uploads.image_response``). Give it
the record's ``<field>_id`` (no query) or the ``StoredFile``."""

from django import template

from shanghui.core.models import StoredFile
from shanghui.core.uploads import picture_version as version_of

register = template.Library()


@register.filter
def picture_version(file: StoredFile | int | None) -> str:
    return version_of(file if isinstance(file, StoredFile | int) else None)
