"""Share links through the API: list a file's links, create one (its token is answered this
once), revoke one. Opening a link is a page (``documents:share``), for people without an
account."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Path, Status

from shanghui.accounts.callers import signed_in_user
from shanghui.core.apikit.schemas import ERRORS
from shanghui.documents import selectors
from shanghui.documents.api.base import documents_router, manager, share_row
from shanghui.documents.api.schemas import ShareCreatedOut, ShareIn, ShareOut
from shanghui.documents.services import shares as share_services

router = documents_router


@router.get(
    "/files/{file_id}/shares", response={200: list[ShareOut], **ERRORS}, summary="分享链接列表"
)
def share_list(request: HttpRequest, slug: Path[str], file_id: int) -> object:
    """The file's share links, newest first, with their state and download counts."""
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    return [share_row(s) for s in share_services.shares_of(association=association, file=file)]


@router.post(
    "/files/{file_id}/shares", response={201: ShareCreatedOut, **ERRORS}, summary="创建分享链接"
)
def share_create(request: HttpRequest, slug: Path[str], file_id: int, payload: ShareIn) -> object:
    """A link valid for ``days`` (1–30) days, with an optional password. The answer carries
    ``share_token`` and ``url`` once: only the token's hash is kept."""
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    share, token = share_services.share_create(
        association=association,
        actor=signed_in_user(request),
        file=file,
        days=payload.days,
        password=payload.password,
    )
    url = request.build_absolute_uri(
        reverse(
            "documents:share",
            kwargs={"association_slug": association.slug, "share_token": token},
        )
    )
    return Status(201, {**share_row(share), "share_token": token, "url": url})


@router.post(
    "/files/{file_id}/shares/{share_id}/revoke",
    response={200: ShareOut, **ERRORS},
    summary="取消分享链接",
)
def share_revoke(request: HttpRequest, slug: Path[str], file_id: int, share_id: int) -> object:
    association, view = manager(request)
    file = selectors.access_file(association=association, view=view, file_id=file_id)
    share = share_services.access_share(association=association, file=file, share_id=share_id)
    share_services.share_revoke(association=association, actor=signed_in_user(request), share=share)
    return share_row(share)
