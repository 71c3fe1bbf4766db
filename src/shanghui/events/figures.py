"""Figures of events: registration counts, arrivals per check-in list, attendance, members'
activity over a year, the quorum of governance meetings, course completion and feedback."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Coalesce

from shanghui.associations.models import Association
from shanghui.events.models import (
    Checkin,
    CheckinList,
    Event,
    EventSession,
    Feedback,
    Registration,
)
from shanghui.events.selectors import council_person_ids, has_ended, registrations
from shanghui.members.models import Member, Person

# --- Figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int
    pending: int
    waitlisted: int
    cancelled: int
    seats: int


def registration_counts(*, association: Association, event: Event) -> RegistrationCounts:
    rows = dict(
        Registration.objects.filter(association=association, event=event)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return RegistrationCounts(
        confirmed=rows.get("confirmed", 0),
        pending=rows.get("pending", 0),
        waitlisted=rows.get("waitlisted", 0),
        cancelled=rows.get("cancelled", 0) + rows.get("rejected", 0),
        seats=event.seats_taken,
    )


@dataclass(frozen=True)
class ListStats:
    checkin_list: CheckinList
    expected: int
    arrived: int
    present: int


def list_stats(*, association: Association, checkin_list: CheckinList) -> ListStats:
    """Expected people (confirmed registrants and their companions), arrivals, and those
    still present (arrived and not checked out)."""
    expected = Registration.objects.filter(
        association=association, event_id=checkin_list.event_id, status="confirmed"
    ).aggregate(people=Coalesce(Sum(F("companions") + 1), 0))["people"]
    counts = Checkin.objects.filter(association=association, checkin_list=checkin_list).aggregate(
        arrived=Count("id"), present=Count("id", filter=Q(checked_out_at__isnull=True))
    )
    return ListStats(
        checkin_list=checkin_list,
        expected=expected,
        arrived=counts["arrived"],
        present=counts["present"],
    )


def checkin_lists(*, association: Association, event: Event) -> list[CheckinList]:
    return list(CheckinList.objects.filter(association=association, event=event))


def attended_ids(*, association: Association, event: Event) -> set[int]:
    """Registrations that checked in at least once (the registrant themself)."""
    return set(
        Checkin.objects.filter(
            association=association, checkin_list__event=event, companion=0
        ).values_list("registration_id", flat=True)
    )


@dataclass(frozen=True)
class Attendance:
    registered: int
    attended: int
    companions_arrived: int
    rows: list[tuple[Registration, bool]]

    @property
    def rate(self) -> int:
        return round(100 * self.attended / self.registered) if self.registered else 0


def event_attendance(*, association: Association, event: Event) -> Attendance:
    regs = list(registrations(association=association, event=event, status="confirmed"))
    attended = attended_ids(association=association, event=event)
    companions = (
        Checkin.objects.filter(association=association, checkin_list__event=event, companion__gt=0)
        .values("registration_id", "companion")
        .distinct()
        .count()
    )
    return Attendance(
        registered=len(regs),
        attended=sum(1 for r in regs if r.pk in attended),
        companions_arrived=companions,
        rows=[(r, r.pk in attended) for r in regs],
    )


@dataclass(frozen=True)
class MemberActivity:
    member_id: int
    name: str
    level: str
    registered: int
    attended: int


def member_activity(*, association: Association, year: int) -> list[MemberActivity]:
    """How active each member was in ``year``: events registered for (confirmed) and
    attended, most active first; members with neither are left out."""
    regs = Registration.objects.filter(
        association=association,
        member__isnull=False,
        status="confirmed",
        event__starts_at__year=year,
    )
    registered = dict(
        regs.values_list("member_id").annotate(n=Count("id")).values_list("member_id", "n")
    )
    attended = dict(
        regs.filter(checkins__companion=0)
        .values_list("member_id")
        .annotate(n=Count("event_id", distinct=True))
        .values_list("member_id", "n")
    )
    members = Member.objects.filter(association=association, pk__in=registered).select_related(
        "level"
    )
    rows = [
        MemberActivity(
            member_id=m.pk,
            name=m.name,
            level=m.level.name if m.level else "",
            registered=registered.get(m.pk, 0),
            attended=attended.get(m.pk, 0),
        )
        for m in members
    ]
    return sorted(rows, key=lambda r: (-r.attended, -r.registered, r.name))


@dataclass(frozen=True)
class Quorum:
    rule: str
    council_size: int
    present: int
    required: int

    @property
    def reached(self) -> bool:
        return self.council_size > 0 and self.present >= self.required


def quorum(*, association: Association, event: Event) -> Quorum:
    """Council members present (checked in) against the council's size: 过半数 needs more
    than half, 三分之二以上 at least two thirds."""
    council = council_person_ids(association=association)
    size = len(council)
    present_persons: set[int] = set()
    arrived = Registration.objects.filter(
        association=association, event=event, checkins__companion=0
    ).distinct()
    user_person = dict(
        Person.objects.filter(
            association=association, pk__in=council, user__isnull=False
        ).values_list("user_id", "pk")
    )
    for person_id, user_id in arrived.values_list("person_id", "user_id"):
        if person_id in council:
            present_persons.add(person_id)
        elif user_id in user_person:
            present_persons.add(user_person[user_id])
    two_thirds = event.quorum_rule == Event.Quorum.TWO_THIRDS
    required = -(-2 * size // 3) if two_thirds else size // 2 + 1
    return Quorum(
        rule=event.quorum_rule, council_size=size, present=len(present_persons), required=required
    )


def sessions_attended(*, association: Association, event: Event) -> dict[int, int]:
    """Registration id → number of a course's sessions attended."""
    return dict(
        Checkin.objects.filter(
            association=association,
            checkin_list__event=event,
            checkin_list__session__isnull=False,
            companion=0,
        )
        .values_list("registration_id")
        .annotate(n=Count("checkin_list__session_id", distinct=True))
        .values_list("registration_id", "n")
    )


def sessions_required(event: Event) -> int:
    total = EventSession.objects.filter(association=event.association, event=event).count()
    return min(event.min_sessions_for_certificate or total, total) if total else 0


def completed(*, association: Association, event: Event, registration: Registration) -> bool:
    required = sessions_required(event)
    attended = sessions_attended(association=association, event=event).get(registration.pk, 0)
    return (
        event.is_training
        and registration.status == "confirmed"
        and required > 0
        and attended >= required
    )


def certificate_ready(
    *, association: Association, event: Event, registration: Registration
) -> bool:
    """What a participant may download: the certificate of a course they completed, once it
    has ended (the secretariat may print them earlier, for the closing ceremony)."""
    return has_ended(event) and completed(
        association=association, event=event, registration=registration
    )


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    distribution: dict[int, int]
    comments: list[Feedback]


def feedback_summary(*, association: Association, event: Event) -> FeedbackSummary:
    qs = Feedback.objects.filter(association=association, event=event)
    dist = dict(qs.values_list("rating").annotate(n=Count("id")).values_list("rating", "n"))
    avg = qs.aggregate(avg=Avg("rating"))["avg"]
    return FeedbackSummary(
        count=sum(dist.values()),
        average=round(float(avg), 1) if avg is not None else None,
        distribution={r: dist.get(r, 0) for r in range(5, 0, -1)},
        comments=list(qs.exclude(comment="").order_by("-created_at")[:200]),
    )
