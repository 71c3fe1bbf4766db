"""Demo seed: the provincial chamber's year of events — past ones with registrations,
check-ins, feedback and (for the council meeting) minutes and resolutions, a finished
training course with per-lesson attendance, and upcoming ones open for registration,
including a public forum on the published calendar. The demo member is registered for an
upcoming event, so their phone shows a ticket, and is the 签到员 of the coming new-year gala,
so the door can be tried from their phone. Everything is written with bulk_create."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.demo import PROVINCIAL, DemoContext
from shanghui.core.models import AudienceRule
from shanghui.core.tenancy import tenant_context
from shanghui.events import tickets
from shanghui.events.models import (
    EVENT_TYPE,
    CalendarSettings,
    Checkin,
    CheckinList,
    CheckinStaff,
    Event,
    EventSession,
    Feedback,
    Minutes,
    Registration,
    Resolution,
    TicketType,
)
from shanghui.events.selectors import council_person_ids
from shanghui.events.services import notices
from shanghui.members.models import Representative

COMMENTS = (
    "组织周到，收获很大",
    "嘉宾分享很有启发，希望多办",
    "签到很快，扫码就进场了",
    "建议提前发会议材料",
    "交流环节时间可以再长一些",
)


@dataclass
class Plan:
    title: str
    kind: str
    days: int  # from today: negative for past events
    capacity: int | None
    registrants: int
    venue: str = "广州白云国际会议中心"
    audience: str = Event.Audience.MEMBERS
    attend_rate: float = 0.85
    hours: int = 3
    sessions: list[str] = field(default_factory=list)
    ticket_types: list[tuple[str, Decimal, int | None]] = field(default_factory=list)
    fee: Decimal = Decimal(0)
    quorum_rule: str = ""
    summary: str = ""
    lists: list[str] = field(default_factory=list)
    description: str = ""


GALA_PROGRAMME = (
    "<h2>活动安排</h2><ul><li>14:00 签到入场</li><li>15:00 年度工作报告与表彰</li>"
    "<li>18:00 新春晚宴</li></ul><p><strong>请着正装出席</strong>，每位会员代表可携带"
    "两位随行人员。</p>"
)


PLANS = [
    Plan("2026 年度会员大会暨新春年会", Event.Kind.ANNUAL_MEETING, -300, 800, 620,
         lists=["晚宴"], ticket_types=[("会员代表", Decimal(0), None), ("嘉宾", Decimal(0), 80)],
         summary="总结一年工作，表彰优秀会员企业，新春团拜。", hours=6),
    Plan("第六届理事会第三次会议", Event.Kind.COUNCIL, -120, None, 0, audience="council",
         quorum_rule=Event.Quorum.MAJORITY, venue="商会会议室（天河区）", hours=2),
    Plan("会长办公会（第四季度）", Event.Kind.PRESIDENT_OFFICE, -30, 30, 12,
         venue="商会会议室（天河区）", hours=2),
    Plan("粤赣产业合作论坛", Event.Kind.FORUM, -75, 300, 260,
         sessions=["开幕致辞", "主旨演讲：粤港澳大湾区与赣南老区协同发展", "圆桌对话"],
         summary="政企对话，共话两地产业协作。"),
    Plan("赣州营商环境考察", Event.Kind.STUDY_TOUR, -60, 40, 40, venue="赣州经济技术开发区",
         fee=Decimal(800), lists=["去程大巴", "回程大巴"], hours=48),
    Plan("中秋联谊会", Event.Kind.SOCIAL, -80, 200, 150, venue="珠江新城某酒店", hours=3),
    Plan("企业数字化转型研修班", Event.Kind.TRAINING, -45, 60, 48,
         sessions=["第一讲 数据治理", "第二讲 智能制造", "第三讲 数字营销", "第四讲 案例研讨"],
         venue="商会培训教室", hours=72),
    Plan("2027 新春年会", Event.Kind.ANNUAL_MEETING, 45, 800, 310,
         lists=["晚宴"], summary="欢聚羊城，共迎新春。", hours=6, description=GALA_PROGRAMME),
    Plan("第六届理事会第四次会议", Event.Kind.COUNCIL, 20, None, 0, audience="council",
         quorum_rule=Event.Quorum.MAJORITY, venue="商会会议室（天河区）", hours=2),
    Plan("赣商大讲堂：出海合规", Event.Kind.FORUM, 12, 150, 150, audience=Event.Audience.PUBLIC,
         summary="面向社会公开的讲座，欢迎企业家报名。"),
    Plan("商会秘书处业务培训", Event.Kind.TRAINING, 30, 40, 18,
         sessions=["会员服务", "财务与会费", "活动组织"], venue="商会培训教室", hours=50),
]  # fmt: skip


def seed(ctx: DemoContext) -> None:
    association = ctx.associations[PROVINCIAL.slug]
    rng = random.Random("shanghui-demo:events")
    admin = ctx.users.get(PROVINCIAL.admin_phone)
    demo_member = ctx.users.get(PROVINCIAL.member_phone)
    with tenant_context(association):
        people = list(
            Representative.objects.filter(association=association)
            .select_related("person", "member")
            .order_by("id")[:3000]
        )
        CalendarSettings.objects.get_or_create(
            association=association, defaults={"publish_calendar": True}
        )
        mine = [r for r in people if demo_member and r.person.user_id == demo_member.pk]
        for plan in PLANS:
            _event(association, admin, plan, people, mine, rng)
        gala = Event.objects.filter(association=association, title="2027 新春年会").first()
        if gala is not None and demo_member is not None:
            staff, created = CheckinStaff.objects.get_or_create(
                association=association, event=gala, user=demo_member, defaults={"added_by": admin}
            )
            if created:
                notices.checkin_staff_assigned(staff)
        if demo_member is not None:
            _inbox(association, demo_member)


def _inbox(association: Association, demo_member: User) -> None:
    """The demo member's inbox: the confirmations of their upcoming registrations and the
    reminder of the first, sent as the app sends them (``events.services.notices``: inbox
    row, delivery-log row, delivery task)."""
    upcoming = list(
        Registration.objects.filter(
            association=association,
            user=demo_member,
            status=Registration.Status.CONFIRMED,
            event__starts_at__gt=timezone.now(),
        )
        .select_related("event__association", "person")
        .order_by("event__starts_at")[:2]
    )
    for registration in upcoming:
        notices.registration_received(registration, with_role={demo_member.pk})
    if upcoming:
        notices.reminder(upcoming[0])


def _event(
    association: Association,
    admin: User | None,
    plan: Plan,
    people: list[Representative],
    mine: list[Representative],
    rng: random.Random,
) -> None:
    # Local wall-clock hours (Asia/Shanghai): a meeting at 9:00 or 14:00 Beijing time.
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    start = (now + timedelta(days=plan.days)).replace(hour=9 if plan.hours < 6 else 14)
    audience = Event.Audience.CHOSEN if plan.audience == "council" else plan.audience
    event = Event.objects.create(
        association=association, kind=plan.kind, title=plan.title, summary=plan.summary,
        description=plan.description,
        status=Event.Status.PUBLISHED, starts_at=start, ends_at=start + timedelta(hours=plan.hours),
        venue=plan.venue, audience=audience, capacity=plan.capacity, fee=plan.fee,
        max_companions=2 if plan.kind in (Event.Kind.ANNUAL_MEETING, Event.Kind.SOCIAL) else 0,
        quorum_rule=plan.quorum_rule, organizer="广东省江西商会秘书处", created_by=admin,
        registration_closes_at=start - timedelta(days=1),
        min_sessions_for_certificate=3 if plan.kind == Event.Kind.TRAINING else 0,
    )  # fmt: skip
    if plan.audience == "council":
        AudienceRule.objects.create(
            association=association, owner_type=EVENT_TYPE, owner_id=event.pk, kind="council"
        )
    types = TicketType.objects.bulk_create(
        TicketType(association=association, event=event, name=name, price=price,
                   capacity=cap, sort_order=i)
        for i, (name, price, cap) in enumerate(plan.ticket_types)
    )  # fmt: skip
    sessions = EventSession.objects.bulk_create(
        EventSession(association=association, event=event, title=title,
                     starts_at=start + timedelta(hours=2 * i if plan.hours < 24 else 24 * i))
        for i, title in enumerate(plan.sessions)
    )  # fmt: skip
    lists = CheckinList.objects.bulk_create(
        [CheckinList(association=association, event=event, name="主会场")]
        + [CheckinList(association=association, event=event, name=n, sort_order=i + 1)
           for i, n in enumerate(plan.lists)]
        + ([CheckinList(association=association, event=event, name=f"{s.title}"[:40],
                        session=s, sort_order=10 + i) for i, s in enumerate(sessions)]
           if plan.kind == Event.Kind.TRAINING else [])
    )  # fmt: skip
    if plan.audience == "council":
        council = council_person_ids(association=association)
        members = list({r.person_id: r for r in people if r.person_id in council}.values())
        pool = [r for r in members if r not in mine]
        chosen = ([*mine[:1]] if mine and mine[0] in members else []) + rng.sample(
            pool, round(len(pool) * 0.8)
        )
    else:
        include_mine = plan.days > 0 or plan.days < -100
        chosen = _pick(people, mine, plan.registrants, rng, include_mine=include_mine)
    regs = _registrations(association, event, plan, chosen, types, rng)
    if plan.days < 0:
        _arrivals(association, event, plan, regs, lists, admin, rng)
    if plan.kind == Event.Kind.COUNCIL and plan.days < 0:
        _minutes(association, event, admin, len(regs))


def _pick(
    people: list[Representative],
    mine: list[Representative],
    count: int,
    rng: random.Random,
    *,
    include_mine: bool,
) -> list[Representative]:
    others = [r for r in people if r not in mine and r.person.phone]
    picked = rng.sample(others, min(count, len(others)))
    seen: set[str] = set()
    unique = []
    for rep in ([*mine[:1], *picked] if include_mine else picked)[: max(count, 1)]:
        if rep.person.phone not in seen:
            seen.add(rep.person.phone)
            unique.append(rep)
    return unique


def _registrations(
    association: Association,
    event: Event,
    plan: Plan,
    chosen: list[Representative],
    types: list[TicketType],
    rng: random.Random,
) -> list[Registration]:
    taken = 0
    rows = []
    for i, rep in enumerate(chosen):
        companions = rng.choice((0, 0, 0, 1, 2)) if event.max_companions else 0
        seats = 1 + companions
        fits = plan.capacity is None or taken + seats <= plan.capacity
        taken += seats if fits else 0
        rows.append(
            Registration(
                association=association,
                event=event,
                user=rep.person.user,
                person=rep.person,
                member=rep.member,
                name=rep.person.name,
                phone=rep.person.phone,
                company=rep.member.name,
                companions=companions,
                status="confirmed" if fits else "waitlisted",
                seats=seats if fits else 0,
                code=tickets.new_code(),
                token=tickets.new_token(),
                ticket_type=types[i % len(types)] if types else None,
                fee_paid=bool(plan.fee) and rng.random() < 0.9,
            )
        )
    created = Registration.objects.bulk_create(rows)
    Event.objects.filter(pk=event.pk).update(seats_taken=taken)
    for ticket_type in types:
        used = sum(r.seats for r in created if r.ticket_type_id == ticket_type.pk)
        TicketType.objects.filter(pk=ticket_type.pk).update(seats_taken=used)
    return created


def _arrivals(
    association: Association,
    event: Event,
    plan: Plan,
    regs: list[Registration],
    lists: list[CheckinList],
    admin: User | None,
    rng: random.Random,
) -> None:
    confirmed = [r for r in regs if r.status == "confirmed"]
    came = [r for r in confirmed if rng.random() < plan.attend_rate]
    rows = []
    for registration in came:
        for place in lists:
            if place.session_id is None and place is not lists[0] and rng.random() < 0.3:
                continue
            if place.session_id is not None and rng.random() < 0.15:
                continue  # missed a lesson
            at: datetime = event.starts_at - timedelta(minutes=rng.randint(0, 40))
            for companion in range(registration.companions + 1):
                rows.append(
                    Checkin(
                        association=association,
                        checkin_list=place,
                        registration=registration,
                        companion=companion,
                        checked_in_at=at,
                        by=admin,
                    )
                )
    Checkin.objects.bulk_create(rows, batch_size=1000)
    Feedback.objects.bulk_create(
        Feedback(association=association, event=event, registration=r,
                 rating=rng.choice((5, 5, 4, 4, 4, 3)),
                 comment=rng.choice(COMMENTS) if rng.random() < 0.4 else "")
        for r in came[: max(len(came) // 3, 1)]
    )  # fmt: skip


def _minutes(association: Association, event: Event, admin: User | None, present: int) -> None:
    Minutes.objects.create(
        association=association, event=event, updated_by=admin,
        body="<p>会议由会长主持，应到理事过半数出席，符合章程规定。</p>"
             "<p>会议审议通过了年度工作报告和财务报告，研究了新会员入会事项。</p>",
    )  # fmt: skip
    Resolution.objects.bulk_create(
        [
            Resolution(association=association, event=event, title="审议通过年度工作报告",
                       votes_for=max(present - 1, 0), votes_abstain=1, passed=True),
            Resolution(association=association, event=event, title="同意吸收 12 家企业为新会员",
                       votes_for=present, passed=True),
        ]
    )  # fmt: skip
