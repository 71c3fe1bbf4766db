"""After the event: attendance, quorum, minutes, resolutions, feedback results, documents
and the exports (registrants and sign-in sheet as xlsx, sign-in sheet and badges as PDF)."""

from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Status
from ninja.files import UploadedFile

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm
from shanghui.accounts.tenant_door import current_role
from shanghui.core.api import JobOut
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response, id_or_404
from shanghui.core.library import library_open
from shanghui.events import exports, figures, selectors, tasks
from shanghui.events.api.base import (
    XLSX,
    event_for_manager,
    event_for_member,
    events_router,
)
from shanghui.events.api.schemas import (
    AttendanceOut,
    EventDocumentOut,
    FeedbackSummaryOut,
    MinutesIO,
    QuorumOut,
    ResolutionIn,
    ResolutionOut,
)
from shanghui.events.models import EventDocument, Resolution
from shanghui.events.services import after as after_services
from shanghui.events.services import events as event_services


@events_router.get("/{event_id}/attendance", response={200: AttendanceOut, **ERRORS})
def attendance(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    """Who of the confirmed registrants came (checked in at any list)."""
    event = event_for_manager(request, event_id)
    result = figures.event_attendance(association=event.association, event=event)
    return {
        "registered": result.registered,
        "attended": result.attended,
        "rate": result.rate,
        "companions_arrived": result.companions_arrived,
        "rows": [
            {"registration_id": r.pk, "name": r.name, "company": r.company, "attended": came}
            for r, came in result.rows
        ],
    }


@events_router.get("/{event_id}/quorum", response={200: QuorumOut, **ERRORS})
def quorum(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    """Council members present against the council's size (过半数 or 三分之二以上)."""
    event = event_for_manager(request, event_id)
    result = figures.quorum(association=event.association, event=event)
    return {**result.__dict__, "reached": result.reached}


@events_router.get("/{event_id}/minutes", response={200: MinutesIO, **ERRORS})
def minutes(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    event = event_for_manager(request, event_id)
    found = after_services.minutes_of(association=event.association, event=event)
    return {"body": found.body if found else ""}


@events_router.put("/{event_id}/minutes", response={200: MinutesIO, **ERRORS})
def minutes_save(
    request: HttpRequest, slug: Path[str], event_id: int, payload: MinutesIO
) -> object:
    """The minutes (会议纪要), as HTML (sanitised)."""
    event = event_for_manager(request, event_id)
    saved = after_services.minutes_save(
        association=event.association, actor=signed_in_user(request), event=event, body=payload.body
    )
    return {"body": saved.body}


@events_router.get("/{event_id}/resolutions", response={200: list[ResolutionOut], **ERRORS})
def resolution_list(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    event = event_for_manager(request, event_id)
    return Resolution.objects.filter(association=event.association, event=event)


@events_router.post("/{event_id}/resolutions", response={201: ResolutionOut, **ERRORS})
def resolution_add(
    request: HttpRequest, slug: Path[str], event_id: int, payload: ResolutionIn
) -> Status[Resolution]:
    event = event_for_manager(request, event_id)
    created = after_services.resolution_add(
        association=event.association, actor=signed_in_user(request), event=event, **payload.dict()
    )
    return Status(201, created)


@events_router.get("/{event_id}/feedback", response={200: FeedbackSummaryOut, **ERRORS})
def feedback_results(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    event = event_for_manager(request, event_id)
    summary = figures.feedback_summary(association=event.association, event=event)
    return {
        "count": summary.count,
        "average": summary.average,
        "distribution": {str(k): v for k, v in summary.distribution.items()},
        "comments": summary.comments,
    }


@events_router.get("/{event_id}/documents", response={200: list[EventDocumentOut], **ERRORS})
def document_list(request: HttpRequest, slug: Path[str], event_id: int) -> object:
    """Material for participants; the minutes' attachments only for the secretariat."""
    event = event_for_member(request, event_id)
    qs = EventDocument.objects.filter(association=event.association, event=event)
    if not has_perm(request.role, Perm.MANAGE_EVENTS):  # type: ignore[attr-defined]
        qs = qs.filter(kind=EventDocument.Kind.MATERIAL)
    return qs


@events_router.post("/{event_id}/documents", response={201: EventDocumentOut, **ERRORS})
def document_add(
    request: HttpRequest,
    slug: Path[str],
    event_id: int,
    file: File[UploadedFile | None] = None,
    kind: str = "material",
    library_file_id: int | None = None,
) -> Status[EventDocument]:
    """Attach a PDF, JPG or PNG: ``kind`` material (会议材料) or minutes (纪要附件); the
    multipart ``file``, or ``library_file_id``, a file of the document library (资料库) the
    caller may see."""
    event = event_for_manager(request, event_id)
    actor = signed_in_user(request)
    upload: DjangoUploadedFile | None = file
    if upload is None and library_file_id is not None:
        role = current_role(request)
        upload = library_open(event.association, role, actor, id_or_404(library_file_id))
    created = event_services.document_add(
        association=event.association,
        actor=actor,
        event=event,
        upload=upload,
        kind=kind,
    )
    return Status(201, created)


@events_router.delete("/{event_id}/documents/{document_id}", response={204: None, **ERRORS})
def document_delete(
    request: HttpRequest, slug: Path[str], event_id: int, document_id: int
) -> Status[None]:
    """Remove a document from the event; its file goes to the trash."""
    event = event_for_manager(request, event_id)
    found = selectors.access_document(
        association=event.association, event=event, document_id=document_id
    )
    event_services.document_delete(
        association=event.association, actor=signed_in_user(request), document=found
    )
    return Status(204, None)


@events_router.get(
    "/{event_id}/exports/registrants", response={200: None, **ERRORS}, openapi_extra=XLSX
)
def export_registrants(request: HttpRequest, slug: Path[str], event_id: int) -> HttpResponse:
    """The registrant list as xlsx: phones unmasked only for callers who may export;
    audited."""
    event = event_for_manager(request, event_id)
    data = exports.registrants_xlsx(
        association=event.association,
        event=event,
        actor=signed_in_user(request),
        role=current_role(request),
    )
    return attachment_response(data, f"registrants-{event.pk}.xlsx")


@events_router.get(
    "/{event_id}/exports/sign-in-sheet", response={200: None, **ERRORS}, openapi_extra=XLSX
)
def export_signin_xlsx(request: HttpRequest, slug: Path[str], event_id: int) -> HttpResponse:
    event = event_for_manager(request, event_id)
    data = exports.signin_xlsx(association=event.association, event=event)
    return attachment_response(data, f"sign-in-{event.pk}.xlsx")


@events_router.post("/{event_id}/exports/sign-in-sheet.pdf", response={202: JobOut, **ERRORS})
def export_signin_pdf(request: HttpRequest, slug: Path[str], event_id: int) -> Status[object]:
    """Start making the sign-in sheet PDF (seconds of CPU for a few hundred people): a job;
    poll ``/jobs/{id}`` and fetch ``/jobs/{id}/file`` once it is done."""
    event = event_for_manager(request, event_id)
    job = tasks.event_pdf_start(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        kind=tasks.SIGNIN_JOB,
    )
    return Status(202, job)


@events_router.post("/{event_id}/exports/badges.pdf", response={202: JobOut, **ERRORS})
def export_badges(request: HttpRequest, slug: Path[str], event_id: int) -> Status[object]:
    """Start making the name badges PDF (eight to an A4 page, each with the ticket QR code): a
    job with progress; poll ``/jobs/{id}`` and fetch ``/jobs/{id}/file`` once it is done."""
    event = event_for_manager(request, event_id)
    job = tasks.event_pdf_start(
        association=event.association,
        actor=signed_in_user(request),
        event=event,
        kind=tasks.BADGES_JOB,
    )
    return Status(202, job)
