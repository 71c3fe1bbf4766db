"""What the network app adds to the shared slots (``core.contributions``), called from
``NetworkConfig.ready``."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    # One function per part, each registering its own entries (nav, personal center, todo
    # sources, message kinds, job kinds, dashboard figures).
    _register_listings()
    _register_search()
    _register_conversations()


def _register_listings() -> None:
    pass


def _card_showcase(association: Any, member: Any) -> Mapping[str, Any] | None:
    from shanghui.network.models import ShowcaseItem

    items = list(
        ShowcaseItem.objects.filter(association_id=association.pk, member_id=member.pk)[:20]
    )
    return {"items": items} if items else None


def _register_search() -> None:
    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core import contributions as slots
    from shanghui.core.audit import register_action_labels
    from shanghui.core.notifications import register_kinds
    from shanghui.network import digest_messages
    from shanghui.network.audit_labels import SEARCH_LABELS

    register_kinds(digest_messages.KINDS)
    register_action_labels(SEARCH_LABELS)
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("供需对接"),
            url_name="network:home",
            icon="card",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=40,
        )
    )
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("企业展示"),
            url_name="network:my_showcase",
            icon="photo",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=42,
        )
    )
    slots.MEMBER_CARD.register(
        slots.CardSection(
            key="network.showcase",
            template="network/member/_card_showcase.html",
            context=_card_showcase,
            order=60,
        )
    )


def _register_conversations() -> None:
    pass
