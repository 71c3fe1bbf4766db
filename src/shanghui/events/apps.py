from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "shanghui.events"
    label = "events"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.members.panels import MemberPanel, register_member_panel

        register_member_panel(
            MemberPanel(
                title=_("参加活动"),
                url_name="events:office_member_events",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_EVENTS),
                order=20,
            )
        )
