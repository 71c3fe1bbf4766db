"""What goods distributions and honors add to the shared slots: their audit labels, and the
honors a member agreed to show on their card (``core.contributions.MEMBER_CARD``)."""

from collections.abc import Mapping
from typing import Any

from shanghui.core import contributions as slots


def _card_honors(association: Any, member: Any) -> Mapping[str, Any] | None:
    from shanghui.charity.selectors.honors import member_card_honors

    honors = member_card_honors(association, member)
    return {"honors": honors} if honors else None


def register() -> None:
    from shanghui.charity import labels_honors  # noqa: F401 - registers the audit labels

    slots.MEMBER_CARD.register(
        slots.CardSection(
            key="charity.honors",
            template="charity/member/_card_honors.html",
            context=_card_honors,
            order=50,
        )
    )
