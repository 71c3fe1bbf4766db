"""Reads of people's personal data: each one the secretariat makes is audited and counted
against a per-user rate limit, so that paging a whole membership out leaves a trace and
stops. Who sees what unmasked is decided in one place, ``accounts.permissions`` (see
``personal_data_unmasked``); pages and API endpoints call these two functions *before* they
answer, so a refused read shows nothing and writes no record.

- ``personal_data_page``: one page of a list of people (the member list, an event's
  registrants, applications) — one audit record with the list, the page's rows, the filter
  and whether phones were unmasked; counted against ``RATE_LIMITS["personal_data_pages"]``.
- ``personal_data_reveal``: one record unmasked on request — audited with its target and
  counted against ``RATE_LIMITS["personal_data_reveals"]``.
"""

from collections.abc import Mapping

from django.db import models

from shanghui.core.audit import audit
from shanghui.core.ratelimit import rate_hit
from shanghui.core.types import Account, Tenant

PAGES_LIMIT = "personal_data_pages"
REVEALS_LIMIT = "personal_data_reveals"


def personal_data_page(
    *,
    actor: Account,
    association: Tenant,
    listing: str,
    rows: int,
    page: int | str | None,
    filters: Mapping[str, object],
    unmasked: bool,
) -> None:
    """Counts and audits one page of the list ``listing`` (“members”, “registrations:<event
    id>” …) read by ``actor``; raises ``RateLimited`` past the limit (nothing is recorded
    then, and the caller answers 429 instead of the page)."""
    rate_hit(PAGES_LIMIT, str(actor.pk))
    given = {key: str(value)[:50] for key, value in filters.items() if value not in ("", None)}
    audit(
        actor=actor,
        action="personal_data.list_read",
        association=association,
        summary=f"{listing} · {rows}",
        data={
            "listing": listing,
            "rows": rows,
            "page": str(page or 1)[:12],
            "filters": given,
            "unmasked": unmasked,
        },
    )


def personal_data_reveal(
    *,
    actor: Account,
    association: Tenant,
    action: str,
    target: models.Model,
    summary: str,
) -> None:
    """Counts and audits one record's personal data shown unmasked to ``actor`` on request;
    raises ``RateLimited`` past the limit."""
    rate_hit(REVEALS_LIMIT, str(actor.pk))
    audit(actor=actor, action=action, association=association, target=target, summary=summary)
