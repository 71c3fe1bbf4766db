from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shanghui.accounts"
    label = "accounts"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.personal_center import PersonalEntry, register_personal_entry

        register_personal_entry(
            PersonalEntry(
                title=_("我的照片"),
                url_name="space:me_photo",
                icon="photo",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=40,
            )
        )
