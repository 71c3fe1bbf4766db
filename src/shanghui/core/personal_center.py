"""The entries of a member's 我的 page (the personal center inside an association): 我的名片,
我的活动/电子票, 我的会费, 我的照片 …, which each app contributes about its own pages.

The kernel names no app, and the personal center (in ``accounts``) must not import the apps
above it. Each app registers a ``PersonalEntry`` in its ``AppConfig.ready``: a title, the name
of its own page (taking ``association_slug``), an icon and who sees it. The 我的 page lists
the entries the viewer's role sees; the tab bar keeps 我的 lit on their pages.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise

if TYPE_CHECKING:
    from shanghui.accounts.models import Role

# The icons the 我的 page draws (accounts/_center_icon.html); anything else gets a dot.
ICONS = frozenset({"card", "ticket", "wallet", "photo"})


@dataclass(frozen=True)
class PersonalEntry:
    title: str | Promise
    # A URL name taking ``association_slug``: the app's own page about the signed-in person.
    url_name: str
    icon: str
    # Whether a role may see the entry (the page itself checks again).
    visible_to: Callable[["Role | None"], bool]
    order: int = 100


@dataclass(frozen=True)
class PersonalLink:
    title: str | Promise
    url: str
    icon: str


_entries: list[PersonalEntry] = []


def register_personal_entry(entry: PersonalEntry) -> None:
    if all(known.url_name != entry.url_name for known in _entries):
        _entries.append(entry)
        _entries.sort(key=lambda known: known.order)


def personal_links(*, association_slug: str, role: "Role | None") -> list[PersonalLink]:
    """The entries ``role`` sees on its 我的 page in the association ``association_slug``, in
    their order, with their URLs."""
    slug = {"association_slug": association_slug}
    return [
        PersonalLink(entry.title, reverse(entry.url_name, kwargs=slug), entry.icon)
        for entry in _entries
        if entry.visible_to(role)
    ]
