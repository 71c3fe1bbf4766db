"""The signed one-click link in an announcement's SMS (``publishing:announcement_open``).

Most representatives have no account, so each recipient gets a link of their own that opens
the announcement and its 回执 form without signing in: ``<recipient id>.<signature>``, the
signature an HMAC under the site's secret key of the association, the announcement and the
recipient row. A changed id or another announcement's key fails before any lookup of the
row, and the same 404 answers both. The link does not expire by itself: it lives as long as
the recipient's row (the 回执 closes at the deadline, reading stays possible), which is longer
than any deadline plus a margin; it gives away nothing beyond the message it came in."""

import base64
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from shanghui.core.http import whole_number

SALT = "shanghui.publishing.announcement.receipt"
# Where the key goes in the reversed address (no key looks like it).
_MARK = "RECEIPTKEYMARK"


def _signature(association_id: int, announcement_id: int, recipient_id: int) -> str:
    message = f"{association_id}:{announcement_id}:{recipient_id}"
    digest = salted_hmac(SALT, message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:15]).decode()


def receipt_key(*, association_id: int, announcement_id: int, recipient_id: int) -> str:
    return f"{recipient_id}.{_signature(association_id, announcement_id, recipient_id)}"


def recipient_from_key(*, association_id: int, announcement_id: int, key: str) -> int | None:
    """The recipient row's id the key was made for, or None when it was not made for this
    announcement of this association (tampered, truncated, another announcement's)."""
    raw_id, dot, signature = (key or "").partition(".")
    # ASCII digits only ("²" passes ``isdigit`` and fails ``int``), within a bigint.
    recipient_id = whole_number(raw_id) if dot and len(raw_id) <= 19 else None
    if not recipient_id:
        return None
    expected = _signature(association_id, announcement_id, recipient_id)
    return recipient_id if constant_time_compare(signature, expected) else None


def receipt_link_maker(
    *, slug: str, association_id: int, announcement_id: int
) -> Callable[[int], str]:
    """The signed links of one announcement's recipients, by recipient id: the address is
    reversed once, not once per recipient (a send to 23,000 people)."""
    path = reverse(
        "publishing:announcement_open",
        kwargs={"association_slug": slug, "announcement_id": announcement_id, "receipt_key": _MARK},
    )
    head, tail = f"{settings.SITE_URL}{path}".split(_MARK)

    def link(recipient_id: int) -> str:
        key = receipt_key(
            association_id=association_id,
            announcement_id=announcement_id,
            recipient_id=recipient_id,
        )
        return f"{head}{key}{tail}"

    return link
