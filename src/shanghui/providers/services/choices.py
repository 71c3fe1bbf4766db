"""An association's administrator (``Perm.CHOOSE_OFFERS``) chooses which providers' offers
its members see, and may run a provider's course as one of its own training events.

Unchoosing hides the offer from members from then on; the applications members already made
stay theirs (their consents can still be withdrawn and the service rated)."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.types import Tenant
from shanghui.events.models import Event
from shanghui.events.services.events import EventInput, event_create
from shanghui.providers.models import Offer, OfferChoice, Provider


def _published(offer: Offer) -> Offer:
    current = (
        Offer.objects.filter(
            pk=offer.pk,
            status=Offer.Status.PUBLISHED,
            provider__status=Provider.Status.APPROVED,
        )
        .select_related("provider")
        .first()
    )
    if current is None:
        raise ValidationError(_("该服务已下架或服务商已暂停，不能选用"))
    return current


@transaction.atomic
def offer_choose(*, association: Tenant, actor: User, offer: Offer) -> OfferChoice:
    """Shows ``offer`` (published by an approved provider) to the association's members.
    Choosing an offer already chosen changes nothing. Audit-logged when it changes."""
    current = _published(offer)
    choice, created = OfferChoice.objects.get_or_create(
        association_id=association.pk, offer=current, defaults={"chosen_by": actor}
    )
    if created:
        audit(
            actor=actor,
            action="providers.offer.choose",
            association=association,
            target=current,
            summary=f"{current.provider.name} {current.title}",
        )
    return choice


@transaction.atomic
def offer_unchoose(*, association: Tenant, actor: User, offer: Offer) -> bool:
    """Stops showing ``offer`` to members (whatever its state now); True if it was shown.
    Members' applications stay. Audit-logged when it changes."""
    deleted, _rows = OfferChoice.objects.filter(
        association_id=association.pk, offer_id=offer.pk
    ).delete()
    if deleted:
        audit(
            actor=actor,
            action="providers.offer.unchoose",
            association=association,
            target=offer,
            summary=offer.title,
        )
    return bool(deleted)


def _course_start() -> datetime:
    """A week from today at nine, Beijing time: a placeholder the secretariat changes."""
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def offer_course_create(*, association: Association, actor: User, offer: Offer) -> Event:
    """Turns a provider's course (``is_course``, published by an approved provider) into a
    training event of the association, as a draft the secretariat completes and publishes
    through the events pages: title, summary, description and organizer come from the offer,
    the time is a placeholder a week ahead. Created by the events app's own service;
    audit-logged here as well."""
    current = _published(offer)
    if not current.is_course:
        raise ValidationError(_("该服务不是培训课程"))
    starts = _course_start()
    body = current.body or current.summary
    event = event_create(
        association=association,
        actor=actor,
        data=EventInput(
            title=current.title,
            kind=Event.Kind.TRAINING,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            summary=current.summary,
            description=linebreaks(escape(body)),
            organizer=current.provider.name,
        ),
    )
    audit(
        actor=actor,
        action="providers.offer.course",
        association=association,
        target=current,
        summary=f"{current.title} → {event.pk}",
        data={"event_id": event.pk},
    )
    return event
