from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "shanghui.dues"
    label = "dues"

    def ready(self) -> None:
        from shanghui.core.notifications import register_kinds
        from shanghui.dues import messages

        register_kinds(messages.KINDS)  # its message kinds (core.notifications)
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            JOB_KINDS,
            MEMBER_HOME,
            MEMBER_PANELS,
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
        from shanghui.dues.home import dues_panel
        from shanghui.dues.todos import BILLS_VERSION, dues_todos

        MEMBER_HOME.register(
            HomePanel(
                key="dues",
                title=_("待缴会费"),
                template="dues/member/_home_panel.html",
                context=dues_panel,
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=30,
            )
        )

        OFFICE_NAV.register(NavItem(label=_("会费"), url_name="dues:office_dues", order=30))
        MEMBER_PANELS.register(
            MemberPanel(
                title=_("会费记录"),
                url_name="dues:office_member_dues",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                order=10,
            )
        )
        TODOS.register(
            TodoSource(
                title=_("会费"),
                section="dues:office_dues",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                items=dues_todos,
                versions=(BILLS_VERSION,),
                order=20,
            )
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("我的会费"),
                url_name="dues:my_dues",
                icon="wallet",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=30,
            )
        )
        # Who may follow a job and fetch its file: who may start it.
        JOB_KINDS.register(
            JobKind("dues.arrears_export", lambda role: has_perm(role, Perm.EXPORT_MEMBERS))
        )
        JOB_KINDS.register(
            JobKind("dues.generate", lambda role: has_perm(role, Perm.MANAGE_MEMBERS))
        )
