from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "shanghui.events"
    label = "events"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.personal_center import PersonalEntry, register_personal_entry
        from shanghui.core.todos import TodoSource, register_todo_source
        from shanghui.events.todos import event_todos
        from shanghui.members.panels import MemberPanel, register_member_panel

        register_member_panel(
            MemberPanel(
                title=_("参加活动"),
                url_name="events:office_member_events",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_EVENTS),
                order=20,
            )
        )
        register_todo_source(
            TodoSource(
                title=_("活动/会务"),
                section="events:office_list",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_EVENTS),
                items=event_todos,
                order=30,
            )
        )
        register_personal_entry(
            PersonalEntry(
                title=_("我的活动/电子票"),
                url_name="events:mine",
                icon="ticket",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=20,
            )
        )
