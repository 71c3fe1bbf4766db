"""Sections other apps add to a member's record in the back office.

The member record belongs to this app, but what a member paid (dues) and attended (events)
belongs to apps above it, which this one must not import. Each of them registers a panel in
its ``AppConfig.ready``: a title and the name of its own URL that renders the section for one
member; the record loads each panel from there (htmx) and shows those the viewer may see.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from shanghui.accounts.models import Role


@dataclass(frozen=True)
class MemberPanel:
    title: str | Promise
    # A URL name taking ``association_slug`` and ``member_id``.
    url_name: str
    # Whether a role may see the panel (the panel's own view checks again).
    visible_to: Callable[[Role | None], bool]
    order: int = 100


_panels: list[MemberPanel] = []


def register_member_panel(panel: MemberPanel) -> None:
    if all(known.url_name != panel.url_name for known in _panels):
        _panels.append(panel)
        _panels.sort(key=lambda known: known.order)


def member_panels(role: Role | None) -> list[MemberPanel]:
    """The panels ``role`` may see on a member's record, in their order."""
    return [panel for panel in _panels if panel.visible_to(role)]
