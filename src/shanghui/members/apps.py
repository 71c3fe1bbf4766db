from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "shanghui.members"
    label = "members"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.todos import TodoSource, register_todo_source
        from shanghui.members.todos import application_todos

        register_todo_source(
            TodoSource(
                title=_("入会申请"),
                section="office:applications",
                visible_to=lambda role: has_perm(role, Perm.MANAGE_MEMBERS),
                items=application_todos,
                order=10,
            )
        )
