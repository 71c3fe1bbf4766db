from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "shanghui.dues"
    label = "dues"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.personal_center import PersonalEntry, register_personal_entry
        from shanghui.core.todos import TodoSource, register_todo_source
        from shanghui.dues.todos import dues_todos
        from shanghui.members.panels import MemberPanel, register_member_panel

        register_member_panel(
            MemberPanel(
                title=_("会费记录"),
                url_name="office:member_dues",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                order=10,
            )
        )
        register_todo_source(
            TodoSource(
                title=_("会费"),
                section="office:dues",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                items=dues_todos,
                order=20,
            )
        )
        register_personal_entry(
            PersonalEntry(
                title=_("我的会费"),
                url_name="space:my_dues",
                icon="wallet",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=30,
            )
        )
