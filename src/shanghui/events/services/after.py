"""After the event: minutes (会议纪要), resolutions (决议) and the participants' feedback."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.cache_versions import bump
from shanghui.core.richtext import sanitize_html
from shanghui.events.models import Event, Feedback, Minutes, Registration, Resolution
from shanghui.events.services.common import clean_text, parse_count
from shanghui.events.todos import EVENTS_VERSION


def minutes_of(*, association: Association, event: Event) -> Minutes | None:
    return Minutes.objects.filter(association=association, event=event).first()


@transaction.atomic
def minutes_save(*, association: Association, actor: User, event: Event, body: str) -> Minutes:
    minutes, _created = Minutes.objects.update_or_create(
        association=association,
        event=event,
        defaults={"body": sanitize_html(str(body or ""))[:100_000], "updated_by": actor},
    )
    bump(association.pk, EVENTS_VERSION)  # 纪要未写 on the to-do list
    audit(
        actor=actor,
        action="events.minutes.save",
        association=association,
        target=minutes,
        summary=event.title,
    )
    return minutes


@transaction.atomic
def resolution_add(
    *,
    association: Association,
    actor: User,
    event: Event,
    title: str,
    text: str = "",
    votes_for: Any = 0,
    votes_against: Any = 0,
    votes_abstain: Any = 0,
    passed: bool = False,
) -> Resolution:
    resolution = Resolution.objects.create(
        association=association,
        event=event,
        title=clean_text(title, field="title", limit=200, required=_("请填写决议事项")),
        text=clean_text(text, field="text", limit=5000),
        votes_for=parse_count(votes_for, field="votes_for"),
        votes_against=parse_count(votes_against, field="votes_against"),
        votes_abstain=parse_count(votes_abstain, field="votes_abstain"),
        passed=passed is True,
    )
    audit(
        actor=actor,
        action="events.resolution.add",
        association=association,
        target=resolution,
        summary=resolution.title,
    )
    return resolution


def feedback_submit(
    *,
    association: Association,
    actor: User | None,
    registration: Registration,
    rating: Any,
    comment: str = "",
) -> Feedback:
    """One rating (1–5) and comment per confirmed registration, once the event has ended."""
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("只有已报名的参加者可以评价"))
    if registration.event.status == Event.Status.CANCELLED:
        raise ValidationError(_("活动已取消，无需评价"))
    if registration.event.ends_at > timezone.now():
        raise ValidationError(_("活动结束后才能评价"))
    value = parse_count(rating, field="rating", limit=5)
    if value < 1:
        raise ValidationError({"rating": _("请选择 1 到 5 星")})
    comment = clean_text(comment, field="comment", limit=1000)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                association=association,
                event=registration.event,
                registration=registration,
                rating=value,
                comment=comment,
            )
            audit(
                actor=actor,
                action="events.feedback",
                association=association,
                target=feedback,
                summary=str(value),
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已经评价过了，谢谢")) from exc
    return feedback
