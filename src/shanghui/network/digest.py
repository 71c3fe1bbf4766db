"""The weekly digest (``manage.py network_weekly_digest``): for an association, the listings
published since its last digest (``NetworkSettings.digest_sent_until``) that its members can
find — its own and the index rows that reach it — whose industry is a member enterprise's
industry, told to that member's representatives: one notification per person, whatever the
number of their enterprises or listings. A person is not told of their own listings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shanghui.associations.models import Association
from shanghui.core.audit import audit
from shanghui.core.notifications import Recipient, notify_each
from shanghui.members.models import Member, Representative
from shanghui.network.messages import DIGEST
from shanghui.network.models import Listing, NetworkSettings
from shanghui.network.selectors.search import reachable_index
from shanghui.network.services.showcase import SHOWCASE_STATUSES

FIRST_WINDOW = timedelta(days=7)
TITLES_SHOWN = 3
LISTINGS_READ = 5000


@dataclass
class DigestResult:
    listings: int = 0
    people: int = 0
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class _Person:
    recipient: Recipient
    titles: list[str] = field(default_factory=list)
    listing_ids: set[int] = field(default_factory=set)


def _new_listings(
    association: Association, since: datetime, until: datetime
) -> list[tuple[int, str, str, int | None]]:
    """(listing id, industry, title, poster id or None) of what was published in the window,
    newest first."""
    own = Listing.objects.filter(
        association=association,
        status=Listing.Status.PUBLISHED,
        published_at__gt=since,
        published_at__lte=until,
        valid_until__gte=timezone.localdate(),
    ).order_by("-published_at")[:LISTINGS_READ]
    rows: list[tuple[int, str, str, int | None]] = [
        (listing.pk, listing.industry_code, listing.title, listing.poster_id) for listing in own
    ]
    others = (
        reachable_index(association)
        .filter(published_at__gt=since, published_at__lte=until)
        .order_by("-published_at")
        .values_list("listing_id", "industry_code", "title")[:LISTINGS_READ]
    )
    rows += [(listing_id, industry, title, None) for listing_id, industry, title in others]
    return rows


def _people_by_industry(
    association: Association, industries: set[str]
) -> dict[str, list[tuple[Recipient, str]]]:
    """Industry → (recipient, person key) of the representatives of the association's
    enterprise members in good standing in that industry."""
    people: dict[str, list[tuple[Recipient, str]]] = defaultdict(list)
    reps = Representative.objects.filter(
        association_id=association.pk,
        deleted_at__isnull=True,
        member__industry_code__in=industries,
        member__kind=Member.Kind.ENTERPRISE,
        member__status__in=SHOWCASE_STATUSES,
    ).select_related("person", "member")
    for rep in reps:
        person = rep.person
        if not (person.phone or person.email or person.user_id):
            continue
        key = f"u{person.user_id}" if person.user_id else f"p{person.phone}|{person.email}"
        recipient = Recipient(
            phone=person.phone, email=person.email, user_id=person.user_id, name=person.name
        )
        people[rep.member.industry_code].append((recipient, key))
    return people


def weekly_digest_send(*, association: Association, now: datetime | None = None) -> DigestResult:
    """One association's digest; run inside its tenant context. Moves
    ``digest_sent_until`` to ``now`` in the same transaction, so a second run in the same
    week sends nothing twice."""
    now = now or timezone.now()
    with transaction.atomic():
        settings, _created = NetworkSettings.objects.select_for_update().get_or_create(
            association=association
        )
        since = settings.digest_sent_until or now - FIRST_WINDOW
        result = DigestResult(since=since, until=now)
        listings = _new_listings(association, since, now)
        result.listings = len(listings)
        people: dict[str, _Person] = {}
        if listings:
            by_industry = _people_by_industry(association, {row[1] for row in listings})
            for listing_id, industry, title, poster_id in listings:
                for recipient, key in by_industry.get(industry, []):
                    if poster_id is not None and recipient.user_id == poster_id:
                        continue
                    entry = people.setdefault(key, _Person(recipient=recipient))
                    if listing_id not in entry.listing_ids:
                        entry.listing_ids.add(listing_id)
                        entry.titles.append(title)
        settings.digest_sent_until = now
        settings.save(update_fields=["digest_sent_until", "updated_at"])
        result.people = len(people)
        if people:
            name = association.short_name or association.name
            link = reverse("network:home", kwargs={"association_slug": association.slug})
            notify_each(
                association=association,
                kind=DIGEST,
                messages=[
                    (
                        person.recipient,
                        {
                            "association": name,
                            "count": len(person.listing_ids),
                            "titles": "、".join(f"“{t}”" for t in person.titles[:TITLES_SHOWN]),
                        },
                    )
                    for person in people.values()
                ],
                link=link,
            )
            audit(
                actor=None,
                action="network.digest.send",
                association=association,
                summary=f"{result.listings} / {result.people}",
            )
    return result
