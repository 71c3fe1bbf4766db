from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shanghui.accounts"
    label = "accounts"

    def ready(self) -> None:
        from shanghui.accounts.permissions import Perm, has_perm
        from shanghui.core.contributions import (
            MOBILE_TABS,
            PERSONAL_CENTER,
            NavItem,
            PersonalEntry,
        )

        MOBILE_TABS.register(
            NavItem(label=_("我的"), url_name="space:me", icon="me", lit="personal", order=40)
        )
        PERSONAL_CENTER.register(
            PersonalEntry(
                title=_("我的照片"),
                url_name="space:me_photo",
                icon="photo",
                visible_to=lambda role: has_perm(role, Perm.VIEW_SPACE),
                order=40,
            )
        )
