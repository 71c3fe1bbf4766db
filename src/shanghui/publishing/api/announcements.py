"""The announcements API under /api/v1/associations/{slug}/announcements: the back office
(drafts, audience, attachments, send, receipts, reminder, replies) and the member's own
(``/mine``: their notices, reading one records the read, their 回执). The same services as
the pages. Fixed paths (/mine …) are registered before /{announcement_id}."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, require_member, require_perm
from shanghui.accounts.tenant_door import current_association, current_role
from shanghui.associations.models import Association
from shanghui.core.api import JobOut
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.audience import AudienceIn
from shanghui.core.http import attachment_response, id_or_404
from shanghui.core.library import library_open
from shanghui.publishing import announcement_exports as exports
from shanghui.publishing import announcement_selectors as selectors
from shanghui.publishing.api.announcement_schemas import (
    AnnouncementAttachmentOut,
    AnnouncementAudienceOut,
    AnnouncementIn,
    AnnouncementOut,
    AnnouncementRowOut,
    MemberReceiptOut,
    MyAnnouncementDetailOut,
    MyAnnouncementOut,
    PersonReceiptOut,
    ReceiptFiguresOut,
    ReceiptQuery,
    ReplyIn,
    ReplyOut,
)
from shanghui.publishing.models import Announcement, AnnouncementAttachment
from shanghui.publishing.services import announcements as services
from shanghui.publishing.views.announcements import attachment_download

announcements_router = Router(tags=["通知公告"])
XLSX = {
    "responses": {
        200: {
            "description": "Excel",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        }
    }
}
BINARY = {
    "responses": {
        200: {
            "description": "File",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


def _writer(request: HttpRequest) -> Association:
    require_perm(current_role(request), Perm.EDIT_CONTENT)
    return current_association(request)


def _office(request: HttpRequest, announcement_id: int) -> Announcement:
    association = _writer(request)
    return selectors.access_announcement(association=association, announcement_id=announcement_id)


def _member(request: HttpRequest) -> Association:
    require_member(current_role(request))
    return current_association(request)


def _input(payload: AnnouncementIn) -> services.AnnouncementInput:
    return services.AnnouncementInput(
        title=payload.title,
        body=payload.body,
        audience=payload.audience,
        reply_fields=[f.dict() for f in payload.reply_fields],
        reply_deadline=payload.reply_deadline,
    )


# --- The member's own ------------------------------------------------------------------


@announcements_router.get("/mine", response={200: list[MyAnnouncementOut], **ERRORS})
@paginate(Pages)
def my_list(request: HttpRequest, slug: Path[str]) -> object:
    """The caller's notices, unread first; ``needs_reply`` while a 回执 is awaited."""
    association = _member(request)
    # Unread first is an order on an annotation: paged as a list (a person's notices are few).
    qs = selectors.my_announcements(association=association, user=signed_in_user(request))
    return list(qs[:1000])


def _mine(request: HttpRequest, announcement_id: int) -> tuple[Association, Announcement]:
    association = _member(request)
    found = selectors.access_my_announcement(
        association=association, user=signed_in_user(request), announcement_id=announcement_id
    )
    return association, found


def _detail(association: Association, user: Any, announcement: Announcement) -> dict[str, Any]:
    recipient = selectors.my_recipient(
        association=association, user=user, announcement=announcement
    )
    return {
        "id": announcement.pk,
        "title": announcement.title,
        "body": announcement.body,
        "sent_at": announcement.sent_at,
        "reply_fields": announcement.reply_fields,
        "reply_deadline": announcement.reply_deadline,
        "reply_open": services.reply_open(announcement),
        "read_at": recipient.read_at if recipient else None,
        "answers": recipient.answers if recipient else {},
        "replied_at": recipient.replied_at if recipient else None,
        "attachments": selectors.attachments(association=association, announcement=announcement),
    }


@announcements_router.get(
    "/mine/{announcement_id}", response={200: MyAnnouncementDetailOut, **ERRORS}
)
def my_detail(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    """One of the caller's notices; reading it records the read (in the app)."""
    association, found = _mine(request, announcement_id)
    user = signed_in_user(request)
    services.announcement_read(association=association, user=user, announcement=found)
    return _detail(association, user, found)


@announcements_router.put("/mine/{announcement_id}/reply", response={200: ReplyOut, **ERRORS})
def my_reply(
    request: HttpRequest, slug: Path[str], announcement_id: int, payload: ReplyIn
) -> object:
    """Submits or changes the caller's 回执 until the deadline (the same answers again change
    nothing); after the deadline it is refused (400)."""
    association, found = _mine(request, announcement_id)
    user = signed_in_user(request)
    recipient = selectors.my_recipient(association=association, user=user, announcement=found)
    if recipient is None:  # access_my_announcement found one; gone since
        raise Http404
    return services.reply_submit(
        association=association, actor=user, recipient=recipient, answers=payload.answers
    )


@announcements_router.get(
    "/mine/{announcement_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra=BINARY,
)
def my_attachment(
    request: HttpRequest, slug: Path[str], announcement_id: int, attachment_id: int
) -> HttpResponse:
    association, found = _mine(request, announcement_id)
    attachment = selectors.access_attachment(
        association=association, announcement=found, attachment_id=attachment_id
    )
    return attachment_download(association, attachment)  # type: ignore[return-value]


# --- The back office -------------------------------------------------------------------


@announcements_router.get("", response={200: list[AnnouncementRowOut], **ERRORS})
@paginate(Pages)
def announcement_list(request: HttpRequest, slug: Path[str]) -> object:
    """Every announcement, drafts and sent, newest first, with read and reply counts."""
    return selectors.office_announcements(association=_writer(request))


@announcements_router.post("", response={201: AnnouncementOut, **ERRORS})
def announcement_create(
    request: HttpRequest, slug: Path[str], payload: AnnouncementIn
) -> Status[Announcement]:
    """A new draft; the body is sanitised whatever it contains."""
    created = services.announcement_create(
        association=_writer(request), actor=signed_in_user(request), data=_input(payload)
    )
    return Status(201, created)


@announcements_router.get("/{announcement_id}", response={200: AnnouncementOut, **ERRORS})
def announcement_detail(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    return _office(request, announcement_id)


@announcements_router.put("/{announcement_id}", response={200: AnnouncementOut, **ERRORS})
def announcement_update(
    request: HttpRequest, slug: Path[str], announcement_id: int, payload: AnnouncementIn
) -> object:
    """Changes a draft (a sent announcement is refused, 400)."""
    found = _office(request, announcement_id)
    return services.announcement_update(
        association=found.association,
        actor=signed_in_user(request),
        announcement=found,
        data=_input(payload),
    )


@announcements_router.delete("/{announcement_id}", response={204: None, **ERRORS})
def announcement_delete(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    found = _office(request, announcement_id)
    services.announcement_delete(
        association=found.association, actor=signed_in_user(request), announcement=found
    )
    return Status(204, None)


@announcements_router.put(
    "/{announcement_id}/audience", response={200: AnnouncementAudienceOut, **ERRORS}
)
def audience_set(
    request: HttpRequest, slug: Path[str], announcement_id: int, payload: AudienceIn
) -> object:
    """Sends the draft to the chosen levels, committees, council, posts or people instead of
    all members."""
    found = _office(request, announcement_id)
    rules = services.announcement_audience_set(
        association=found.association,
        actor=signed_in_user(request),
        announcement=found,
        data=payload.to_input(),
    )
    return {"audience": found.audience, "rules": len(rules)}


@announcements_router.post(
    "/{announcement_id}/attachments", response={201: AnnouncementAttachmentOut, **ERRORS}
)
def attachment_add(
    request: HttpRequest,
    slug: Path[str],
    announcement_id: int,
    file: File[UploadedFile | None] = None,
    library_file_id: int | None = None,
) -> Status[AnnouncementAttachment]:
    """Attach a PDF, JPG/PNG, Word, Excel or PowerPoint file to a draft: the multipart
    ``file``, or ``library_file_id``, a file of the document library (资料库) the caller may
    see."""
    found = _office(request, announcement_id)
    actor = signed_in_user(request)
    upload: DjangoUploadedFile | None = file
    if upload is None and library_file_id is not None:
        role = current_role(request)
        upload = library_open(found.association, role, actor, id_or_404(library_file_id))
    created = services.attachment_add(
        association=found.association,
        actor=actor,
        announcement=found,
        upload=upload,  # type: ignore[arg-type]
    )
    return Status(201, created)


@announcements_router.get(
    "/{announcement_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    openapi_extra=BINARY,
)
def attachment_get(
    request: HttpRequest, slug: Path[str], announcement_id: int, attachment_id: int
) -> HttpResponse:
    found = _office(request, announcement_id)
    attachment = selectors.access_attachment(
        association=found.association, announcement=found, attachment_id=attachment_id
    )
    return attachment_download(found.association, attachment)  # type: ignore[return-value]


@announcements_router.delete(
    "/{announcement_id}/attachments/{attachment_id}", response={204: None, **ERRORS}
)
def attachment_remove(
    request: HttpRequest, slug: Path[str], announcement_id: int, attachment_id: int
) -> object:
    found = _office(request, announcement_id)
    attachment = selectors.access_attachment(
        association=found.association, announcement=found, attachment_id=attachment_id
    )
    services.attachment_remove(
        association=found.association,
        actor=signed_in_user(request),
        announcement=found,
        attachment=attachment,
    )
    return Status(204, None)


@announcements_router.post("/{announcement_id}/send", response={202: JobOut, **ERRORS})
def announcement_send(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    """Sends a draft (needs the publish permission): answers the broadcast job that fixes
    its recipients and delivers it (follow it under /jobs/{id})."""
    found = _office(request, announcement_id)
    require_perm(current_role(request), Perm.PUBLISH_CONTENT)
    job = services.announcement_send(
        association=found.association, actor=signed_in_user(request), announcement=found
    )
    return Status(202, job)


@announcements_router.post("/{announcement_id}/remind", response={202: JobOut, **ERRORS})
def announcement_remind(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    """Reminds only those who have not read it (needs the publish permission)."""
    found = _office(request, announcement_id)
    require_perm(current_role(request), Perm.PUBLISH_CONTENT)
    job = services.announcement_remind(
        association=found.association, actor=signed_in_user(request), announcement=found
    )
    return Status(202, job)


@announcements_router.get(
    "/{announcement_id}/receipts", response={200: ReceiptFiguresOut, **ERRORS}
)
def receipts(request: HttpRequest, slug: Path[str], announcement_id: int) -> object:
    """How many people and member enterprises it reached and read, and how many replied."""
    found = _office(request, announcement_id)
    return selectors.receipt_figures(association=found.association, announcement=found)


@announcements_router.get(
    "/{announcement_id}/receipts/members", response={200: list[MemberReceiptOut], **ERRORS}
)
@paginate(Pages)
def receipts_by_member(
    request: HttpRequest, slug: Path[str], announcement_id: int, query: Query[ReceiptQuery]
) -> object:
    """Per member enterprise (read when any representative read it), by name."""
    found = _office(request, announcement_id)
    return selectors.member_receipts(
        association=found.association, announcement=found, unread_only=query.unread
    ).order_by("name", "pk")


@announcements_router.get(
    "/{announcement_id}/receipts/people", response={200: list[PersonReceiptOut], **ERRORS}
)
@paginate(Pages)
def receipts_by_person(
    request: HttpRequest, slug: Path[str], announcement_id: int, query: Query[ReceiptQuery]
) -> object:
    """Per person reached, the unread first, with their reply."""
    found = _office(request, announcement_id)
    return selectors.person_receipts(
        association=found.association,
        announcement=found,
        unread_only=query.unread,
        member_id=query.member_id,
    )


@announcements_router.get(
    "/{announcement_id}/replies.xlsx", response={200: None, **ERRORS}, openapi_extra=XLSX
)
def replies_xlsx(request: HttpRequest, slug: Path[str], announcement_id: int) -> HttpResponse:
    """The replies as xlsx, one column per field of the 回执 (formula-safe cells)."""
    found = _office(request, announcement_id)
    data = exports.replies_xlsx(
        association=found.association, announcement=found, actor=signed_in_user(request)
    )
    return attachment_response(data, f"replies-{found.pk}.xlsx")
