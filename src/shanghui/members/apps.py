from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "shanghui.members"
    label = "members"

    def ready(self) -> None:
        from shanghui.core.notifications import register_kinds
        from shanghui.members import messages

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
        from shanghui.members import recipients

        recipients.register()  # members.representatives, for broadcasts
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.accounts.person_records import PersonRecords, register_person_records
        from shanghui.core.audience import register_audience_kind
        from shanghui.core.contributions import (
            DASHBOARD,
            JOB_KINDS,
            MOBILE_TABS,
            OFFICE_NAV,
            PERSONAL_CENTER,
            TODOS,
            DashboardFigures,
            JobKind,
            NavItem,
            PersonalEntry,
            TodoSource,
        )
        from shanghui.members.audience import AUDIENCE_KINDS
        from shanghui.members.dashboard import dashboard_figures
        from shanghui.members.services import people, pictures
        from shanghui.members.todos import APPLICATIONS_VERSION, application_todos

        for kind in AUDIENCE_KINDS:  # levels and named people, for every chosen audience
            register_audience_kind(kind)
        for tab in (
            NavItem(label=_("首页"), url_name="members:home", icon="home", lit="exact", order=10),
            NavItem(label=_("通讯录"), url_name="members:directory", icon="contacts", order=20),
        ):
            MOBILE_TABS.register(tab)
        for item in (
            NavItem(
                label=pgettext_lazy("navigation", "会员"),
                url_name="members:office_members",
                order=10,
            ),
            NavItem(label=_("入会申请"), url_name="members:office_applications", order=20),
            NavItem(
                label=_("会员级别与入会规则"),
                url_name="members:office_levels",
                visible_to=lambda role: has_perm(role, Perm.EDIT_SETTINGS),
                order=80,
            ),
        ):
            OFFICE_NAV.register(item)
        DASHBOARD.register(
            DashboardFigures(
                name="members",
                figures=dashboard_figures,
                visible_to=lambda role: has_perm(role, Perm.VIEW_OFFICE),
                order=10,
            )
        )
        TODOS.register(
            TodoSource(
                title=_("入会申请"),
                section="members:office_applications",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                items=application_todos,
                versions=(APPLICATIONS_VERSION,),
                order=10,
            )
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("我的名片"),
                url_name="members:my_card",
                icon="card",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=10,
            )
        )
        # Who may follow a job and fetch its file: who may start it.
        JOB_KINDS.register(
            JobKind("members.export", lambda role: has_perm(role, Perm.EXPORT_MEMBERS))
        )
        JOB_KINDS.register(
            JobKind("members.import", lambda role: has_perm(role, Perm.MANAGE_MEMBERS))
        )
        register_person_records(
            PersonRecords(
                phone_visible=people.phone_visible,
                phone_visibility_set=people.phone_visibility_set,
                own_photo=pictures.my_photo,
                own_photo_set=lambda user, upload: pictures.my_photo_set(user=user, upload=upload),
            )
        )
