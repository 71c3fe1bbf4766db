from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "shanghui.members"
    label = "members"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.accounts.person_records import PersonRecords, register_person_records
        from shanghui.core.personal_center import PersonalEntry, register_personal_entry
        from shanghui.core.todos import TodoSource, register_todo_source
        from shanghui.members.services import people, pictures
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
        register_personal_entry(
            PersonalEntry(
                title=_("我的名片"),
                url_name="space:my_card",
                icon="card",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=10,
            )
        )
        register_person_records(
            PersonRecords(
                phone_visible=people.phone_visible,
                phone_visibility_set=people.phone_visibility_set,
                own_photo=pictures.my_photo,
                own_photo_set=lambda user, upload: pictures.my_photo_set(user=user, upload=upload),
            )
        )
