"""What the events app keeps about a person, for their personal-data export (collected by
``accounts.personal_data``, which describes the contract): registrations — under their
account, their member records or their phone number — with the check-ins and feedback on
them, check-in duties and the calendar subscription."""

import json
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.events.models import (
    CalendarFeed,
    Checkin,
    CheckinStaff,
    Feedback,
    Registration,
)
from shanghui.members.models import Person


def association_ids(user: User) -> set[int]:
    """Inside the person's ``person_context``: where they registered with their account —
    also in associations they hold no role in (a public event). (Their inbox is the core's:
    ``core.personal_data``.)"""
    return set(
        Registration.objects.filter(user=user).values_list("association_id", flat=True).distinct()
    )


def tables(*, association: Association, user: User) -> dict[str, list[dict[str, Any]]]:
    """Inside ``association``'s tenant context."""
    people = list(Person.objects.filter(association=association, user=user))
    theirs = Q(user=user) | Q(person__in=people)
    if user.phone:
        theirs |= Q(phone=user.phone)
    registrations = list(
        Registration.objects.filter(theirs, association=association)
        .select_related("event")
        .order_by("created_at", "id")
    )
    checkins = (
        Checkin.objects.filter(association=association, registration__in=registrations)
        .select_related("checkin_list", "registration__event")
        .order_by("checked_in_at", "id")
    )
    feedback = (
        Feedback.objects.filter(association=association, registration__in=registrations)
        .select_related("event")
        .order_by("created_at", "id")
    )
    duties = CheckinStaff.objects.filter(association=association, user=user).select_related("event")
    feeds = CalendarFeed.objects.filter(association=association, user=user)
    return {
        _("活动报名"): [
            {
                _("活动"): r.event.title,
                _("开始时间"): r.event.starts_at,
                _("姓名"): r.name,
                _("手机号"): r.phone,
                _("单位"): r.company,
                _("随行人数"): r.companions,
                _("报名信息"): json.dumps(r.answers, ensure_ascii=False) if r.answers else "",
                _("状态"): r.get_status_display(),
                _("签到码"): r.code,
                _("报名时间"): r.created_at,
            }
            for r in registrations
        ],
        _("签到记录"): [
            {
                _("活动"): c.registration.event.title,
                _("签到点"): c.checkin_list.name,
                _("随行人员序号"): c.companion,
                _("签到时间"): c.checked_in_at,
                _("签退时间"): c.checked_out_at,
            }
            for c in checkins
        ],
        _("活动评价"): [
            {
                _("活动"): f.event.title,
                _("评分"): f.rating,
                _("意见建议"): f.comment,
                _("评价时间"): f.created_at,
            }
            for f in feedback
        ],
        _("签到员"): [{_("活动"): d.event.title, _("指派时间"): d.created_at} for d in duties],
        _("日历订阅"): [{_("重置时间"): f.reset_at} for f in feeds],
    }
