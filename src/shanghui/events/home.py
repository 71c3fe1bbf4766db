"""The events panel of a member's home (``core.contributions.MEMBER_HOME``): the next events
the member can still register for."""

from typing import Any

from shanghui.events import selectors

SHOWN = 3


def events_panel(request: Any) -> dict[str, Any] | None:
    """None when no event is open for registration."""
    visible = selectors.visible_events(
        association=request.association, role=request.role, user=request.user
    )
    # A few more than shown: some of the next ones may be closed for registration.
    events = [e for e in selectors.upcoming(visible)[: SHOWN * 3] if selectors.registration_open(e)]
    if not events:
        return None
    return {"events": events[:SHOWN]}
