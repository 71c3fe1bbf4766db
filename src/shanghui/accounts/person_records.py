"""What a person's account settings change in the records the associations keep of them: their
own photo and whether other members see their phone. Those records (``members.Person``, one per
association) belong to an app above accounts, which registers here how to reach them from its
``AppConfig.ready`` — accounts names no app above it, as the personal center's entries do
(``core.personal_center``). Until an app has registered, a person has no such records: no
photo, and no phone shown to anyone.

Every function works across all the person's associations at once, in their person context
(``core.tenancy.person_context``), and changes only what ``Person.rls_person_updates`` allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile

from shanghui.accounts.models import User

if TYPE_CHECKING:
    from shanghui.core.models import StoredFile


@dataclass(frozen=True)
class PersonRecords:
    # Whether any of the person's records shows their phone to other members.
    phone_visible: Callable[[User], bool]
    # Shows (True) or masks their phone on every record; how many records changed.
    phone_visibility_set: Callable[[User, bool], int]
    # The photo the person set themself (one of its copies, with its content and association
    # read, for ``core.uploads.picture_response``), or None.
    own_photo: Callable[[User], "StoredFile | None"]
    # Sets (an upload) or removes (None) their own photo on every record where the secretariat
    # keeps none of its own; how many records changed. Checks the picture (ValidationError).
    own_photo_set: Callable[[User, UploadedFile | None], int]


def _no_photo(user: User) -> "StoredFile | None":
    return None


_NONE = PersonRecords(
    phone_visible=lambda user: False,
    phone_visibility_set=lambda user, show: 0,
    own_photo=_no_photo,
    own_photo_set=lambda user, upload: 0,
)
_registered: list[PersonRecords] = []


def register_person_records(records: PersonRecords) -> None:
    """Called once, by the app that keeps the person records; a second registration replaces
    the first (a test may stand in for the app)."""
    _registered[:] = [records]


def person_records() -> PersonRecords:
    return _registered[0] if _registered else _NONE
