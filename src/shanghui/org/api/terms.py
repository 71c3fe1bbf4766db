"""API of terms (届), posts, appointments, the change of term (换届), the chart's publication
and the public chart."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Status
from ninja.pagination import paginate

from shanghui.accounts.callers import signed_in_user
from shanghui.accounts.permissions import Perm
from shanghui.accounts.tenant_door import current_association
from shanghui.associations.models import Association
from shanghui.core.apikit.pagination import Pages
from shanghui.core.apikit.schemas import ERRORS, OkOut
from shanghui.org import selectors
from shanghui.org.api.base import editor, org_router, reader
from shanghui.org.api.schemas import (
    OrgAppointmentIn,
    OrgAppointmentOut,
    OrgAppointmentPatch,
    OrgChartOut,
    OrgPostIn,
    OrgPostOut,
    OrgPostPatch,
    OrgSettingsIn,
    OrgSettingsOut,
    OrgTermChangeIn,
    OrgTermChangeOut,
    OrgTermIn,
    OrgTermOut,
    OrgTermPatch,
)
from shanghui.org.models import Appointment, Post, Term
from shanghui.org.services import posts as post_services
from shanghui.org.services import terms as term_services

# --- Terms ------------------------------------------------------------------------------------


@org_router.get("/terms", response={200: list[OrgTermOut], **ERRORS})
@paginate(Pages)
def term_list(request: HttpRequest, slug: Path[str]) -> object:
    """Terms (届), newest first; ``is_current`` marks the current one."""
    return selectors.terms(association=reader(request))


@org_router.post("/terms", response={201: OrgTermOut, **ERRORS})
def term_create(request: HttpRequest, slug: Path[str], payload: OrgTermIn) -> Status[object]:
    """Adds a past term for the record, or the first current term (a second current term is
    refused: use the change of term). Adds the usual posts if there are none yet."""
    association = editor(request, Perm.EDIT_SETTINGS)
    term = term_services.term_create(
        association=association,
        actor=signed_in_user(request),
        data=term_services.TermInput(**payload.dict()),
    )
    return Status(201, term)


@org_router.post("/term-changes", response={201: OrgTermChangeOut, **ERRORS})
def term_change(request: HttpRequest, slug: Path[str], payload: OrgTermChangeIn) -> Status[object]:
    """换届 in one step: the current term ends the day before ``starts_on``, every running
    appointment ends that day, the new term becomes current, and the holders of the posts in
    ``carry_over_post_ids`` continue in it. All or nothing."""
    association = editor(request, Perm.EDIT_SETTINGS)
    data = payload.dict()
    carry = data.pop("carry_over_post_ids")
    change = term_services.term_change(
        association=association,
        actor=signed_in_user(request),
        data=term_services.TermInput(**data, is_current=True),
        carry_over_post_ids=carry,
    )
    return Status(
        201,
        {
            "term": change.term,
            "ended_appointments": change.ended,
            "carried_over": change.carried_over,
        },
    )


@org_router.get("/terms/{term_id}", response={200: OrgTermOut, **ERRORS})
def term_detail(request: HttpRequest, slug: Path[str], term_id: int) -> object:
    return selectors.access_term(association=reader(request), term_id=term_id)


@org_router.patch("/terms/{term_id}", response={200: OrgTermOut, **ERRORS})
def term_update(
    request: HttpRequest, slug: Path[str], term_id: int, payload: OrgTermPatch
) -> object:
    association = editor(request, Perm.EDIT_SETTINGS)
    term: Term = selectors.access_term(association=association, term_id=term_id)
    current = {
        f: getattr(term, f) for f in ("name", "number", "starts_on", "ends_on", "is_current")
    }
    merged = {**current, **payload.dict(exclude_unset=True)}
    for required in ("name", "starts_on", "is_current"):
        if merged[required] is None:
            merged[required] = current[required]
    return term_services.term_update(
        association=association,
        actor=signed_in_user(request),
        term=term,
        data=term_services.TermInput(**merged),
    )


@org_router.delete("/terms/{term_id}", response={200: OkOut, **ERRORS})
def term_delete(request: HttpRequest, slug: Path[str], term_id: int) -> object:
    """Deletes a term that has no appointments."""
    association = editor(request, Perm.EDIT_SETTINGS)
    term = selectors.access_term(association=association, term_id=term_id)
    term_services.term_delete(association=association, actor=signed_in_user(request), term=term)
    return {"ok": True}


# --- Posts ------------------------------------------------------------------------------------


@org_router.get("/posts", response={200: list[OrgPostOut], **ERRORS})
@paginate(Pages)
def post_list(request: HttpRequest, slug: Path[str]) -> object:
    """Posts (职务) in the association's order."""
    return selectors.posts(association=reader(request))


@org_router.post("/posts", response={201: OrgPostOut, **ERRORS})
def post_create(request: HttpRequest, slug: Path[str], payload: OrgPostIn) -> Status[object]:
    association = editor(request, Perm.EDIT_SETTINGS)
    post = post_services.post_create(
        association=association,
        actor=signed_in_user(request),
        data=post_services.PostInput(**payload.dict()),
    )
    return Status(201, post)


@org_router.post("/default-posts", response={200: list[OrgPostOut], **ERRORS})
def posts_add_defaults(request: HttpRequest, slug: Path[str]) -> object:
    """Adds the usual posts (名誉会长 … 顾问) the association does not have yet; returns the
    posts added."""
    association = editor(request, Perm.EDIT_SETTINGS)
    return post_services.posts_add_defaults(association=association, actor=signed_in_user(request))


@org_router.patch("/posts/{post_id}", response={200: OrgPostOut, **ERRORS})
def post_update(
    request: HttpRequest, slug: Path[str], post_id: int, payload: OrgPostPatch
) -> object:
    association = editor(request, Perm.EDIT_SETTINGS)
    post: Post = selectors.access_post(association=association, post_id=post_id)
    fields = ("name", "sort_order", "is_council", "is_secretariat")
    current = {f: getattr(post, f) for f in fields}
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return post_services.post_update(
        association=association,
        actor=signed_in_user(request),
        post=post,
        data=post_services.PostInput(**{**current, **changes}),
    )


@org_router.delete("/posts/{post_id}", response={200: OkOut, **ERRORS})
def post_delete(request: HttpRequest, slug: Path[str], post_id: int) -> object:
    """Deletes a post nobody has held."""
    association = editor(request, Perm.EDIT_SETTINGS)
    post = selectors.access_post(association=association, post_id=post_id)
    post_services.post_delete(association=association, actor=signed_in_user(request), post=post)
    return {"ok": True}


# --- Appointments -----------------------------------------------------------------------------


@org_router.get("/appointments", response={200: list[OrgAppointmentOut], **ERRORS})
@paginate(Pages)
def appointment_list(
    request: HttpRequest,
    slug: Path[str],
    term: int | None = None,
    post: int | None = None,
    running: bool = False,
) -> object:
    """Appointments, by term and post order; filter by ``term`` and ``post`` id, or
    ``running=true`` for those not yet ended. Without ``term``: every term."""
    association = reader(request)
    return selectors.appointments(
        association=association,
        term=selectors.access_term(association=association, term_id=term) if term else None,
        post=selectors.access_post(association=association, post_id=post) if post else None,
        running_only=running,
    )


@org_router.post("/appointments", response={201: OrgAppointmentOut, **ERRORS})
def appointment_create(
    request: HttpRequest, slug: Path[str], payload: OrgAppointmentIn
) -> Status[object]:
    """Appoints a person to a post in a term, optionally representing a member enterprise.
    Secretariat staff are appointments to secretariat posts (秘书长 …)."""
    association = editor(request, Perm.MANAGE_MEMBERS)
    term = selectors.access_term(association=association, term_id=payload.term_id)
    appointment = post_services.appointment_create(
        association=association,
        actor=signed_in_user(request),
        term=term,
        data=_appointment_input(association, payload.dict()),
    )
    return Status(201, appointment)


def _appointment_input(
    association: Association, data: dict[str, Any]
) -> post_services.AppointmentInput:
    member_id = data.get("member_id")
    return post_services.AppointmentInput(
        post=selectors.post_ref(association=association, post_id=data["post_id"]),
        person=selectors.person_ref(association=association, person_id=data["person_id"]),
        member=selectors.member_ref(association=association, member_id=member_id)
        if member_id
        else None,
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
    )


@org_router.get("/appointments/{appointment_id}", response={200: OrgAppointmentOut, **ERRORS})
def appointment_detail(request: HttpRequest, slug: Path[str], appointment_id: int) -> object:
    return selectors.access_appointment(association=reader(request), appointment_id=appointment_id)


@org_router.patch("/appointments/{appointment_id}", response={200: OrgAppointmentOut, **ERRORS})
def appointment_update(
    request: HttpRequest, slug: Path[str], appointment_id: int, payload: OrgAppointmentPatch
) -> object:
    """Changes an appointment; ``ends_on`` ends it (卸任)."""
    association = editor(request, Perm.MANAGE_MEMBERS)
    item: Appointment = selectors.access_appointment(
        association=association, appointment_id=appointment_id
    )
    current = {
        "post_id": item.post_id,
        "person_id": item.person_id,
        "member_id": item.member_id,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
    }
    merged = {**current, **payload.dict(exclude_unset=True)}
    for required in ("post_id", "person_id", "starts_on"):
        if merged[required] is None:
            merged[required] = current[required]
    return post_services.appointment_update(
        association=association,
        actor=signed_in_user(request),
        appointment=item,
        data=_appointment_input(association, merged),
    )


@org_router.delete("/appointments/{appointment_id}", response={200: OkOut, **ERRORS})
def appointment_delete(request: HttpRequest, slug: Path[str], appointment_id: int) -> object:
    association = editor(request, Perm.MANAGE_MEMBERS)
    item = selectors.access_appointment(association=association, appointment_id=appointment_id)
    post_services.appointment_delete(
        association=association, actor=signed_in_user(request), appointment=item
    )
    return {"ok": True}


# --- The public chart ----------------------------------------------------------------------


@org_router.get("/settings", response={200: OrgSettingsOut, **ERRORS})
def org_settings(request: HttpRequest, slug: Path[str]) -> object:
    association = reader(request)
    return {"publish_chart": selectors.chart_published(association=association)}


@org_router.put("/settings", response={200: OrgSettingsOut, **ERRORS})
def org_settings_update(request: HttpRequest, slug: Path[str], payload: OrgSettingsIn) -> object:
    """Publishes or withdraws the public organisation chart."""
    association = editor(request, Perm.EDIT_SETTINGS)
    return term_services.org_settings_update(
        association=association, actor=signed_in_user(request), publish_chart=payload.publish_chart
    )


@org_router.get("/chart", auth=None, response={200: OrgChartOut, **ERRORS})
def chart(request: HttpRequest, slug: Path[str]) -> object:
    """Public, no sign-in: the current term's posts and the names of their holders (no
    contact details), once the association has published its chart; else 404."""
    association = current_association(request)
    data = selectors.org_chart(association=association)
    if data is None:
        raise Http404
    return {
        "association": association.name,
        "term": data.term.name,
        "starts_on": data.term.starts_on,
        "ends_on": data.term.ends_on,
        "posts": [p.__dict__ for p in data.posts],
    }
