from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "shanghui.org"
    label = "org"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.audience import register_audience_kind
        from shanghui.core.contributions import DASHBOARD, OFFICE_NAV, DashboardFigures, NavItem
        from shanghui.members.selectors import CommitteeFacet, register_committee_facet
        from shanghui.org.audience import AUDIENCE_KINDS
        from shanghui.org.selectors import (
            committee_choices,
            committee_member_ids,
            dashboard_figures,
        )

        OFFICE_NAV.register(NavItem(label=_("组织架构"), url_name="org:office_overview", order=40))
        DASHBOARD.register(
            DashboardFigures(
                name="org",
                figures=dashboard_figures,
                visible_to=lambda role: has_perm(role, Perm.VIEW_OFFICE),
                order=20,
            )
        )
        for kind in AUDIENCE_KINDS:  # committees, posts, the council
            register_audience_kind(kind)
        register_committee_facet(
            CommitteeFacet(choices=committee_choices, member_ids=committee_member_ids)
        )
