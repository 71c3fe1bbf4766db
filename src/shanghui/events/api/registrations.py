"""Registrations: register (yourself, or someone else as the secretariat) with an
``Idempotency-Key``, the list, cancel/approve/reject, offline payment, the ticket and the
course certificate, and feedback."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm, has_perm, personal_data_unmasked, require_perm
from shanghui.accounts.tenant_door import current_role
from shanghui.core.apikit.errors import error_response
from shanghui.core.apikit.pagination import EachPage, Pages
from shanghui.core.apikit.schemas import ERRORS
from shanghui.core.http import attachment_response
from shanghui.core.privacy import personal_data_page, personal_data_reveal
from shanghui.events import pdf, selectors, tickets
from shanghui.events.api.base import (
    PDF,
    PNG,
    event_for_manager,
    event_for_member,
    events_router,
)
from shanghui.events.api.schemas import (
    EventCheckoutOut,
    EventTicketOut,
    FeedbackIn,
    FeedbackOut,
    RegistrationIn,
    RegistrationOut,
    RegistrationPaidIn,
    RegistrationQuery,
)
from shanghui.events.models import Event, Feedback, IdempotencyRecord, Registration, TicketType
from shanghui.events.services import after as after_services
from shanghui.events.services import fees as fee_services
from shanghui.events.services import registration as registration_services

MAX_KEY = 100


@events_router.get("/{event_id}/registrations", response={200: list[RegistrationOut], **ERRORS})
@paginate(Pages)
def registration_list(
    request: HttpRequest, slug: Path[str], event_id: int, filters: Query[RegistrationQuery]
) -> object:
    """Everyone registered, in order of registration (the secretariat). Phones are masked
    except for callers who may export (``…/reveal`` unmasks one registration); each page is
    audited and counts against the caller's hourly limit (429 past it)."""
    event = event_for_manager(request, event_id)
    if filters.status and filters.status not in Registration.Status.values:
        raise ValidationError({"status": _("请选择有效的选项")})
    qs = selectors.registrations(
        association=event.association, event=event, status=filters.status, q=filters.q[:50]
    )

    def record(rows: list[Registration]) -> list[Registration]:
        personal_data_page(
            actor=signed_in_user(request),
            association=event.association,
            listing=f"registrations:{event.pk}",
            rows=len(rows),
            page=request.GET.get("page"),
            filters={"status": filters.status, "q": filters.q},
            unmasked=personal_data_unmasked(current_role(request)),
        )
        return rows

    return EachPage(qs, record)


def _ticket_type(event: Event, ticket_type_id: int | None) -> TicketType | None:
    if ticket_type_id is None:
        return None
    found = TicketType.objects.filter(
        association=event.association, event=event, pk=ticket_type_id
    ).first()
    if found is None:
        raise ValidationError({"ticket_type_id": _("未找到该票种")})
    return found


def _registrant(
    request: HttpRequest, event: Event, payload: RegistrationIn
) -> registration_services.Registrant:
    user = signed_in_user(request)
    if payload.on_behalf:
        if not has_perm(request.role, Perm.MANAGE_EVENTS):  # type: ignore[attr-defined]
            raise ValidationError({"on_behalf": _("只有秘书处可以代为报名")})
        return registration_services.Registrant(
            name=payload.name, phone=payload.phone, company=payload.company
        )
    if not selectors.in_audience(event=event, user=user, is_member=True):
        raise ValidationError(_("该活动仅限指定范围的人员报名"))
    return registration_services.registrant_for_user(
        association=event.association, user=user, role=current_role(request)
    )


def _fingerprint(event: Event, payload: RegistrationIn) -> str:
    """What a key stands for: SHA-256 of the event id and the request body as validated
    (canonical JSON: sorted keys, defaults filled in), so that the same request written
    differently is the same request, and another person, event or answer is not."""
    body = json.dumps(
        payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(f"{event.pk}\n{body}".encode()).hexdigest()


def _replay(
    request: HttpRequest, event: Event, key: str, fingerprint: str
) -> Status[Registration] | HttpResponse | None:
    """The first answer given to this caller's ``key`` when this is the same request again;
    a 422 when the key was used for another request (another event, another person, other
    answers) — never the other request's registration; None when the key is unused."""
    record = (
        IdempotencyRecord.objects.filter(
            association=event.association, user=signed_in_user(request), key=key
        )
        .select_related("registration")
        .first()
    )
    if record is None:
        return None
    if record.registration.event_id != event.pk:
        message = _("该 Idempotency-Key 已用于另一个活动的报名，请换一个")
    elif record.fingerprint and record.fingerprint != fingerprint:
        message = _("该 Idempotency-Key 已用于内容不同的报名请求；新的请求请换一个 Key")
    else:
        return Status(record.status_code, record.registration)
    return error_response(
        "idempotency_key_reused",
        status=422,
        message=message,
        fields={"Idempotency-Key": [message]},
    )


@events_router.post(
    "/{event_id}/registrations", response={200: RegistrationOut, 201: RegistrationOut, **ERRORS}
)
def registration_create(
    request: HttpRequest,
    slug: Path[str],
    event_id: int,
    payload: RegistrationIn,
    idempotency_key: Header[str | None] = None,
) -> Status[Registration] | HttpResponse:
    """Register the caller (or, with ``on_behalf``, the person named — the secretariat).
    201 with ``confirmed``, ``pending`` (needs approval) or ``waitlisted``; 200 with the
    existing registration when the person is already registered. Send an
    ``Idempotency-Key`` header to retry safely: a retry with the same key and the same body
    returns the first answer; the same key with another body (or another event) is refused
    with 422 and registers nobody."""
    event = event_for_member(request, event_id)
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY:
        raise ValidationError({"Idempotency-Key": _("不能超过 100 个字符")})
    fingerprint = _fingerprint(event, payload) if key else ""
    try:
        registrant = _registrant(request, event, payload)
        ticket_type = _ticket_type(event, payload.ticket_type_id)
        user = signed_in_user(request)

        def record_key(registration: Registration, status: int = 201) -> None:
            IdempotencyRecord.objects.create(
                association=event.association,
                user=user,
                key=key,
                fingerprint=fingerprint,
                registration=registration,
                status_code=status,
            )

        # The key's record is written in the registration's own transaction (the service's
        # ``created``): a retry finds both or neither, with one savepoint for the two (and
        # SQLite takes its write lock once). The key is not looked up first: the record's
        # unique constraint finds a used key, and only then is the request compared.
        result = registration_services.registration_create(
            association=event.association,
            actor=user,
            event=event,
            registrant=registrant,
            companions=payload.companions,
            answers=payload.answers,
            ticket_type=ticket_type,
            by_staff=payload.on_behalf,
            created=record_key if key else None,
        )
        status = 201 if result.created else 200
        if key and not result.created:
            with transaction.atomic():  # already registered: the key stands for that answer
                record_key(result.registration, status)
    except (IntegrityError, ValidationError):
        # The key was used before (or raced itself), or the request is refused now (the
        # registration closed since the first answer): a retry gets the first answer, another
        # request with the same key a 422 — and everything written above is rolled back.
        if key and (answer := _replay(request, event, key, fingerprint)) is not None:
            return answer
        raise
    return Status(status, result.registration)


def registration_for(request: HttpRequest, event_id: int, registration_id: int) -> Registration:
    """The secretariat reaches every registration; a member only their own (404 otherwise)."""
    event = event_for_member(request, event_id)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    if (
        not has_perm(current_role(request), Perm.MANAGE_EVENTS)
        and registration.user_id != signed_in_user(request).pk
    ):
        raise Http404
    return registration


@events_router.get("/{event_id}/my-registration", response={200: RegistrationOut, **ERRORS})
def my_registration(request: HttpRequest, slug: Path[str], event_id: int) -> Registration:
    event = event_for_member(request, event_id)
    found = selectors.my_registration(
        association=event.association, event=event, user=signed_in_user(request)
    )
    if found is None:
        raise Http404
    return found


@events_router.get(
    "/{event_id}/registrations/{registration_id}", response={200: RegistrationOut, **ERRORS}
)
def registration_detail(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Registration:
    """One registration: the registrant's own, or any for the secretariat (the phone masked as
    in the list; unmasked for callers who may export, and that read is audited)."""
    registration = registration_for(request, event_id, registration_id)
    role = current_role(request)
    if registration.user_id != signed_in_user(request).pk and personal_data_unmasked(role):
        personal_data_reveal(
            actor=signed_in_user(request),
            association=registration.association,
            action="registration.reveal_personal_data",
            target=registration,
            summary=registration.name,
        )
    return registration


@events_router.post(
    "/{event_id}/registrations/{registration_id}/reveal", response={200: RegistrationOut, **ERRORS}
)
def registration_reveal(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Registration:
    """The registration with its phone unmasked, for the secretariat — the event page's
    显示完整号码. Audited; counts against the caller's hourly limit of reveals (429 past it)."""
    event = event_for_manager(request, event_id)
    require_perm(current_role(request), Perm.VIEW_PERSONAL_DATA)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    personal_data_reveal(
        actor=signed_in_user(request),
        association=event.association,
        action="registration.reveal_personal_data",
        target=registration,
        summary=registration.name,
    )
    registration.revealed = True  # type: ignore[attr-defined]  # read by RegistrationOut
    return registration


@events_router.post(
    "/{event_id}/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS}
)
def registration_cancel(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Registration:
    """Cancel; the freed seats go to the waitlist in order, and the promoted are told. From
    the event's start a member's own cancellation is refused (400) and nobody is promoted;
    the secretariat may still cancel."""
    registration = registration_for(request, event_id, registration_id)
    return registration_services.registration_cancel(
        association=registration.association,
        actor=signed_in_user(request),
        registration=registration,
        by_staff=has_perm(current_role(request), Perm.MANAGE_EVENTS),
    )


@events_router.post(
    "/{event_id}/registrations/{registration_id}/approve", response={200: RegistrationOut, **ERRORS}
)
def registration_approve(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Registration:
    event = event_for_manager(request, event_id)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    return registration_services.registration_approve(
        association=event.association, actor=signed_in_user(request), registration=registration
    )


@events_router.post(
    "/{event_id}/registrations/{registration_id}/reject", response={200: RegistrationOut, **ERRORS}
)
def registration_reject(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Registration:
    event = event_for_manager(request, event_id)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    return registration_services.registration_reject(
        association=event.association, actor=signed_in_user(request), registration=registration
    )


@events_router.put(
    "/{event_id}/registrations/{registration_id}/payment", response={200: RegistrationOut, **ERRORS}
)
def registration_payment(
    request: HttpRequest,
    slug: Path[str],
    event_id: int,
    registration_id: int,
    payload: RegistrationPaidIn,
) -> Registration:
    """Record that the fee was paid offline (or undo it)."""
    event = event_for_manager(request, event_id)
    registration = selectors.access_registration(
        association=event.association, event=event, registration_id=registration_id
    )
    return fee_services.registration_mark_paid(
        association=event.association,
        actor=signed_in_user(request),
        registration=registration,
        paid=payload.paid,
    )


def _ticket(request: HttpRequest, event_id: int, registration_id: int) -> Registration:
    registration = registration_for(request, event_id, registration_id)
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("报名确认后才有电子票"))
    return registration


@events_router.get(
    "/{event_id}/registrations/{registration_id}/ticket", response={200: EventTicketOut, **ERRORS}
)
def ticket(request: HttpRequest, slug: Path[str], event_id: int, registration_id: int) -> object:
    """The e-ticket: the QR text (signed, unguessable), the typed code and the QR as SVG."""
    registration = _ticket(request, event_id, registration_id)
    return {
        "registration_id": registration.pk,
        "event_id": registration.event_id,
        "event_title": registration.event.title,
        "name": registration.name,
        "code": tickets.display_code(registration.code),
        "qr_text": tickets.qr_text(registration.token),
        "qr_svg": tickets.qr_svg_uri(registration.token),
    }


@events_router.get(
    "/{event_id}/registrations/{registration_id}/ticket.png",
    response={200: None, **ERRORS},
    openapi_extra=PNG,
)
def ticket_png(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> HttpResponse:
    registration = _ticket(request, event_id, registration_id)
    return HttpResponse(tickets.qr_png(registration.token), content_type="image/png")


@events_router.get(
    "/{event_id}/registrations/{registration_id}/certificate",
    response={200: None, **ERRORS},
    openapi_extra=PDF,
)
def certificate(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> HttpResponse:
    """The completion certificate of a training course (结业证书), once enough sessions
    were attended — for the participant once the course has ended."""
    registration = registration_for(request, event_id, registration_id)
    if not has_perm(current_role(request), Perm.MANAGE_EVENTS) and not selectors.has_ended(
        registration.event
    ):
        raise ValidationError(_("课程结束后才能下载结业证书"))
    certificate = pdf.certificate_pdf(
        association=registration.association, event=registration.event, registration=registration
    )
    return attachment_response(certificate.content, certificate.filename)


@events_router.post("/{event_id}/feedback", response={201: FeedbackOut, **ERRORS})
def feedback_submit(
    request: HttpRequest, slug: Path[str], event_id: int, payload: FeedbackIn
) -> Status[Feedback]:
    """Rate the event (1–5) and comment, once, as a confirmed participant."""
    event = event_for_member(request, event_id)
    registration = selectors.my_registration(
        association=event.association, event=event, user=signed_in_user(request)
    )
    if registration is None:
        raise ValidationError(_("只有已报名的参加者可以评价"))
    feedback = after_services.feedback_submit(
        association=event.association,
        actor=signed_in_user(request),
        registration=registration,
        rating=payload.rating,
        comment=payload.comment,
    )
    return Status(201, feedback)


@events_router.post(
    "/{event_id}/registrations/{registration_id}/online-payment",
    response={201: EventCheckoutOut, **ERRORS},
)
def online_payment(
    request: HttpRequest, slug: Path[str], event_id: int, registration_id: int
) -> Status[object]:
    """Start paying the fee online. Answers 400 "暂未开通在线支付" while no payment provider
    is connected; the fee is then paid offline and recorded by the secretariat."""
    registration = registration_for(request, event_id, registration_id)
    checkout = fee_services.registration_checkout_start(
        association=registration.association,
        actor=signed_in_user(request),
        registration=registration,
    )
    return Status(201, checkout)
