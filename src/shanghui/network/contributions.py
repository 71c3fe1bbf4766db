"""What the network app adds to the shared slots (``core.contributions``), called from
``NetworkConfig.ready``."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    # One function per part, each registering its own entries (nav, personal center, todo
    # sources, message kinds, job kinds, dashboard figures).
    from shanghui.network import audit_labels

    audit_labels.register()
    _register_listings()
    _register_search()
    _register_conversations()


def _register_listings() -> None:
    from django.utils.translation import gettext_lazy as _

    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core import contributions as slots
    from shanghui.core.notifications import register_kinds
    from shanghui.network import messages
    from shanghui.network.selectors.listings import listing_todos
    from shanghui.network.services.index import TODOS_VERSION

    register_kinds(messages.KINDS)
    slots.OFFICE_NAV.register(
        slots.NavItem(
            label=_("供需对接"),
            url_name="network:office_listings",
            visible_to=lambda role: has_perm(role, Perm.MODERATE_NETWORK),
            order=61,  # after 角色与权限 (60), before 会员服务 (62)
        )
    )
    slots.TODOS.register(
        slots.TodoSource(
            title=_("供需对接"),
            section="network:office_listings",
            visible_to=lambda role: has_perm(role, Perm.MODERATE_NETWORK),
            items=listing_todos,
            order=61,
            versions=(TODOS_VERSION,),
        )
    )
    slots.PLATFORM_NAV.register(
        slots.NavItem(label=_("供需举报"), url_name="network:platform_reports", order=40)
    )


def _card_showcase(association: Any, member: Any) -> Mapping[str, Any] | None:
    from shanghui.network.models import ShowcaseItem

    items = list(
        ShowcaseItem.objects.filter(association_id=association.pk, member_id=member.pk)[:20]
    )
    return {"items": items} if items else None


def _register_search() -> None:
    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core import contributions as slots

    # A member's name, industry, region, products or status change reaches its platform
    # index row in the same transaction.
    slots.MEMBER_FOLLOWERS.register(
        slots.MemberFollower(key="network.enterprise_index", changed=_enterprise_changed)
    )
    # One entry for the whole network: its home leads to posting, my listings, my
    # conversations and the enterprise showcase.
    slots.PERSONAL_CENTER.register(
        slots.PersonalEntry(
            title=_("供需对接"),
            url_name="network:home",
            icon="card",
            visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
            order=40,
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


def _enterprise_changed(member: Any) -> None:
    # Only an enterprise that opted in has a row to keep in step (opting out goes through
    # the showcase service, which removes it): no statement for the others.
    if member.network_showcase:
        from shanghui.network.services.showcase import enterprise_index_write

        enterprise_index_write(member)


def _register_conversations() -> None:

    from shanghui.accounts.permissions import Perm, has_perm
    from shanghui.core import contributions as slots
    from shanghui.network.selectors.reports import dashboard_figures

    slots.DASHBOARD.register(
        slots.DashboardFigures(
            name="network",
            figures=dashboard_figures,
            visible_to=lambda role: has_perm(role, Perm.MODERATE_NETWORK),
            order=60,
        )
    )
