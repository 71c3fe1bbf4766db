"""The floors: each runs its page's minimal statements — the caller (the app's own token check,
or the session the middleware loaded), the association and the caller's role in one query
each, the tenant scope (``core.tenancy``, so row-level security applies on PostgreSQL), then one
count and one page of rows (plain values, no model instances) with the app's filter and
order, plus one query for the page's representatives — and renders the same rows: JSON by
``json.dumps`` for the API, a minimal Django template for the pages. Labels of choices are
looked up once per language, not translated per row."""

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from shanghui.accounts.callers import bearer_user
from shanghui.accounts.models import Role, User
from shanghui.accounts.permissions import Perm, has_perm, personal_data_unmasked, role_in
from shanghui.associations.models import Association
from shanghui.core.audience import rules_inviting
from shanghui.core.audit import audit
from shanghui.core.chinese import index_letter, normalize_query
from shanghui.core.industries import industry_display_name
from shanghui.core.models import AudienceRule
from shanghui.core.phone import mask_mobile
from shanghui.core.regions import region_display_name
from shanghui.core.tenancy import tenant_context
from shanghui.events import tickets
from shanghui.events.models import EVENT_TYPE, Event, IdempotencyRecord, Registration
from shanghui.members.models import Member, Person, Representative
from shanghui.members.selectors import LISTED_STATUSES, matching_member_ids

MEMBER_FIELDS = (
    "id", "member_no", "name", "kind", "status", "uscc", "legal_representative",
    "industry_code", "region_code", "hometown_code", "address", "introduction", "level__name",
    "main_products", "website", "joined_on", "sort_key", "logo",
)  # fmt: skip
REP_FIELDS = (
    "id", "member_id", "kind", "title", "person__name", "person__phone", "person__show_phone",
    "person__user_id", "person__photo",
)  # fmt: skip
EVENT_FIELDS = (
    "id", "kind", "title", "summary", "status", "starts_at", "ends_at", "venue", "address",
    "online_url", "audience", "capacity", "seats_taken", "requires_approval", "fee",
    "registration_opens_at", "registration_closes_at",
)  # fmt: skip


@cache
def _labels(choices: type, language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}  # type: ignore[attr-defined]


def label(choices: type, value: str) -> str:
    return _labels(choices, get_language()).get(value, value)


def _json(data: object, status: int = 200) -> HttpResponse:
    def default(value: object) -> str:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        raise TypeError(type(value).__name__)

    return HttpResponse(json.dumps(data, default=default), "application/json", status=status)


def _page(request: HttpRequest, size: int) -> slice:
    try:
        number = max(1, int(request.GET.get("page", "1")))
        size = min(100, max(1, int(request.GET.get("page_size", str(size)))))
    except ValueError:
        number = 1
    return slice((number - 1) * size, number * size)


def api_door(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API floors' door: the app's bearer-token check, the association, the tenant scope
    and the caller's active role; 401 / 404 / 403 as the app answers."""

    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        user = bearer_user(request)
        if user is None:
            return _json({"code": "unauthorized"}, 401)
        association = Association.objects.filter(slug=slug, status="active").first()
        if association is None:
            return _json({"code": "not_found"}, 404)
        with tenant_context(association):
            role = role_in(user, association)
            if role is None:
                return _json({"code": "forbidden"}, 403)
            return view(request, association, user, role, **kwargs)

    return wrapper


def _members(association: Association, role: Role, q: str) -> Any:
    """The member list's filter and order (``members.selectors.member_search``): members in
    good standing for members, everyone for the secretariat; ``q`` through the same index."""
    qs = Member.objects.filter(association=association)
    directory = not has_perm(role, Perm.MANAGE_MEMBERS)
    if directory:
        qs = qs.filter(status__in=LISTED_STATUSES)
    if needle := normalize_query(q):
        ids = matching_member_ids(association=association, needle=needle, phone_tails=not directory)
        qs = qs.filter(id__in=ids)
    return qs.order_by("sort_key", "id")


def _rows(
    association: Association,
    role: Role,
    q: str,
    page: slice,
    *,
    on_screen: bool = False,
    after: int | None = None,
) -> tuple[int, list[dict]]:
    """One count, one page of members and one query for their representatives (phones
    masked by the app's rule: ``on_screen`` for pages)."""
    qs = _members(association, role, q)
    count = qs.count()
    if after is not None:  # keyset: the rows after this member in (sort_key, id) order
        key = Member.objects.filter(association=association, pk=after).values("sort_key")
        qs = qs.filter(Q(sort_key__gt=Subquery(key)) | Q(sort_key=Subquery(key), id__gt=after))
        page = slice(0, page.stop - page.start)
    rows = list(qs.values(*MEMBER_FIELDS)[page])
    for row in rows:
        row["representatives"] = []
    by_id = {row["id"]: row for row in rows}
    reps = Representative.objects.filter(association=association, member_id__in=list(by_id))
    unmasked = personal_data_unmasked(role, on_screen=on_screen)
    for rep in reps.order_by("id").values(*REP_FIELDS):
        phone = rep["person__phone"]
        visible = unmasked or rep["person__show_phone"] or rep["person__user_id"] == role.user_id
        by_id[rep["member_id"]]["representatives"].append(
            {
                "id": rep["id"],
                "kind": rep["kind"],
                "name": rep["person__name"],
                "title": rep["title"],
                "phone": phone if visible else mask_mobile(phone),
                "phone_masked": not visible and bool(phone),
                "has_photo": bool(rep["person__photo"]),
            }
        )
    return count, rows


def _member_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "member_no": row["member_no"],
        "name": row["name"],
        "kind": row["kind"],
        "kind_label": label(Member.Kind, row["kind"]),
        "status": row["status"],
        "status_label": label(Member.Status, row["status"]),
        "uscc": row["uscc"],
        "legal_representative": row["legal_representative"],
        "industry": industry_display_name(row["industry_code"]) if row["industry_code"] else "",
        "region": region_display_name(row["region_code"]),
        "hometown": region_display_name(row["hometown_code"]),
        "address": row["address"],
        "introduction": row["introduction"],
        "level": row["level__name"] or "",
        "main_products": row["main_products"],
        "website": row["website"],
        "joined_on": row["joined_on"].isoformat() if row["joined_on"] else "",
        "letter": index_letter(row["sort_key"]),
        "has_logo": bool(row["logo"]),
        "representatives": row["representatives"],
    }


@require_GET
@api_door
def api_members(request: HttpRequest, association: Association, user: User, role: Role) -> Any:
    """``GET /api/v1/associations/{slug}/members`` (``q``, ``page``, ``page_size``; ``after``,
    a member id, for the keyset page after it, as the app's ``cursor``)."""
    after = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else None
    page = _page(request, 20)
    count, rows = _rows(association, role, request.GET.get("q", ""), page, after=after)
    return _json({"items": [_member_out(row) for row in rows], "count": count})


@require_GET
@api_door
def api_events(request: HttpRequest, association: Association, user: User, role: Role) -> Any:
    """``GET /api/v1/associations/{slug}/events`` for a member (``events.selectors.
    visible_events``): published events, those of a chosen audience only when a rule invites
    one of the caller's person records or the caller registered."""
    qs = Event.objects.filter(association=association).exclude(status=Event.Status.DRAFT)
    people = list(
        Person.objects.filter(association=association, user=user).values_list("id", flat=True)
    )
    seen = Registration.objects.filter(association=association, user=user).values("event_id")
    shown = ~Q(audience=Event.Audience.CHOSEN) | Q(pk__in=seen)
    if people:
        rules = AudienceRule.objects.filter(association=association.pk, owner_type=EVENT_TYPE)
        invited = rules.filter(rules_inviting(association=association, person_ids=people))
        shown |= Q(pk__in=invited.values("owner_id"))
    qs = qs.filter(shown).order_by("-starts_at", "-id")
    count = qs.count()
    items = list(qs.values(*EVENT_FIELDS)[_page(request, 20)])
    for item in items:
        item["kind_label"] = label(Event.Kind, item["kind"])
        capacity = item["capacity"]
        item["seats_left"] = None if capacity is None else max(0, capacity - item["seats_taken"])
    return _json({"items": items, "count": count})


@csrf_exempt  # a bearer token, not a cookie: nothing for a cross-site form to ride on
@require_POST
@api_door
def api_register(
    request: HttpRequest, association: Association, user: User, role: Role, event_id: int
) -> Any:
    """``POST …/events/{id}/registrations`` for the caller themself (no companions, answers,
    ticket types or chosen audience): the event, the caller's person and member, then in one
    transaction the conditional UPDATE of ``seats_taken``, the registration, the key's record
    and the audit entry (the app also queues the confirmation message)."""
    now = timezone.now()
    event = (
        Event.objects.filter(association=association, pk=event_id, status=Event.Status.PUBLISHED)
        .values("title", "starts_at", "registration_opens_at", "registration_closes_at")
        .first()
    )
    if event is None:
        return _json({"code": "not_found"}, 404)
    opens, closes = event["registration_opens_at"], event["registration_closes_at"]
    if now >= event["starts_at"] or (opens and now < opens) or (closes and now > closes):
        return _json({"code": "validation_error"}, 422)
    me = (
        Representative.objects.filter(association=association, person__user=user)
        .values("person_id", "person__name", "person__phone", "member_id", "member__name")
        .first()
    ) or {"person_id": None, "person__name": user.name, "person__phone": user.phone}
    key = request.headers.get("Idempotency-Key", "")[:100]
    try:
        with transaction.atomic():
            fits = Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - 1)
            events = Event.objects.filter(association=association, pk=event_id)
            claimed = events.filter(fits).update(seats_taken=F("seats_taken") + 1)
            registration = Registration.objects.create(
                association=association,
                event_id=event_id,
                user=user,
                person_id=me["person_id"],
                member_id=me.get("member_id"),
                name=me["person__name"] or user.name,
                phone=me["person__phone"] or user.phone,
                company=me.get("member__name", ""),
                status="confirmed" if claimed else "waitlisted",
                seats=1 if claimed else 0,
                code=tickets.new_code(),
                token=tickets.new_token(),
            )
            if key:
                IdempotencyRecord.objects.create(
                    association=association,
                    user=user,
                    key=key,
                    registration=registration,
                    status_code=201,
                )
            audit(
                actor=user,
                action="events.registration.create",
                association=association,
                target=registration,
                summary=f"{event['title']} {registration.name} {registration.status}",
            )
    except IntegrityError:
        return _json({"code": "conflict"}, 409)
    return _json({"id": registration.pk, "status": registration.status}, 201)


def _page_rows(request: Any, size: int) -> dict[str, Any]:
    """The rows of a member list page for the signed-in caller (``request.role`` from the
    tenant door), as the templates show them."""
    page = _page(request, size)
    q = request.GET.get("q", "")
    count, rows = _rows(request.association, request.role, q, page, on_screen=True)
    members = [_member_out(row) for row in rows]
    for member in members:
        member["rep"] = member["representatives"][0] if member["representatives"] else None
    return {"count": count, "members": members, "slug": request.association.slug}


@login_required
@require_GET
def html_directory(request: Any, association_slug: str) -> HttpResponse:
    """The member directory's page 1 (30 rows)."""
    if request.role is None:
        return HttpResponse(status=403)
    return render(request, "floor/directory.html", _page_rows(request, 30))


@login_required
@require_GET
def html_office_members(request: Any, association_slug: str) -> HttpResponse:
    """The back office's member list (50 rows)."""
    if not has_perm(request.role, Perm.MANAGE_MEMBERS):
        return HttpResponse(status=403)
    return render(request, "floor/office_members.html", _page_rows(request, 50))
