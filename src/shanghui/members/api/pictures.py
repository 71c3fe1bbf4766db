"""Logos and photos in the members API. Uploads are multipart POSTs (field ``logo`` /
``photo``): JPG or PNG, re-encoded without metadata and shrunk to 600 px. Reads answer the image
with the member card's rules: ``?size=thumb`` the 96 px square thumbnail for lists, and with
``?v=`` set to the member's ``logo_version`` (a representative's ``photo_version``) the answer
may be cached for a year (a changed picture has another version)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Path, Router, Status
from ninja.files import UploadedFile

from shanghui.accounts.permissions import require_member
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response
from shanghui.members.api.access import member_out, secretariat
from shanghui.members.models import Member, Representative
from shanghui.members.presenters import MemberView
from shanghui.members.selectors import access_member, access_member_card
from shanghui.members.services import pictures, representatives

# Operation ids are given: they keep the ids the API has published since these endpoints were
# in members/api.py (ninja derives a default id from the module's path). Mounted with
# ``members_router`` (``api.members.members_api``).
pictures_router = Router(tags=["会员"])


def _card_member(request: HttpRequest, member_id: int) -> Member:
    return access_member_card(
        association=current_association(request),
        role=require_member(current_role(request)),
        member_id=member_id,
    )


def _picture(request: HttpRequest, file_id: int | None, *, size: str, version: str) -> HttpResponse:
    association = current_association(request)
    return picture_response(
        association,
        held_file(association, file_id),
        size=size,
        version=version,
    )


@pictures_router.get(
    "/members/{member_id}/logo",
    response={200: None, **ERRORS},
    operation_id="shanghui_members_api_member_logo",
)
def member_logo(
    request: HttpRequest, slug: Path[str], member_id: int, size: str = "", v: str = ""
) -> HttpResponseBase:
    """The member enterprise's logo (404 when it has none); ``size=thumb``: 96 px square."""
    member = _card_member(request, member_id)
    return _picture(request, member.logo_id, size=size, version=v)


@pictures_router.post(
    "/members/{member_id}/logo",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_member_logo_set",
)
def member_logo_set(
    request: HttpRequest, slug: Path[str], member_id: int, logo: File[UploadedFile | None] = None
) -> object:
    """Upload (or replace) the member's logo (secretariat)."""
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    if logo is None:
        raise ValidationError({"logo": [_("请上传文件")]})
    pictures.member_logo_set(association=association, actor=user, member=member, upload=logo)
    return member_out(request, member_id)


@pictures_router.delete(
    "/members/{member_id}/logo",
    response={204: None, **ERRORS},
    operation_id="shanghui_members_api_member_logo_remove",
)
def member_logo_remove(request: HttpRequest, slug: Path[str], member_id: int) -> Status[None]:
    _role, user = secretariat(request)
    association = current_association(request)
    member = access_member(association=association, member_id=member_id, directory=False)
    pictures.member_logo_set(association=association, actor=user, member=member, upload=None)
    return Status(204, None)


def _representative(request: HttpRequest, member_id: int, representative_id: int) -> Representative:
    member = _card_member(request, member_id)
    return representatives.access_representative(
        association=current_association(request),
        member=member,
        representative_id=representative_id,
    )


@pictures_router.get(
    "/members/{member_id}/representatives/{representative_id}/photo",
    response={200: None, **ERRORS},
    operation_id="shanghui_members_api_representative_photo",
)
def representative_photo(
    request: HttpRequest,
    slug: Path[str],
    member_id: int,
    representative_id: int,
    size: str = "",
    v: str = "",
) -> HttpResponseBase:
    """A representative's photo (404 when there is none); ``size=thumb``: 96 px square."""
    representative = _representative(request, member_id, representative_id)
    return _picture(request, representative.person.photo_id, size=size, version=v)


@pictures_router.post(
    "/members/{member_id}/representatives/{representative_id}/photo",
    response={200: MemberView, **ERRORS},
    operation_id="shanghui_members_api_representative_photo_set",
)
def representative_photo_set(
    request: HttpRequest,
    slug: Path[str],
    member_id: int,
    representative_id: int,
    photo: File[UploadedFile | None] = None,
) -> object:
    """Upload (or replace) a representative's photo (secretariat)."""
    _role, user = secretariat(request)
    representative = _representative(request, member_id, representative_id)
    if photo is None:
        raise ValidationError({"photo": [_("请上传文件")]})
    pictures.person_photo_set(
        association=current_association(request),
        actor=user,
        person=representative.person,
        upload=photo,
    )
    return member_out(request, member_id)


@pictures_router.delete(
    "/members/{member_id}/representatives/{representative_id}/photo",
    response={204: None, **ERRORS},
    operation_id="shanghui_members_api_representative_photo_remove",
)
def representative_photo_remove(
    request: HttpRequest, slug: Path[str], member_id: int, representative_id: int
) -> Status[None]:
    _role, user = secretariat(request)
    representative = _representative(request, member_id, representative_id)
    pictures.person_photo_set(
        association=current_association(request),
        actor=user,
        person=representative.person,
        upload=None,
    )
    return Status(204, None)
