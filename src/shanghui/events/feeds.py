"""A member's calendar subscription (订阅到手机日历): calendar apps fetch the feed without a
session, so its URL carries the proof of who it is for.

The key in the URL is ``<user id>-<signature>``: the signature is an HMAC, under the site's
secret key, of the association, the user and the nonce stored in ``CalendarFeed`` (empty
until the person first resets it). A key for another association, another person, an old
nonce, or with no signature at all matches nothing and is the same 404 as an unknown
address. The feed also stops when the person no longer has a role in the association."""

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from shanghui.accounts.models import User
from shanghui.associations.models import Association
from shanghui.core.http import whole_number
from shanghui.events.models import CalendarFeed

SALT = "shanghui.events.calendar-feed"
SIGNATURE_LENGTH = 32  # hex digits: 128 bits


def _nonce(association: Association, user_id: int) -> str:
    found = (
        CalendarFeed.objects.filter(association=association, user_id=user_id)
        .values_list("nonce", flat=True)
        .first()
    )
    return found or ""


def _signature(association: Association, user_id: int, nonce: str) -> str:
    message = f"{association.pk}:{user_id}:{nonce}"
    return salted_hmac(SALT, message, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def feed_key(*, association: Association, user: User) -> str:
    return f"{user.pk}-{_signature(association, user.pk, _nonce(association, user.pk))}"


def feed_user(*, association: Association, key: str) -> User | None:
    """The active person a feed key was issued to in this association, or None."""
    user_part, dash, signature = (key or "").partition("-")
    user_id = whole_number(user_part)
    if not dash or user_id is None or len(signature) != SIGNATURE_LENGTH:
        return None
    expected = _signature(association, user_id, _nonce(association, user_id))
    if not constant_time_compare(signature, expected):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def feed_urls(*, association: Association, user: User) -> tuple[str, str]:
    """(https URL, webcal:// URL) of the person's feed. iPhones and macOS subscribe on
    opening the webcal:// link; Android and desktop calendars take the https one pasted."""
    path = reverse(
        "events:member_feed",
        kwargs={
            "association_slug": association.slug,
            "feed_key": feed_key(association=association, user=user),
        },
    )
    url = f"{settings.SITE_URL}{path}"
    return url, "webcal://" + url.split("://", 1)[-1]
