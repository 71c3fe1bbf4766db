from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shanghui.core.types import Position


class EventsConfig(AppConfig):
    name = "shanghui.events"
    label = "events"

    def ready(self) -> None:
        from shanghui.core.notifications import register_kinds
        from shanghui.events import messages

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            JOB_KINDS,
            MEMBER_HOME,
            MEMBER_PANELS,
            MOBILE_TABS,
            OFFICE_NAV,
            PERSONAL_CENTER,
            TODOS,
            HomePanel,
            JobKind,
            MemberPanel,
            NavItem,
            PersonalEntry,
            TodoSource,
        )
        from shanghui.events.home import events_panel
        from shanghui.events.todos import EVENTS_VERSION, REGISTRATIONS_VERSION, event_todos

        MEMBER_HOME.register(
            HomePanel(
                key="events",
                title=_("近期活动"),
                template="events/member/_home_panel.html",
                context=events_panel,
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=20,
            )
        )

        def manages_events(role: Position | None) -> bool:
            return has_perm(role, Perm.MANAGE_EVENTS)

        MOBILE_TABS.register(
            NavItem(
                label=_("活动"),
                url_name="events:list",
                icon="calendar",
                order=30,
            )
        )
        OFFICE_NAV.register(
            NavItem(
                label=_("活动/会务"),
                url_name="events:office_list",
                visible_to=manages_events,
                order=50,
            )
        )
        MEMBER_PANELS.register(
            MemberPanel(
                title=_("参加活动"),
                url_name="events:office_member_events",
                visible_to=manages_events,
                order=20,
            )
        )
        TODOS.register(
            TodoSource(
                title=_("活动/会务"),
                section="events:office_list",
                visible_to=manages_events,
                items=event_todos,
                versions=(EVENTS_VERSION, REGISTRATIONS_VERSION),
                order=30,
            )
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("我的活动/电子票"),
                url_name="events:mine",
                icon="ticket",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=20,
            )
        )
        # Who may follow a job and fetch its file: who may start it. Badges and sign-in
        # sheets (events.pdf.badges, events.pdf.signin): who may run the event.
        JOB_KINDS.register(JobKind("events.invite", manages_events))
        JOB_KINDS.register(JobKind("events.pdf", manages_events))
