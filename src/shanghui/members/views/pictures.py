"""Pages that show and change pictures: member logos and people's photos.

Pictures are served through these views, never from a public media URL, so the same access
rules as the member card apply: members see members in good standing, the secretariat sees
everyone; another association's ids give 404. ``?size=thumb`` asks for the 96 px thumbnail
that lists show, ``?v=`` (the presenter's ``logo_version`` / ``photo_version``) for the
year-long cache (``core.uploads.picture_response``)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.storage.files import held_file
from shanghui.core.uploads import picture_response
from shanghui.members.models import Member
from shanghui.members.selectors import access_member, access_member_card
from shanghui.members.services import pictures
from shanghui.members.services.representatives import access_representative


def _picture(request: TenantRequest, file_id: int | None) -> HttpResponse:
    association = request.association
    return picture_response(
        association,
        held_file(association, file_id),
        size=request.GET.get("size", ""),
        version=request.GET.get("v", ""),
    )


def _card_member(request: TenantRequest, member_id: int) -> Member:
    return access_member_card(
        association=request.association, role=require_member(request.role), member_id=member_id
    )


@login_required
@require_GET
def member_logo(request: TenantRequest, association_slug: str, member_id: int) -> HttpResponse:
    return _picture(request, _card_member(request, member_id).logo_id)


@login_required
@require_GET
def representative_photo(
    request: TenantRequest, association_slug: str, member_id: int, representative_id: int
) -> HttpResponse:
    member = _card_member(request, member_id)
    representative = access_representative(
        association=request.association, member=member, representative_id=representative_id
    )
    return _picture(request, representative.person.photo_id)


def _change(
    request: TenantRequest,
    member: Member,
    field: str,
    change: Callable[[UploadedFile | None], None],
) -> HttpResponseBase:
    """Runs ``change`` with the file uploaded as ``field``, or with ``None`` when the form
    asked to remove the picture; says what happened and returns to the member's page."""
    remove = "remove" in request.POST
    try:
        change(None if remove else request.FILES.get(field))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("图片已删除") if remove else _("图片已更新"))
    return redirect(
        "members:office_member", association_slug=request.association.slug, member_id=member.pk
    )


@login_required
@require_POST
def office_member_logo(
    request: TenantRequest, association_slug: str, member_id: int
) -> HttpResponseBase:
    """Upload a new logo (field ``logo``), or remove it (``remove`` in the form)."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    actor = signed_in_user(request)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    return _change(
        request,
        member,
        "logo",
        lambda upload: pictures.member_logo_set(
            association=request.association, actor=actor, member=member, upload=upload
        ),
    )


@login_required
@require_POST
def office_representative_photo(
    request: TenantRequest, association_slug: str, member_id: int, representative_id: int
) -> HttpResponseBase:
    """Upload (field ``photo``) or remove (``remove``) a representative's photo."""
    require_perm(request.role, Perm.MANAGE_MEMBERS)
    actor = signed_in_user(request)
    member = access_member(association=request.association, member_id=member_id, directory=False)
    person = access_representative(
        association=request.association, member=member, representative_id=representative_id
    ).person
    return _change(
        request,
        member,
        "photo",
        lambda upload: pictures.person_photo_set(
            association=request.association, actor=actor, person=person, upload=upload
        ),
    )
