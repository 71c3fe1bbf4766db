"""What the charity app adds to the shared slots (``core.contributions``), called from
``CharityConfig.ready``: its back-office section, the member's 我的公益, the honors a member
agreed to show on their card, the link from the public site when the association discloses,
its job kind and its message kinds."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _


def _card_honors(association: Any, member: Any) -> Mapping[str, Any] | None:
    from shanghui.charity.selectors.honors import member_card_honors

    honors = member_card_honors(association, member)
    return {"honors": honors} if honors else None


def _discloses(association: Any) -> bool:
    from shanghui.charity.selectors.disclosure import discloses

    return discloses(association)


def register() -> None:
    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.charity import messages
    from shanghui.charity.ledger_export import register_job_kind
    from shanghui.core import contributions as slots
    from shanghui.core.notifications import register_kinds

    register_kinds(messages.KINDS)
    register_job_kind()
    slots.OFFICE_NAV.register(
        slots.NavItem(
            label=_("慈善公益"),
            url_name="charity:office_dashboard",
            visible_to=lambda role: has_perm(role, Perm.MANAGE_CHARITY),
            order=58,  # after 资料库
        )
    )
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("我的公益"),
            url_name="charity:my_charity",
            icon="heart",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=35,
        )
    )
    slots.MEMBER_CARD.register(
        slots.CardSection(
            key="charity.honors",
            template="charity/member/_card_honors.html",
            context=_card_honors,
            order=50,
        )
    )
    slots.PUBLIC_SITE_LINKS.register(
        slots.PublicSiteLink(
            key="charity.public",
            title=_("公益慈善"),
            url_name="charity:public_charity",
            shown=_discloses,
            order=50,
        )
    )
